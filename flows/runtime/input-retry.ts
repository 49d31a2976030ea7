import type { BlockContext } from '../block.ts';
import type { Template } from './templates.ts';
import { renderPrompts } from './render.ts';

export type AttemptResult = { readonly exit: string } | { readonly failure: 'invalid' | 'timeout' };

/**
 * The retry rule shared by Menu, Get digits and Quick-reply menu, as in Cally Square: a WIRED
 * `invalid` / `timeout` exit takes priority — the flow leaves through it at the first failure and
 * the designer handles it. When that exit is not wired the block retries (playing its invalid or
 * timeout prompt first) up to `retries` more times, and after the last failure leaves through the
 * unwired exit, which ends the flow.
 */
export async function withRetries(
  ctx: BlockContext,
  retries: number,
  attempt: (attemptNumber: number) => Promise<AttemptResult>,
  beforeRetry: (failure: 'invalid' | 'timeout') => Promise<void>,
): Promise<string> {
  for (let n = 0; ; n++) {
    const result = await attempt(n);
    if ('exit' in result) return result.exit;
    if (ctx.isWired(result.failure) || n >= retries) return result.failure;
    await beforeRetry(result.failure);
  }
}

/** One attempt of a keypad entry (Menu, Get digits): the prompts, then the digits typed. */
export async function collectEntry(
  ctx: BlockContext,
  p: { prompts: readonly Template[]; timeoutMs: number; maxDigits: number; terminator: string },
  signal: AbortSignal,
): Promise<string> {
  const prompts = await renderPrompts(ctx, p.prompts, signal);
  const { digits } = await ctx.call.collectDigits({ prompts, timeoutMs: p.timeoutMs, maxDigits: p.maxDigits, terminator: p.terminator }, signal);
  return digits;
}
