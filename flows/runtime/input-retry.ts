import type { BlockContext } from '../block.ts';

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
