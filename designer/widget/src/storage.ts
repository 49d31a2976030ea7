// The visitor token per website key, so a reload reconnects to the same chat. localStorage can throw
// (privacy modes, sandboxed frames): then the chat still works, it just does not survive a reload.
const keyFor = (websiteKey: string): string => `tandem-chat:${websiteKey}:visitor`;

export function loadToken(websiteKey: string): string | null {
  try {
    return window.localStorage.getItem(keyFor(websiteKey));
  } catch {
    return null;
  }
}

export function saveToken(websiteKey: string, token: string | null): void {
  try {
    if (token === null) window.localStorage.removeItem(keyFor(websiteKey));
    else window.localStorage.setItem(keyFor(websiteKey), token);
  } catch {
    /* not persisted; see above */
  }
}
