import type { CompiledProject } from '../compile.ts';
import type { Project } from '../project/schema.ts';
import { errorMessage } from './errors.ts';
import { ensureCompiled, type RunLimits, type RunOptions } from './run-options.ts';
import { raceAbort } from './step-guard.ts';

export type SubProjectLoad = { readonly ok: true; readonly compiled: CompiledProject } | { readonly ok: false; readonly reason: string };

/**
 * The projects a call's Sub-project blocks named, loaded and compiled once per call (a loop that
 * calls the same sub-project does not reload it). One cache per call, never shared: a version
 * published meanwhile reaches the next call, and one call's lookups cannot be seen by another.
 */
export class SubProjectCache {
  private readonly loaded = new Map<string, CompiledProject>();

  constructor(
    private readonly options: RunOptions,
    private readonly limits: RunLimits,
  ) {}

  /** A failure to find or load the project is a result; the phase being aborted meanwhile throws. */
  async load(ref: string, signal: AbortSignal): Promise<SubProjectLoad> {
    const cached = this.loaded.get(ref);
    if (cached !== undefined) return { ok: true, compiled: cached };
    const resolve = this.options.resolveProject;
    if (resolve === undefined) return { ok: false, reason: 'no sub-project resolver is configured' };
    let found: Project | CompiledProject | undefined;
    try {
      found = await raceAbort(resolve(ref, signal), signal);
    } catch (error) {
      if (signal.aborted) throw error;
      return { ok: false, reason: `project "${ref}" could not be loaded: ${errorMessage(error)}` };
    }
    if (found === undefined) return { ok: false, reason: `project "${ref}" not found` };
    const compiled = ensureCompiled(found, this.options, this.limits);
    this.loaded.set(ref, compiled);
    return { ok: true, compiled };
  }
}
