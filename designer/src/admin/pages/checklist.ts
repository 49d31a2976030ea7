// The first-run checklist, pure: each step's state from what the API answered. A step whose data the
// account may not read is 'hidden' (not 'to do': it may well be done); a step the API gives no
// signal for is 'undetectable' and says so, rather than guessing.
import type { en } from '../../i18n/en.ts';

export type StepId = keyof typeof en.home.items;
export type StepState = 'done' | 'todo' | 'undetectable' | 'hidden' | 'loading';

/** One API answer as the checklist sees it. */
export type Signal<T> = { readonly kind: 'loading' } | { readonly kind: 'forbidden' } | { readonly kind: 'failed'; readonly message: string } | { readonly kind: 'ok'; readonly value: T };

export interface Health {
  readonly asterisk?: { readonly ami?: string; readonly ari?: string };
}

export interface Signals {
  readonly health: Signal<Health>;
  /** GET /api/agents?limit=1: a list, or a page with a total (both shapes are read). */
  readonly agents: Signal<unknown>;
  readonly queues: Signal<readonly unknown[]>;
  readonly projects: Signal<readonly { readonly publishedVersion: number | null }[]>;
  readonly inboundRoutes: Signal<readonly unknown[]>;
  readonly calls: Signal<readonly unknown[]>;
}

export interface Step {
  readonly id: StepId;
  readonly state: StepState;
  /** Why it failed to load, when it did. */
  readonly problem?: string;
}

export const STEP_ORDER: readonly StepId[] = ['asterisk', 'agent', 'queue', 'ivr', 'route', 'agentLogin', 'testCall'];

function from<T>(signal: Signal<T>, done: (value: T) => boolean): Pick<Step, 'state' | 'problem'> {
  switch (signal.kind) {
    case 'loading':
      return { state: 'loading' };
    case 'forbidden':
      return { state: 'hidden' };
    case 'failed':
      return { state: 'todo', problem: signal.message };
    case 'ok':
      return { state: done(signal.value) ? 'done' : 'todo' };
  }
}

/** How many items a list answer has: an array's length, or a page's `total` / `items`. */
export function countOf(value: unknown): number {
  if (Array.isArray(value)) return value.length;
  if (typeof value === 'object' && value !== null) {
    const page = value as { total?: unknown; items?: unknown };
    if (typeof page.total === 'number') return page.total;
    if (Array.isArray(page.items)) return page.items.length;
  }
  return 0;
}

export function asteriskConnected(health: Health): boolean {
  return health.asterisk?.ami === 'up' && health.asterisk.ari === 'up';
}

export function checklist(s: Signals): Step[] {
  const steps: Record<StepId, Pick<Step, 'state' | 'problem'>> = {
    asterisk: from(s.health, asteriskConnected),
    agent: from(s.agents, (v) => countOf(v) > 0),
    queue: from(s.queues, (v) => v.length > 0),
    ivr: from(s.projects, (v) => v.some((p) => p.publishedVersion !== null)),
    route: from(s.inboundRoutes, (v) => v.length > 0),
    // Presence is per agent (GET /api/agents/:id/presence) or on the realtime board's socket; no
    // list answer says "some agent has ever logged in".
    agentLogin: { state: 'undetectable' },
    testCall: from(s.calls, (v) => v.length > 0),
  };
  return STEP_ORDER.map((id) => ({ id, ...steps[id] }));
}
