// Who is logged in, and the API clients bound to their token. One context for the whole app.
import { createContext, useContext } from 'react';
import type { ApiClient } from '../api/client.ts';
import type { IvrApi } from '../api/ivr.ts';
import type { Account } from '../api/types.ts';
import type { Preferences } from '../../../contracts/preferences.ts';

export interface Session {
  readonly api: ApiClient;
  readonly ivr: IvrApi;
  readonly account: Account;
  logout(): void;
  /** After the account's preferences were saved: the whole app follows them at once. */
  setPreferences(preferences: Preferences): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (session === null) throw new Error('useSession outside of a logged-in page');
  return session;
}
