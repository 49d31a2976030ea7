// One polling helper for tests that wait on something another process or an event loop does.
// Two shapes: `eventually(get, ok, what)` asks `get` until `ok` holds and returns the value (failing
// with the last value seen); `eventually(check, what)` waits for a yes/no check to say yes. Both fail
// naming what they waited for, so a timeout reads as the behaviour that did not happen.
export interface EventuallyOptions {
  timeoutMs?: number;
  everyMs?: number;
}

export function eventually<T>(get: () => T | Promise<T>, ok: (value: T) => boolean, what: string, options?: EventuallyOptions): Promise<T>;
export function eventually(check: () => boolean | Promise<boolean>, what: string, options?: EventuallyOptions): Promise<void>;
export async function eventually<T>(
  get: () => T | Promise<T>,
  okOrWhat: ((value: T) => boolean) | string,
  whatOrOptions?: string | EventuallyOptions,
  maybeOptions?: EventuallyOptions,
): Promise<T | void> {
  if (typeof okOrWhat === 'string') {
    await eventually(get, (value) => value === true, okOrWhat, whatOrOptions as EventuallyOptions | undefined);
    return;
  }
  const ok = okOrWhat;
  const what = whatOrOptions as string;
  const { timeoutMs = 10_000, everyMs = 20 } = maybeOptions ?? {};
  const deadline = Date.now() + timeoutMs;
  let value = await get();
  while (!ok(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    value = await get();
  }
  return value;
}
