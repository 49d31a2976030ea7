// The sound library's table lives with the others in server/db/schema.ts (one schema, one migration
// history); this module keeps the sounds code's imports short.
export { sounds } from '../db/schema.ts';
import type { sounds } from '../db/schema.ts';
export type SoundRow = typeof sounds.$inferSelect;
