// decide / decideMany: explainability, penalty tiers, refusals, batches, purity, invariants.
import { expect } from 'chai';
import fc from 'fast-check';
import {
  compileQueue,
  decide,
  decideMany,
  eligibility,
  RoutingInputError,
  STRATEGIES,
  type AgentSnapshot,
  type CompiledQueue,
  type QueueConfig,
} from '../../../server/acd/routing/index.ts';
import { agent, agentMap, deepFreeze, entry, NO_LIMITS, offeredIds, queue, reasonOf, refusal, seeded, T0 } from './helpers.ts';

describe('acd routing: decide — explainability', () => {
  it('lists EVERY member, in member order, with why each was skipped', () => {
    const q = queue({ channel: 'voice', strategy: 'linear', memberIds: [10, 11, 12, 13, 14, 15, 16, 17, 18, 19], retryMs: 5000 });
    const agents = agentMap(
      agent(10, { loggedIn: false }),
      agent(11, { openTabs: 3 }),
      agent(12, { channels: { voice: { open: 1 } } }),
      agent(13, { channels: { voice: { paused: true, pauseReason: 'back-office' } } }),
      agent(14, { device: 'unavailable' }),
      agent(15, { device: 'inuse' }),
      agent(16, { channels: { voice: { wrapupUntil: T0 + 10_000 } } }),
      agent(17, { channels: { voice: { pendingOffer: true } } }),
      agent(18),
      // 19 is not in the snapshot at all
    );
    const d = decide(q, entry({ refusals: [refusal(18, T0 - 1000, 'rejected')] }), agents, T0, { limits: { maxOpenTabs: 3 } });
    expect(d.offers).to.deep.equal([]);
    expect(d.offerExpiresAt).to.equal(null);
    expect(d.considered.map((c) => [c.agentId, c.eligible, c.reason, c.detail])).to.deep.equal([
      [10, false, 'logged-out', null],
      [11, false, 'at-tab-limit', null],
      [12, false, 'at-capacity', null],
      [13, false, 'paused', 'back-office'],
      [14, false, 'unreachable', 'device unavailable'],
      [15, false, 'busy', 'device inuse'],
      [16, false, 'in-wrapup', null],
      [17, false, 'offer-pending', null],
      [18, false, 'rejected-recently', 'rejected 1000 ms ago (1×)'],
      [19, false, 'logged-out', 'not in snapshot'],
    ]);
  });

  it('marks who was offered, and eligible members a sequential strategy did not pick', () => {
    const d = decide(queue({ strategy: 'linear', memberIds: [1, 2, 3] }), entry(), agentMap(agent(1), agent(2), agent(3)), T0, { limits: NO_LIMITS });
    expect(d.considered.map((c) => [c.agentId, c.eligible, c.offered, c.reason])).to.deep.equal([
      [1, true, true, null],
      [2, true, false, null],
      [3, true, false, null],
    ]);
    expect(d).to.include({ queueId: 1, entryId: 'e1', strategy: 'linear', decidedAt: T0, tier: 0 });
  });

  it('an empty queue decides nobody, without error', () => {
    const d = decide(queue({ memberIds: [] }), entry(), agentMap(), T0, { limits: NO_LIMITS });
    expect(d.offers).to.deep.equal([]);
    expect(d.considered).to.deep.equal([]);
    expect(d.tier).to.equal(null);
  });
});

