// A user's own language, locale and time zone. Any account sets its own (PUT /api/me/preferences);
// administrators set anyone's through the user form (updateUser). Replaced whole: what is left out
// goes back to following the browser.
import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { users } from '../db/schema.ts';
import { audit } from '../db/audit.ts';
import { notFound } from '../errors.ts';
import type { Preferences } from '../../contracts/preferences.ts';

export async function setPreferences(db: Db, userId: number, preferences: Preferences, actorId: number): Promise<Preferences> {
  const [row] = await db.update(users).set({ preferences, updatedAt: new Date() }).where(eq(users.id, userId)).returning({ preferences: users.preferences });
  if (!row) throw notFound('user', userId);
  await audit(db, actorId, 'user.preferences', `user:${userId}`, { preferences });
  return row.preferences;
}
