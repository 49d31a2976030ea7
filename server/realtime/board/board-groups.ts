// Sockets with the same scope that keep up share a group: one view, one `seq`, one encoded message
// per flush. A socket joins the group of its scope with each snapshot, leaves it with a view of its
// own when its browser lags (board-fanout.ts), and groups split when configuration changes scopes.
import type { BoardChanges, BoardState } from './board-state.ts';
import { BoardView, scopeKey } from './board-view.ts';
import type { BoardGroup, BoardSession } from './board-session.ts';
import type { Directory } from './queries.ts';
import { scopeOf, type BoardScope } from './scope.ts';

export type { BoardGroup };

export class BoardGroups {
  readonly #groups = new Set<BoardGroup>();
  /** The group a newly connected socket joins, per scope key. */
  readonly #joinable = new Map<string, BoardGroup>();

  /** The groups now (a copy: fanning out may drop some). */
  all(): BoardGroup[] {
    return [...this.#groups];
  }

  /**
   * The session (about to get a snapshot of `scope`) joins the group of its scope, created with
   * the calls that snapshot shows; from now on it gets the group's deltas, numbered from there.
   */
  join(session: BoardSession, scope: BoardScope, calls: readonly { id: number }[]): BoardGroup {
    this.leave(session);
    const key = scopeKey(scope);
    let group = this.#joinable.get(key);
    if (!group) this.#add((group = { key, view: new BoardView(scope, new Set(calls.map((c) => c.id))), seq: 0, members: new Set() }));
    group.members.add(session);
    session.group = group;
    session.view = undefined;
    session.seq = group.seq;
    session.lagStrikes = 0;
    session.caughtUp = 0;
    return group;
  }

  leave(session: BoardSession): void {
    const g = session.group;
    if (!g) return;
    g.members.delete(session);
    session.group = undefined;
    if (g.members.size === 0) this.drop(g);
  }

  /** The socket leaves its group with a copy of the group's view, numbered where the group was. */
  detach(session: BoardSession, group: BoardGroup): void {
    session.view = group.view.fork();
    session.seq = group.seq;
    session.group = undefined;
  }

  drop(g: BoardGroup): void {
    this.#groups.delete(g);
    if (this.#joinable.get(g.key) === g) this.#joinable.delete(g.key);
  }

  /** Every group's view takes a flush's changes in; when configuration changed, groups first split by their members' new scopes. */
  absorb(changes: BoardChanges, state: BoardState, dir: Directory): void {
    if (!changes.structure) {
      for (const g of this.#groups) g.view.absorb(changes, state);
      return;
    }
    // Scopes may have changed under any socket: each group splits by its members' new scopes,
    // every part going on from the group's view and seq.
    for (const g of [...this.#groups]) {
      this.drop(g);
      const parts = new Map<string, { scope: BoardScope; members: BoardSession[] }>();
      for (const m of g.members) {
        const scope = scopeOf(m.principal, dir);
        const key = scopeKey(scope);
        if (!parts.has(key)) parts.set(key, { scope, members: [] });
        parts.get(key)!.members.push(m);
      }
      for (const [key, part] of parts) {
        const view = g.view.fork();
        view.absorb(changes, state, part.scope);
        const regrouped: BoardGroup = { key, view, seq: g.seq, members: new Set(part.members) };
        for (const m of part.members) m.group = regrouped;
        this.#add(regrouped);
      }
    }
  }

  #add(g: BoardGroup): void {
    this.#groups.add(g);
    if (!this.#joinable.has(g.key)) this.#joinable.set(g.key, g);
  }
}
