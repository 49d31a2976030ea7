// Signing in and staying signed in: login sessions, API keys, password resets, failed-login
// lockouts and the rate-limit buckets every node shares (server/auth).
// Only drizzle-orm and type-only imports here: drizzle-kit loads these files with its own loader.
import { pgTable, doublePrecision, integer, primaryKey, text, timestamp, uniqueIndex, index } from 'drizzle-orm/pg-core';
import { id, createdAt, ownedBy } from './columns.ts';
import { users } from './staff.ts';

/** Login sessions. Only a hash of the bearer token is kept. */
export const sessions = pgTable(
  'sessions',
  {
    id: id(),
    userId: ownedBy('user_id', () => users.id),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    userAgent: text('user_agent'),
  },
  (t) => [uniqueIndex('sessions_token_hash_key').on(t.tokenHash), index('sessions_user_idx').on(t.userId)],
);

/** API keys of service users (integrations, workforce tools). Only a hash of the secret is kept. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: id(),
    userId: ownedBy('user_id', () => users.id),
    name: text('name').notNull(),
    // The public part shown in lists ("tdk_3f9a1c…"), so an admin can tell keys apart.
    prefix: text('prefix').notNull(),
    secretHash: text('secret_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('api_keys_prefix_key').on(t.prefix), index('api_keys_user_idx').on(t.userId)],
);

export const passwordResets = pgTable(
  'password_resets',
  {
    id: id(),
    userId: ownedBy('user_id', () => users.id),
    tokenHash: text('token_hash').notNull(),
    createdAt: createdAt(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('password_resets_token_hash_key').on(t.tokenHash)],
);

/**
 * Failed logins per account name and source (a client address, its /64 for IPv6, or `phone` for
 * PINs typed on a keypad): the lockout locks a name for the source that failed, never for everyone,
 * so nobody can lock an administrator out from elsewhere. Kept for unknown names too, so that a
 * locked name answers exactly like an unknown one (server/auth/lockout.ts).
 */
export const loginFailures = pgTable(
  'login_failures',
  {
    /** lower(username) as typed: not a reference, since unknown names are tracked alike. */
    name: text('name').notNull(),
    source: text('source').notNull(),
    failures: integer('failures').notNull().default(0),
    lastFailedAt: timestamp('last_failed_at', { withTimezone: true }).notNull().defaultNow(),
    lockedAt: timestamp('locked_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.name, t.source] }), index('login_failures_last_failed_idx').on(t.lastFailedAt)],
);

/** Token buckets shared by every node (failed logins per address, reset mails per address and account). */
export const rateLimits = pgTable('rate_limits', {
  bucket: text('bucket').primaryKey(),
  tokens: doublePrecision('tokens').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});
