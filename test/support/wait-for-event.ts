// The event-driven sibling of `eventually`: for a source that calls us back, waiting on the callback
// beats polling. `register` subscribes and returns how to unsubscribe; resolves with the first value
// `predicate` accepts, or fails naming what it waited for.
export function waitForEvent<T>(register: (cb: (value: T) => void) => () => void, predicate: (value: T) => boolean, what: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    const off = register((value) => {
      if (predicate(value)) {
        clearTimeout(timer);
        off();
        resolve(value);
      }
    });
  });
}
