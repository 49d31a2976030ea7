// Unique-index violations become 409s that name the field the client must change.
import { uniqueViolation } from '../db/errors.ts';
import { conflict } from '../errors.ts';

const FIELD_OF_INDEX: Record<string, { field: string; message: string }> = {
  users_username_key: { field: 'username', message: 'username is already taken' },
  agents_extension_key: { field: 'extension', message: 'extension is already assigned to another agent' },
  teams_name_key: { field: 'name', message: 'a team with this name already exists' },
  queues_channel_name_key: { field: 'name', message: 'a queue with this name already exists on this channel' },
  trunks_name_key: { field: 'name', message: 'a trunk with this name already exists' },
  voice_routes_kind_name_key: { field: 'name', message: 'a route of this kind with this name already exists' },
  pause_reasons_name_key: { field: 'name', message: 'a pause reason with this name already exists' },
  phones_name_key: { field: 'name', message: 'a telephone with this name already exists' },
  ivr_projects_channel_name_key: { field: 'name', message: 'an IVR project with this name already exists for this channel' },
};

/** Rethrows a unique violation as a 409 naming its field; other errors pass through unchanged. */
export function rethrowConflict(err: unknown): never {
  const index = uniqueViolation(err);
  if (index) {
    const known = FIELD_OF_INDEX[index];
    throw known ? conflict(known.field, known.message) : conflict('(unknown)', `duplicate value (${index})`);
  }
  throw err;
}
