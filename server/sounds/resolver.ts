// Which audio a prompt name in a flow means. Playback/Menu blocks name prompts as Asterisk does
// (`beep`, `digits/1`, `vm-intro`); the same list may also name sounds of Tandem's library
// (`welcome`). The resolver decides, purely from an index of the library:
//   `asterisk:<file>`  always Asterisk's own sound (played by file name; Asterisk picks the language
//                      folder from CHANNEL(language) itself);
//   `tandem:<name>`    always the library (an error if it has no such sound);
//   `<name>`           the library when it has that name, else Asterisk's own sound.
// A library sound is played from Tandem over HTTP through Asterisk's media cache; its URL carries
// the content version so that a replaced recording is fetched again and an unchanged one never is.
import { LANGUAGE, SOUND_NAME, soundMediaPath } from './names.ts';

export type ResolvedPrompt =
  | { kind: 'asterisk'; file: string }
  | {
      kind: 'tandem';
      url: string;
      name: string;
      /** The variant chosen; differs from the requested language when that variant is missing. */
      language: string;
      fallback: boolean;
    };

/** name → language → content version (the ETag without quotes). */
export type SoundIndex = ReadonlyMap<string, ReadonlyMap<string, string>>;

export interface ResolveOptions {
  /** Where Asterisk reaches Tandem's HTTP server, e.g. `http://tandem.example:8080`. */
  baseUrl: string;
  /** The variant used when the caller's language has none. */
  defaultLanguage: string;
}

export class PromptError extends Error {
  constructor(
    readonly prompt: string,
    message: string,
  ) {
    super(message);
    this.name = 'PromptError';
  }
}

/** Asterisk sound files: relative paths of plain segments (`digits/1`, `vm-intro`, `silence/1`). */
const ASTERISK_FILE = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;
const URL_LIKE = /^[a-z][a-z0-9+.-]*:\/\//i;

export function resolvePrompt(prompt: string, language: string, index: SoundIndex, options: ResolveOptions): ResolvedPrompt {
  if (prompt.length === 0) throw new PromptError(prompt, 'a prompt name cannot be empty');
  if (URL_LIKE.test(prompt)) {
    // A flow must not make Asterisk fetch arbitrary addresses; upload the audio to the library.
    throw new PromptError(prompt, `'${prompt}' is a URL; prompts name sounds (upload the file to the sound library instead)`);
  }
  if (prompt.startsWith('asterisk:')) return asteriskSound(prompt, prompt.slice('asterisk:'.length));
  if (prompt.startsWith('tandem:')) {
    const name = prompt.slice('tandem:'.length);
    const found = librarySound(name, language, index, options);
    if (!found) throw new PromptError(prompt, `the sound library has no sound '${name}'`);
    return found;
  }
  if (SOUND_NAME.test(prompt)) {
    const found = librarySound(prompt, language, index, options);
    if (found) return found;
  }
  return asteriskSound(prompt, prompt);
}

function asteriskSound(prompt: string, file: string): ResolvedPrompt {
  if (file.length > 255 || !ASTERISK_FILE.test(file)) {
    throw new PromptError(prompt, `'${file}' is not a valid Asterisk sound name: relative path segments of letters, digits, '_', '-' and '.', without extension (e.g. beep, digits/1)`);
  }
  return { kind: 'asterisk', file };
}

function librarySound(name: string, requested: string, index: SoundIndex, options: ResolveOptions): ResolvedPrompt | undefined {
  const variants = index.get(name);
  if (!variants || variants.size === 0) return undefined;
  const chosen = pickLanguage(requested, [...variants.keys()], options.defaultLanguage);
  const version = variants.get(chosen)!;
  const base = options.baseUrl.replace(/\/+$/, '');
  return {
    kind: 'tandem',
    // The query is ignored for the file type: Asterisk takes the extension from the URL's path.
    url: `${base}${soundMediaPath(chosen, name)}?v=${encodeURIComponent(version)}`,
    name,
    language: chosen,
    fallback: chosen !== requested,
  };
}

/**
 * The caller's language, else its base language (`en_GB` → `en`), else the default language, else
 * the first variant in alphabetical order: a prompt in another language beats silence.
 */
export function pickLanguage(requested: string, available: readonly string[], defaultLanguage: string): string {
  const has = new Set(available);
  if (LANGUAGE.test(requested)) {
    if (has.has(requested)) return requested;
    const base = requested.split('_')[0]!;
    if (has.has(base)) return base;
  }
  if (has.has(defaultLanguage)) return defaultLanguage;
  const first = [...available].sort()[0];
  if (first === undefined) throw new Error('pickLanguage needs at least one language');
  return first;
}

/** Builds the index from library rows (name, language, version). */
export function buildSoundIndex(rows: readonly { name: string; language: string; version: string }[]): SoundIndex {
  const index = new Map<string, Map<string, string>>();
  for (const r of rows) {
    let variants = index.get(r.name);
    if (!variants) index.set(r.name, (variants = new Map()));
    variants.set(r.language, r.version);
  }
  return index;
}
