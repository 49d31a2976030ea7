// One supervisor's view of the board: their scope, the calls they were told about, and the changes
// not yet sent. Sockets with the same scope share one view (and one encoded message per flush);
// a socket that falls behind gets a view of its own.
import type { BoardChanges, BoardState } from './board-state.ts';
import { PendingDelta } from './coalescer.ts';
import { seesAgent, seesCall, seesQueue, type BoardScope } from './scope.ts';

/** Sockets whose scope has the same key see exactly the same board. */
export const scopeKey = (s: BoardScope): string => (s.all ? 'all' : [...s.queueIds].sort((a, b) => a - b).join(','));

export class BoardView {
  readonly pending = new PendingDelta();

  constructor(
    public scope: BoardScope,
    /** Calls this view was told about: only those are announced as removed. */
    readonly calls: Set<number>,
  ) {}

  /** A copy that starts with nothing pending (for a socket leaving its group). */
  fork(): BoardView {
    return new BoardView(this.scope, new Set(this.calls));
  }

  /** Takes a flush's changes in; `rescoped` (after configuration changed) adds what entered or left the scope. */
  absorb(changes: BoardChanges, state: BoardState, rescoped?: BoardScope): void {
    const p = this.pending;
    if (rescoped) {
      const before = this.scope;
      const after = rescoped;
      this.scope = after;
      // Entering or leaving the supervisor's view (an agent added to or removed from their queue).
      for (const [id, a] of state.agents) if (seesAgent(after, id) && !seesAgent(before, id)) p.upsertAgent(a);
      for (const id of before.all ? [] : before.agentIds) if (!seesAgent(after, id)) p.remove('agents', id);
      for (const [id, q] of state.queues) if (seesQueue(after, id) && !seesQueue(before, id)) p.upsertQueue(q);
      for (const id of before.all ? [] : before.queueIds) if (!seesQueue(after, id)) p.remove('queues', id);
      for (const c of state.calls.values()) {
        if (seesCall(after, c)) {
          if (!this.calls.has(c.id)) p.upsertCall(c);
          this.calls.add(c.id);
        } else if (this.calls.delete(c.id)) p.remove('calls', c.id);
      }
    }
    const s = this.scope;
    for (const a of changes.agents) if (seesAgent(s, a.id)) p.upsertAgent(a);
    for (const q of changes.queues) if (seesQueue(s, q.id)) p.upsertQueue(q);
    for (const c of changes.calls) {
      if (seesCall(s, c)) {
        p.upsertCall(c);
        this.calls.add(c.id);
      }
      // A call moved to a queue this supervisor does not see: it leaves their board.
      else if (this.calls.delete(c.id)) p.remove('calls', c.id);
    }
    for (const t of changes.trunks) p.upsertTrunk(t);
    for (const id of changes.removed.agents) if (s.all || s.agentIds.has(id)) p.remove('agents', id);
    for (const id of changes.removed.queues) if (s.all || s.queueIds.has(id)) p.remove('queues', id);
    for (const id of changes.removed.calls) if (this.calls.delete(id)) p.remove('calls', id);
  }
}
