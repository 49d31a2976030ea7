// A credential as a client presents it (session token or API key) and the principal it stands for.
// Shared by the HTTP API and socket.io handshakes, so neither depends on the other.
import type { Db } from '../db/database.ts';
import { resolveSession, SESSION_PREFIX } from './sessions.ts';
import { API_KEY_PREFIX, resolveApiKey } from './api-keys.ts';

/** The credential of `Authorization: Bearer <credential>`, else of `X-API-Key`. */
export function credentialOf(headers: { authorization?: string | undefined; 'x-api-key'?: string | string[] | undefined }): string | undefined {
  const auth = headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)$/i.exec(auth.trim());
    return m?.[1];
  }
  const key = headers['x-api-key'];
  return typeof key === 'string' ? key.trim() : undefined;
}

export async function principalFromCredential(services: { db: Db }, credential: string) {
  if (credential.startsWith(SESSION_PREFIX)) return resolveSession(services.db, credential);
  if (credential.startsWith(API_KEY_PREFIX)) return resolveApiKey(services.db, credential);
  return undefined;
}
