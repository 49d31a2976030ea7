// Agenda, on PostgreSQL through @agendajs/postgres-backend (FOR UPDATE SKIP LOCKED between nodes).
// In the embedded mode it reaches PGlite over pglite-socket, so the dialer's campaigns run the same
// way on a laptop and in production.
import { Agenda } from 'agenda';
import { PostgresBackend } from '@agendajs/postgres-backend';
import type { Database } from '../db/database.ts';

export interface SchedulerOptions {
  /** How often Agenda looks for due jobs (LISTEN/NOTIFY wakes it sooner on PostgreSQL). */
  processEveryMs?: number;
  name?: string;
}

export async function createScheduler(database: Database, opts: SchedulerOptions = {}): Promise<Agenda> {
  const pool = await database.wirePool();
  return new Agenda({
    backend: new PostgresBackend({ pool }),
    name: opts.name ?? `tandem-${process.pid}`,
    processEvery: opts.processEveryMs ?? 1000,
  });
}
