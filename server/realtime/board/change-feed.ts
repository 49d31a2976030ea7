// Changes that raise no event the board can hear: configuration edits (queues, memberships, teams,
// supervisors' queues, agents, trunks, pause reasons — all written to the audit log) and the end of an accepted
// interaction when it was finished somewhere the hub does not hear (engine.finish() emits
// `entry-finished` on its own node, and the hub forwards it; the wrap-up/ready rows it writes to the
// state history are the safety net, e.g. for a node that died before forwarding).
// Both tables grow by id, so "what is new since last time" is an index range scan, polled.
import { and, gt, inArray, lte, max, or, like, sql } from 'drizzle-orm';
import type { Db } from '../../db/database.ts';
import { agentStateHistory, auditLog } from '../../db/schema.ts';
import type { DirtyKeys } from './coalescer.ts';

/** Audit actions that change what the board shows or who may see it. */
const STRUCTURE_PREFIXES = ['queue.', 'agent.', 'team.', 'supervisor.', 'trunk.', 'user.', 'pause-reason.'];
/** History states written by engine.finish(): the agent's interaction is over. */
const FINISH_STATES = ['wrapup', 'ready'];

export class ChangeFeed {
  readonly #db: Db;
  #lastAudit = 0;
  #lastHistory = 0;
  #inFlight: Promise<Partial<DirtyKeys>> | undefined;

  constructor(db: Db) {
    this.#db = db;
  }

  /** Starts from now: what happened before is in the first full load. */
  async start(): Promise<void> {
    const [a] = await this.#db.select({ id: max(auditLog.id) }).from(auditLog);
    const [h] = await this.#db.select({ id: max(agentStateHistory.id) }).from(agentStateHistory);
    this.#lastAudit = Number(a?.id ?? 0);
    this.#lastHistory = Number(h?.id ?? 0);
  }

  /** What changed since the last poll; concurrent callers share one poll. */
  poll(): Promise<Partial<DirtyKeys>> {
    this.#inFlight ??= this.#poll().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  /** A poll that starts after this call (not one already under way, which may miss a change just made). */
  async pollFromNow(): Promise<Partial<DirtyKeys>> {
    const running = this.#inFlight;
    if (running) {
      const earlier: Partial<DirtyKeys> = await running.catch(() => ({}));
      const later = await this.poll();
      return { ...later, structure: (earlier.structure ?? false) || (later.structure ?? false), agents: [...(earlier.agents ?? []), ...(later.agents ?? [])], entries: [...(earlier.entries ?? []), ...(later.entries ?? [])] };
    }
    return this.poll();
  }

  async #poll(): Promise<Partial<DirtyKeys>> {
    const [[a], [h]] = await Promise.all([
      this.#db.select({ id: max(auditLog.id) }).from(auditLog),
      this.#db.select({ id: max(agentStateHistory.id) }).from(agentStateHistory),
    ]);
    const auditTo = Number(a?.id ?? 0);
    const historyTo = Number(h?.id ?? 0);
    const keys: Partial<DirtyKeys> = {};
    if (auditTo > this.#lastAudit) {
      const [hit] = await this.#db
        .select({ id: auditLog.id })
        .from(auditLog)
        .where(and(gt(auditLog.id, this.#lastAudit), lte(auditLog.id, auditTo), or(...STRUCTURE_PREFIXES.map((p) => like(auditLog.action, `${p}%`)))))
        .limit(1);
      if (hit) keys.structure = true;
      this.#lastAudit = auditTo;
    }
    if (historyTo > this.#lastHistory) {
      const rows = await this.#db
        .select({ userId: agentStateHistory.userId, entryId: sql<string | null>`${agentStateHistory.details}->>'entryId'` })
        .from(agentStateHistory)
        .where(and(gt(agentStateHistory.id, this.#lastHistory), lte(agentStateHistory.id, historyTo), inArray(agentStateHistory.state, FINISH_STATES)));
      if (rows.length) {
        keys.agents = [...new Set(rows.map((r) => r.userId))];
        keys.entries = [...new Set(rows.map((r) => Number(r.entryId)).filter((n) => Number.isInteger(n) && n > 0))];
      }
      this.#lastHistory = historyTo;
    }
    return keys;
  }
}
