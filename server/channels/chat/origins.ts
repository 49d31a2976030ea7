// Which page origins may reach socket.io cross-origin: those some chat website allows. CORS works
// per HTTP request, before socket.io knows the namespace, so this only opens the transport (without
// credentials); the `/chat-widget` namespace checks the origin against its own website, and every
// other namespace still needs a bearer token, which a foreign page does not have.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { chatWebsites } from '../../db/schema.ts';

const TTL_MS = 10_000;
/** Bumped when a website changes on this node, so its origins apply at once (other nodes: TTL). */
let generation = 0;
export function chatOriginsChanged(): void {
  generation++;
}

export function chatOriginCheck(db: Db, now: () => number = Date.now): (origin: string) => Promise<boolean> {
  let cached: { at: number; generation: number; origins: Set<string> } | undefined;
  let loading: Promise<Set<string>> | undefined;
  const load = async () => {
    const gen = generation;
    const rows = await db.select({ origins: sql<string[]>`coalesce(${chatWebsites.settings}->'allowedOrigins', '[]'::jsonb)` }).from(chatWebsites);
    const origins = new Set(rows.flatMap((r) => (Array.isArray(r.origins) ? r.origins.filter((o): o is string => typeof o === 'string') : [])));
    cached = { at: now(), generation: gen, origins };
    return origins;
  };
  return async (origin) => {
    if (!cached || cached.generation !== generation || now() - cached.at > TTL_MS) {
      loading ??= load().finally(() => (loading = undefined));
      return (await loading).has(origin);
    }
    return cached.origins.has(origin);
  };
}
