import type { BlockContext } from '../block.ts';
import type { Template } from './templates.ts';

/** Renders a list of templates (prompt names, arguments) in order. */
export async function renderAll(ctx: BlockContext, templates: readonly Template[], signal: AbortSignal): Promise<string[]> {
  const out: string[] = [];
  for (const template of templates) out.push(await ctx.render(template, signal));
  return out;
}

/** Prompt lists drop entries that rendered empty (an unset `{LANG}/welcome` stays, `{X}` alone goes). */
export async function renderPrompts(ctx: BlockContext, templates: readonly Template[], signal: AbortSignal): Promise<string[]> {
  return (await renderAll(ctx, templates, signal)).filter((p) => p !== '');
}

export function isPromise<T>(value: T | Promise<T>): value is Promise<T> {
  return value instanceof Promise;
}

/** A per-operation deadline on the flow's clock (HTTP timeout, DB timeout), linked to `signal`. */
export function deadline(ctx: BlockContext, ms: number, signal: AbortSignal): { signal: AbortSignal; expired: () => boolean; done: () => void } {
  const controller = new AbortController();
  let expired = false;
  const onAbort = (): void => controller.abort(signal.reason);
  if (signal.aborted) controller.abort(signal.reason);
  else signal.addEventListener('abort', onAbort, { once: true });
  const cancel = ctx.clock.setTimer(ms, () => {
    expired = true;
    controller.abort(new DeadlineError(ms));
  });
  return {
    signal: controller.signal,
    expired: () => expired,
    done: () => {
      cancel();
      signal.removeEventListener('abort', onAbort);
    },
  };
}

export class DeadlineError extends Error {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`);
    this.name = 'DeadlineError';
  }
}

/** Strips characters that would break out of a header, an AGI line or a mail header. */
export function hasLineBreak(text: string): boolean {
  return /[\r\n\0]/.test(text);
}