describe('acd routing: decide — penalty tiers', () => {
  const tiers = (strategy: 'ringall' | 'linear') =>
    queue({
      strategy,
      members: [
        { agentId: 1, penalty: 2 },
        { agentId: 2, penalty: 0 },
        { agentId: 3, penalty: 1 },
        { agentId: 4, penalty: 0 },
      ],
    });

  it('only the lowest penalty tier with an eligible member is offered; the others read "penalty"', () => {
    const d = decide(tiers('ringall'), entry(), agentMap(agent(1), agent(2), agent(3), agent(4)), T0, { limits: NO_LIMITS });
    expect(offeredIds(d)).to.deep.equal([2, 4]);
    expect(d.tier).to.equal(0);
    expect(reasonOf(d, 1)).to.equal('penalty');
    expect(reasonOf(d, 3)).to.equal('penalty');
    expect(d.considered.find((c) => c.agentId === 3)!.detail).to.equal('penalty 0 has eligible agents');
  });

  it('the next tier is reached only when every member of the lower one is unavailable', () => {
    const tier0Busy = agentMap(agent(1), agent(2, { channels: { chat: { paused: true } } }), agent(3), agent(4, { loggedIn: false }));
    const d = decide(tiers('ringall'), entry(), tier0Busy, T0, { limits: NO_LIMITS });
    expect(offeredIds(d)).to.deep.equal([3]);
    expect(d.tier).to.equal(1);
    expect(reasonOf(d, 1)).to.equal('penalty');
    expect(reasonOf(d, 2)).to.equal('paused');
    const onlyTier2 = agentMap(agent(1), agent(2, { loggedIn: false }), agent(4, { loggedIn: false }));
    expect(offeredIds(decide(tiers('linear'), entry(), onlyTier2, T0, { limits: NO_LIMITS }))).to.deep.equal([1]);
  });

  it('a tier-0 agent who refused the entry lets the call go to the next tier rather than ringing them again', () => {
    const d = decide(tiers('linear'), entry({ refusals: [refusal(2, T0 - 20_000), refusal(4, T0 - 1000)] }), agentMap(agent(1), agent(2), agent(3), agent(4)), T0, {
      limits: NO_LIMITS,
    });
    // 4 is in cooldown; 2 is past it but has refused once while 1 and 3 never did.
    expect(offeredIds(d)).to.deep.equal([3]);
    expect(reasonOf(d, 2)).to.equal('rejected-recently');
    expect(d.considered.find((c) => c.agentId === 2)!.detail).to.equal('timeout 20000 ms ago (1×); others refused it fewer times');
  });
});

describe('acd routing: decide — refusals', () => {
  it('ringall: after a round nobody answered, everyone rings again once retryMs has passed (Asterisk retry)', () => {
    const q = queue({ strategy: 'ringall', memberIds: [1, 2, 3], retryMs: 5000 });
    const agents = agentMap(agent(1), agent(2), agent(3));
    // The three offers expired a few ms apart.
    const e = entry({ refusals: [refusal(1, T0), refusal(2, T0 + 2), refusal(3, T0 + 3)] });
    expect(decide(q, e, agents, T0 + 4_000, { limits: NO_LIMITS }).offers).to.have.length(0);
    expect(offeredIds(decide(q, e, agents, T0 + 5_003, { limits: NO_LIMITS }))).to.deep.equal([1, 2, 3]);
  });

  it('a lone agent is offered the entry again after retryMs', () => {
    const q = queue({ strategy: 'rrmemory', memberIds: [1], retryMs: 3000 });
    const e = entry({ refusals: [refusal(1, T0, 'rejected')] });
    expect(decide(q, e, agentMap(agent(1)), T0 + 2999, { limits: NO_LIMITS }).offers).to.have.length(0);
    expect(offeredIds(decide(q, e, agentMap(agent(1)), T0 + 3000, { limits: NO_LIMITS }))).to.deep.equal([1]);
  });

  it('an agent who refused but is now unavailable does not hold the others back', () => {
    // 2 refused twice and 3 only once, but 3 is paused and 1 logged out: 2 is the only one who can
    // take it, so its two refusals do not matter.
    const q = queue({ strategy: 'linear', memberIds: [1, 2, 3], retryMs: 0 });
    const agents = agentMap(agent(1, { loggedIn: false }), agent(2), agent(3, { channels: { chat: { paused: true } } }));
    const e = entry({ refusals: [refusal(2, T0 - 50_000), refusal(2, T0 - 20_000), refusal(3, T0 - 40_000)] });
    expect(offeredIds(decide(q, e, agents, T0, { limits: NO_LIMITS }))).to.deep.equal([2]);
  });
});

