// The voice runtime's view of the library: a synchronous resolver (AgiCall resolves a prompt per
// STREAM FILE, no database round trip on the call path) over an index refreshed after every change
// to the library and on a timer (a change made through another Tandem node).
import type { Db } from '../db/database.ts';
import { loadSoundIndex } from './library.ts';
import { resolvePrompt, type ResolvedPrompt, type ResolveOptions, type SoundIndex } from './resolver.ts';

export class PromptResolver {
  #index: SoundIndex = new Map();

  constructor(readonly options: ResolveOptions) {}

  get index(): SoundIndex {
    return this.#index;
  }

  setIndex(index: SoundIndex): void {
    this.#index = index;
  }

  async refresh(db: Db): Promise<void> {
    this.#index = await loadSoundIndex(db);
  }

  /** Refreshes on a timer (changes made through another node); returns the function that stops it. */
  refreshEvery(db: Db, intervalMs: number, onError: (err: unknown) => void): () => void {
    const timer = setInterval(() => {
      this.refresh(db).catch(onError);
    }, intervalMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  resolve(prompt: string, language: string): ResolvedPrompt {
    return resolvePrompt(prompt, language, this.#index, this.options);
  }

  /** What STREAM FILE / Playback is given: Asterisk's file name, or the media URL of a library sound. */
  streamTarget(prompt: string, language: string): string {
    const r = this.resolve(prompt, language);
    return r.kind === 'asterisk' ? r.file : r.url;
  }
}
