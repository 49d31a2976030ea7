// compileQueue: defaults, precomputed arrays, and clear errors for bad members (settings are
// validated once, in seconds: test/acd/queue-settings.test.ts).
import { expect } from 'chai';
import { compileQueue, compareWaiting, DEFAULT_RETRY_MS, RoutingInputError, type QueueConfig } from '../../../server/acd/routing/index.ts';
import { entry, T0 } from './helpers.ts';

const base: QueueConfig = {
  id: 7,
  channel: 'voice',
  strategy: 'rrmemory',
  members: [
    { agentId: 3, penalty: 0 },
    { agentId: 1, penalty: 2 },
  ],
  timeoutMs: 15_000,
  wrapupMs: 10_000,
  maxWaiting: 20,
};
const withOverride = (patch: Record<string, unknown>) => ({ ...base, ...patch }) as QueueConfig;

describe('acd routing: queue settings', () => {
  it("applies Asterisk's defaults (retry 5 s, joinempty yes, leavewhenempty no) and keeps member order", () => {
    const q = compileQueue(base);
    expect(q).to.include({ id: 7, channel: 'voice', strategy: 'rrmemory', retryMs: DEFAULT_RETRY_MS, joinEmptyMask: 0, leaveWhenEmptyMask: 0, singleTier: false });
    expect(q.agentIds).to.deep.equal([3, 1]);
    expect(q.penalties).to.deep.equal([0, 2]);
    expect(q.positionOf.get(1)).to.equal(1);
    expect(Object.isFrozen(q)).to.equal(true);
  });

  it('members listed twice or with a negative penalty are a clear error naming the member', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ members: [{ agentId: 1, penalty: -1 }] }, 'queue 7.members[0].penalty: must be a whole number ≥ 0, got -1'],
      [{ members: [{ agentId: 1, penalty: 0 }, { agentId: 1, penalty: 3 }] }, 'queue 7.members[1].agentId: agent 1 is listed twice'],
    ];
    for (const [patch, message] of cases) expect(() => compileQueue(withOverride(patch)), JSON.stringify(patch)).to.throw(RoutingInputError, message);
  });
});

describe('acd routing: waiting order', () => {
  it('higher priority first, then first come first served, then id (stable across restarts)', () => {
    const waiting = [
      entry({ id: 'c', enqueuedAt: T0 }),
      entry({ id: 'b', enqueuedAt: T0 }),
      entry({ id: 'vip', priority: 2, enqueuedAt: T0 + 500 }),
      entry({ id: 'first', enqueuedAt: T0 - 100 }),
      entry({ id: 'low', priority: -1, enqueuedAt: T0 - 9999 }),
    ];
    expect(waiting.sort(compareWaiting).map((e) => e.id)).to.deep.equal(['vip', 'first', 'b', 'c', 'low']);
    expect([entry({ id: 10 }), entry({ id: 9 })].sort(compareWaiting).map((e) => e.id)).to.deep.equal([9, 10]);
  });
});