describe('acd routing: decideMany — several waiting entries', () => {
  it('routes by priority then arrival; an agent offered one entry is offer-pending for the next', () => {
    const q = queue({ strategy: 'linear', memberIds: [1, 2] });
    const agents = agentMap(agent(1), agent(2));
    const entries = [
      entry({ id: 'late', enqueuedAt: T0 - 1000 }),
      entry({ id: 'vip', priority: 5, enqueuedAt: T0 - 10 }),
      entry({ id: 'early', enqueuedAt: T0 - 9000 }),
    ];
    const { decisions } = decideMany(q, entries, agents, T0, { limits: NO_LIMITS });
    expect(decisions.map((d) => [d.entryId, offeredIds(d)])).to.deep.equal([
      ['vip', [1]],
      ['early', [2]],
      ['late', []],
    ]);
    expect(reasonOf(decisions[2]!, 1)).to.equal('offer-pending');
    expect(decisions[2]!.considered[0]!.detail).to.equal('offered an earlier entry in this routing pass');
  });

  it('carries the rrmemory position from one entry to the next', () => {
    const q = queue({ strategy: 'rrmemory', memberIds: [1, 2, 3] });
    const agents = agentMap(agent(1), agent(2), agent(3));
    const r = decideMany(q, [entry({ id: 'a', enqueuedAt: T0 - 3 }), entry({ id: 'b', enqueuedAt: T0 - 2 })], agents, T0, { limits: NO_LIMITS, rrLastAgentId: 1 });
    expect(r.decisions.map(offeredIds)).to.deep.equal([[2], [3]]);
    expect(r.rrLastAgentId).to.equal(3);
  });
});

describe('acd routing: decide — offers', () => {
  it('carries each offer’s auto-answer and the offer expiry', () => {
    const q = queue({ strategy: 'ringall', memberIds: [1, 2], timeoutMs: 20_000 });
    const agents = agentMap(agent(1, { channels: { chat: { autoAnswer: { enabled: true, delaySeconds: 3 } } } }), agent(2));
    const d = decide(q, entry(), agents, T0, { limits: NO_LIMITS });
    expect(d.offers).to.deep.equal([
      { agentId: 1, autoAnswer: { auto: true, delayMs: 3000 } },
      { agentId: 2, autoAnswer: { auto: false, reason: 'not-enabled' } },
    ]);
    expect(d.offerExpiresAt).to.equal(T0 + 20_000);
  });
});

describe('acd routing: decide — purity and bad input', () => {
  it('does not touch its inputs and gives the same decision for the same inputs', () => {
    const q = queue({ strategy: 'rrmemory', memberIds: [1, 2, 3] });
    const agents = deepFreeze(agentMap(agent(1), agent(2, { channels: { chat: { paused: true } } }), agent(3)));
    const e = deepFreeze(entry({ refusals: [refusal(1, T0 - 1)] }));
    const state = deepFreeze({ limits: { maxOpenTabs: 4 }, rrLastAgentId: 3 });
    const a = decide(q, e, agents, T0, state);
    const b = decide(q, e, agents, T0, state);
    expect(a).to.deep.equal(b);
    expect(offeredIds(a)).to.deep.equal([3]);
  });

  it('refuses an entry of another queue, a raw config, a snapshot map that answers with the wrong agent', () => {
    const q = queue({ memberIds: [1] });
    expect(() => decide(q, entry({ queueId: 9 }), agentMap(agent(1)), T0, { limits: NO_LIMITS })).to.throw(RoutingInputError, 'entry e1.queueId: is 9, but it is being routed in queue 1');
    const raw = { id: 1, channel: 'chat', strategy: 'ringall', members: [], timeoutMs: 1, wrapupMs: 0, maxWaiting: 0 } as QueueConfig;
    expect(() => decide(raw as unknown as CompiledQueue, entry(), agentMap(), T0, { limits: NO_LIMITS })).to.throw(RoutingInputError, 'queue: must be a CompiledQueue');
    const wrong = new Map([[1, agent(2)]]);
    expect(() => decide(q, entry(), wrong, T0, { limits: NO_LIMITS })).to.throw(RoutingInputError, 'agents.get(1): returned the snapshot of agent 2');
    expect(() => decide(q, entry(), agentMap(agent(1)), T0, { limits: { maxOpenTabs: -3 } })).to.throw(RoutingInputError, 'limits.maxOpenTabs');
    expect(() => decide(q, entry({ refusals: [{ agentId: 1, at: T0, kind: 'nope' as 'timeout' }] }), agentMap(agent(1)), T0, { limits: NO_LIMITS })).to.throw(
      RoutingInputError,
      'entry e1.refusals[0].kind',
    );
  });

  it('a bad statistic names the agent and queue', () => {
    const q = queue({ strategy: 'fewestcalls', memberIds: [1] });
    expect(() => decide(q, entry(), agentMap(agent(1, { stats: { 1: { callsToday: -1 } } })), T0, { limits: NO_LIMITS })).to.throw(RoutingInputError, 'agent 1.queueStats(1).callsToday');
  });
});

