/**
 * One migration per schema version: MIGRATIONS[n] turns a version-n document into version n+1.
 * Migrations work on unvalidated JSON (a project saved years ago may be odd in ways we never
 * planned for), so each one rewrites only what it recognises and leaves everything else for the
 * final schema parse to report with a precise path.
 */

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Version 1 (the first designer release) stored the entry block as `start`, the editor position as
 * flat `x`/`y` on each block, and variables as an array of `{name, default}`. Version 2 groups the
 * position, names the entry `entry`, and keys variables by name so duplicates cannot exist.
 */
export function migrateV1toV2(doc: JsonObject): JsonObject {
  const { start, blocks, variables, ...rest } = doc;
  const out: JsonObject = { ...rest, schemaVersion: 2 };
  if (rest['entry'] === undefined && start !== undefined) out['entry'] = start;

  if (isObject(blocks)) {
    const migrated: JsonObject = {};
    for (const [id, block] of Object.entries(blocks)) {
      if (!isObject(block)) {
        migrated[id] = block;
        continue;
      }
      const { x, y, ...blockRest } = block;
      const next: JsonObject = { ...blockRest };
      if (next['position'] === undefined && (x !== undefined || y !== undefined)) {
        next['position'] = { x: x ?? 0, y: y ?? 0 };
      }
      migrated[id] = next;
    }
    out['blocks'] = migrated;
  } else if (blocks !== undefined) {
    out['blocks'] = blocks;
  }

  if (Array.isArray(variables)) {
    const byName: JsonObject = {};
    for (const entry of variables) {
      if (isObject(entry) && typeof entry['name'] === 'string') {
        const { name, ...declaration } = entry;
        // Last declaration wins, as it did in the v1 designer's variable panel.
        byName[name as string] = declaration;
      }
    }
    out['variables'] = byName;
  } else if (variables !== undefined) {
    out['variables'] = variables;
  }
  return out;
}

/** Index = the version migrated FROM. Append one function per new schema version. */
export const MIGRATIONS: ReadonlyArray<((doc: JsonObject) => JsonObject) | undefined> = [
  undefined, // there was never a version 0
  migrateV1toV2,
];

export const OLDEST_SUPPORTED_VERSION = 1;
