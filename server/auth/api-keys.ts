// API keys for service users (integrations, workforce-management tools): `tdk_<prefix>_<secret>`.
// The prefix is stored in clear to find the key and to show it in lists; the secret only as a hash.
// Keys can be rotated (a new secret, the old one revoked at once) and revoked.
import { timingSafeEqual } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { transaction, type Db } from '../db/database.ts';
import { apiKeys, users } from '../db/schema.ts';
import type { Principal } from './permissions.ts';
import { hashSecret, newSecret } from './tokens.ts';
import { randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'tdk_';

export interface ApiKeyView {
  id: number;
  userId: number;
  name: string;
  prefix: string;
  createdAt: Date;
  expiresAt: Date | null;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const view = (row: typeof apiKeys.$inferSelect): ApiKeyView => ({
  id: row.id,
  userId: row.userId,
  name: row.name,
  prefix: row.prefix,
  createdAt: row.createdAt,
  expiresAt: row.expiresAt,
  lastUsedAt: row.lastUsedAt,
  revokedAt: row.revokedAt,
});

export async function issueApiKey(db: Db, userId: number, name: string, expiresAt: Date | null): Promise<{ key: string; apiKey: ApiKeyView }> {
  const prefix = randomBytes(6).toString('hex');
  const secret = newSecret();
  const key = `${API_KEY_PREFIX}${prefix}_${secret}`;
  const [row] = await db.insert(apiKeys).values({ userId, name, prefix, secretHash: hashSecret(secret), expiresAt }).returning();
  return { key, apiKey: view(row!) };
}

export async function listApiKeys(db: Db, userId: number): Promise<ApiKeyView[]> {
  const rows = await db.select().from(apiKeys).where(eq(apiKeys.userId, userId)).orderBy(apiKeys.id);
  return rows.map(view);
}

export async function getApiKey(db: Db, id: number): Promise<ApiKeyView | undefined> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  return row ? view(row) : undefined;
}

export async function revokeApiKey(db: Db, id: number): Promise<ApiKeyView | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(eq(apiKeys.id, id))
    .returning();
  return row ? view(row) : undefined;
}

/** A new key with the same name and owner; the old one stops working in the same transaction. */
export async function rotateApiKey(db: Db, id: number): Promise<{ key: string; apiKey: ApiKeyView } | undefined> {
  return transaction(db, async (tx) => {
    const [old] = await tx.select().from(apiKeys).where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))).for('update');
    if (!old) return undefined;
    await tx.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, id));
    return issueApiKey(tx, old.userId, old.name, old.expiresAt);
  });
}

export function parseApiKey(key: string): { prefix: string; secret: string } | undefined {
  const m = /^tdk_([0-9a-f]{12})_([A-Za-z0-9_-]{20,})$/.exec(key);
  return m ? { prefix: m[1]!, secret: m[2]! } : undefined;
}

export async function resolveApiKey(db: Db, key: string): Promise<Principal | undefined> {
  const parsed = parseApiKey(key);
  if (!parsed) return undefined;
  const [row] = await db
    .select({ key: apiKeys, user: users })
    .from(apiKeys)
    .innerJoin(users, eq(users.id, apiKeys.userId))
    .where(and(eq(apiKeys.prefix, parsed.prefix), isNull(apiKeys.revokedAt)));
  if (!row) return undefined;
  const expected = Buffer.from(row.key.secretHash, 'hex');
  const given = Buffer.from(hashSecret(parsed.secret), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
  if (row.key.expiresAt && row.key.expiresAt.getTime() <= Date.now()) return undefined;
  if (row.user.disabled || row.user.locked) return undefined;
  if (!row.key.lastUsedAt || Date.now() - row.key.lastUsedAt.getTime() > 60_000) {
    await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.key.id));
  }
  return {
    userId: row.user.id,
    role: row.user.role,
    username: row.user.username,
    permissions: row.user.permissions,
    via: 'api-key',
    apiKeyId: row.key.id,
    mustChangePassword: false,
  };
}
