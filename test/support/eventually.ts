// One polling helper for tests that wait on something another process or an event loop does: asks
// `get` until `ok` holds, and fails naming what it waited for and the last value seen.
export async function eventually<T>(get: () => Promise<T>, ok: (value: T) => boolean, what: string, { timeoutMs = 10_000, everyMs = 20 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await get();
  while (!ok(value)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    value = await get();
  }
  return value;
}
