// Offers an agent declined or let expire, per waiting entry.
//
// Two rules, so that a caller is neither pinged back and forth nor stuck on one agent:
// - cooldown: an agent who refused this entry less than `retryMs` ago is not offered it again
//   (Asterisk's `retry`: after a round nobody answered, wait that long before ringing again);
// - rotation: among the agents otherwise eligible, only those with the FEWEST refusals of this
//   entry are candidates. So everybody is tried once before anybody is tried twice: linear walks
//   down its list and wraps (Asterisk's per-caller `linpos`), ringall rings everyone again once the
//   cooldown of the whole round has passed, and a lone agent gets the call again after `retryMs`.
import type { AgentId, Refusal, RefusalKind } from './types.ts';

export interface RefusalTally {
  count: number;
  lastAt: number;
  lastKind: RefusalKind;
}

/** Counts refusals per agent (one small map per decision, only for entries that have refusals). */
export function tallyRefusals(refusals: readonly Refusal[]): Map<AgentId, RefusalTally> {
  const tally = new Map<AgentId, RefusalTally>();
  for (const r of refusals) {
    const t = tally.get(r.agentId);
    if (!t) tally.set(r.agentId, { count: 1, lastAt: r.at, lastKind: r.kind });
    else {
      t.count++;
      if (r.at >= t.lastAt) {
        t.lastAt = r.at;
        t.lastKind = r.kind;
      }
    }
  }
  return tally;
}

/** The cooldown rule alone: the agent refused this entry less than `retryMs` before `now`. */
export function inCooldown(tally: RefusalTally | undefined, now: number, retryMs: number): boolean {
  return tally !== undefined && now - tally.lastAt < retryMs;
}

/** Words for the explainability record: "timeout 3000 ms ago (2×)". */
export function describeRefusal(tally: RefusalTally, now: number): string {
  return `${tally.lastKind} ${now - tally.lastAt} ms ago (${tally.count}×)`;
}