describe('acd routing: decide — invariants (property-based)', () => {
  const agentSpec = fc.option(
    fc.record({
      loggedIn: fc.boolean(),
      openTabs: fc.integer({ min: 0, max: 6 }),
      device: fc.constantFrom('registered', 'unavailable', 'invalid', 'inuse', 'ringing', 'unknown' as const),
      ringInUse: fc.boolean(),
      paused: fc.boolean(),
      open: fc.integer({ min: 0, max: 3 }),
      capacity: fc.integer({ min: 0, max: 3 }),
      wrapup: fc.boolean(),
      pending: fc.boolean(),
    }),
    { freq: 8 }, // 1 in 8 members is missing from the snapshot
  );
  const memberSpec = fc.tuple(fc.integer({ min: 0, max: 3 }), agentSpec);

  it('offers only agents that pass eligibility(), one tier (but wrandom), never nobody when somebody could, and explains every member once', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...STRATEGIES),
        fc.array(memberSpec, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 20_000 })), { maxLength: 6 }),
        (strategy, specs, maxOpenTabs, seed, refusalSpecs) => {
          const members = specs.map(([penalty], i) => ({ agentId: 100 + i, penalty }));
          const q = compileQueue({ id: 1, channel: 'voice', strategy, members, timeoutMs: 10_000, wrapupMs: 0, maxWaiting: 0 });
          const snapshots: AgentSnapshot[] = [];
          specs.forEach(([, o], i) => {
            if (o === null) return;
            snapshots.push(
              agent(100 + i, {
                loggedIn: o.loggedIn,
                openTabs: o.openTabs,
                device: o.device,
                ringInUse: o.ringInUse,
                channels: { voice: { paused: o.paused, open: o.open, capacity: o.capacity, wrapupUntil: o.wrapup ? T0 + 1 : null, pendingOffer: o.pending } },
              }),
            );
          });
          const agents = agentMap(...snapshots);
          const limits = { maxOpenTabs };
          const e = entry({ refusals: refusalSpecs.map(([i, ago]) => refusal(100 + i, T0 - ago)) });
          const d = decide(q, e, agents, T0, { limits, random: seeded(seed) });

          expect(d.considered.map((c) => c.agentId)).to.deep.equal(members.map((m) => m.agentId));
          for (const c of d.considered) expect(c.eligible).to.equal(c.reason === null);
          const offered = offeredIds(d);
          expect(new Set(offered).size).to.equal(offered.length);
          for (const id of offered) {
            expect(eligibility(agents.get(id)!, q, 'voice', T0, limits, e)).to.deep.equal({ ok: true });
            expect(d.considered.find((c) => c.agentId === id)).to.include({ eligible: true, offered: true });
          }
          // Liveness: the cross-agent rules (tiers, refusal rotation) never leave the entry unoffered
          // while some member could take it.
          const couldTakeIt = snapshots.some((a) => eligibility(a, q, 'voice', T0, limits, e).ok);
          expect(offered.length > 0).to.equal(couldTakeIt);
          const eligible = d.considered.filter((c) => c.eligible).map((c) => c.agentId);
          if (strategy === 'ringall' || strategy === 'beepall') expect(offered).to.deep.equal(eligible);
          else expect(offered.length).to.be.at.most(1);
          if (strategy !== 'wrandom') {
            expect(new Set(d.considered.filter((c) => c.eligible).map((c) => c.penalty)).size).to.be.at.most(1);
            if (d.tier !== null) for (const c of d.considered) if (c.reason === 'penalty') expect(c.penalty).to.be.greaterThan(d.tier);
          }
        },
      ),
      { numRuns: 400, seed: 5 },
    );
  });
});
