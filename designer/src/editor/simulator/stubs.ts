// Sample answers for the blocks that reach outside the call (HTTP request, Database), per block,
// editable in the simulator. Parsing is strict and explains itself: a stub the user typed wrong
// must say so, not silently answer something else.
import type { Project } from '../../../../flows/index.ts';
import type { Value } from '../../../../flows/expression/index.ts';
import { i18next } from '../../i18n/index.ts';

export interface HttpStub {
  readonly status: number;
  /** Response body as typed (JSON or text). */
  readonly body: string;
}

export interface DatabaseStub {
  /** `{"columns": [...], "rows": [[...], ...]}` as typed. */
  readonly text: string;
}

export type DialOutcome = 'answered' | 'busy' | 'noanswer' | 'congestion' | 'unavailable' | 'failed';
export type QueueOutcome = 'answered' | 'timeout' | 'full' | 'unavailable' | 'failed';

export interface SimulatorStubs {
  readonly http: Readonly<Record<string, HttpStub>>;
  readonly database: Readonly<Record<string, DatabaseStub>>;
  readonly dialOutcome: DialOutcome;
  readonly queueOutcome: QueueOutcome;
  readonly callerNumber: string;
}

export const DEFAULT_HTTP_STUB: HttpStub = { status: 200, body: '{\n  "status": "shipped"\n}' };
export const DEFAULT_DATABASE_STUB: DatabaseStub = { text: '{\n  "columns": ["id", "name"],\n  "rows": [[1, "Ada"]]\n}' };

export function defaultStubs(): SimulatorStubs {
  return { http: {}, database: {}, dialOutcome: 'answered', queueOutcome: 'answered', callerNumber: '+390212345678' };
}

/** The blocks of the project that need a stub, by kind. */
export function stubbedBlocks(project: Project): { http: string[]; database: string[] } {
  const http: string[] = [];
  const database: string[] = [];
  for (const [id, block] of Object.entries(project.blocks)) {
    if (block.type === 'HttpRequest') http.push(id);
    else if (block.type === 'Database') database.push(id);
  }
  return { http: http.sort(), database: database.sort() };
}

export function httpStubFor(stubs: SimulatorStubs, blockId: string | null): HttpStub {
  return (blockId !== null ? stubs.http[blockId] : undefined) ?? DEFAULT_HTTP_STUB;
}

export function databaseStubFor(stubs: SimulatorStubs, blockId: string | null): DatabaseStub {
  return (blockId !== null ? stubs.database[blockId] : undefined) ?? DEFAULT_DATABASE_STUB;
}

// Messages come from the catalogue (designer.stubs): the stub editor shows them under the field.
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

export function checkHttpStub(stub: HttpStub): Parsed<HttpStub> {
  if (!Number.isInteger(stub.status) || stub.status < 100 || stub.status > 599) return { ok: false, message: i18next.t('designer.stubs.badStatus') };
  return { ok: true, value: stub };
}

export function parseDatabaseStub(stub: DatabaseStub): Parsed<{ columns: string[]; rows: Value[][] }> {
  let raw: unknown;
  try {
    raw = JSON.parse(stub.text);
  } catch (error) {
    return { ok: false, message: i18next.t('designer.schemaForm.notJson', { reason: error instanceof Error ? error.message : String(error) }) };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, message: i18next.t('designer.stubs.notAnObject') };
  const r = raw as Record<string, unknown>;
  if (!Array.isArray(r.columns) || !r.columns.every((c) => typeof c === 'string')) return { ok: false, message: i18next.t('designer.stubs.badColumns') };
  if (!Array.isArray(r.rows) || !r.rows.every((row) => Array.isArray(row))) return { ok: false, message: i18next.t('designer.stubs.badRows') };
  return { ok: true, value: { columns: r.columns as string[], rows: r.rows as Value[][] } };
}
