// One block per strategy. Deterministic strategies are pinned exactly; random and wrandom get a
// scripted random() for exact picks and a seeded one for a bounded statistical check.
import { expect } from 'chai';
import { decide, RoutingInputError, type AgentId, type CompiledQueue, type Strategy } from '../../../server/acd/routing/index.ts';
import { agent, agentMap, entry, NO_LIMITS, offeredIds, queue, reasonOf, refusal, scripted, seeded, T0 } from './helpers.ts';

const team = agentMap(agent(1), agent(2), agent(3), agent(4));
const q = (strategy: Strategy, o: Parameters<typeof queue>[0] = {}) => queue({ strategy, memberIds: [1, 2, 3, 4], ...o });

describe('acd routing: strategies', () => {
  describe('ringall', () => {
    it('offers every eligible member at once, in member order', () => {
      const agents = agentMap(agent(1), agent(2, { channels: { chat: { paused: true } } }), agent(3), agent(4));
      const d = decide(q('ringall'), entry(), agents, T0, { limits: NO_LIMITS });
      expect(offeredIds(d)).to.deep.equal([1, 3, 4]);
      expect(reasonOf(d, 2)).to.equal('paused');
      expect(d.offerExpiresAt).to.equal(T0 + 15_000);
    });
  });

  describe('beepall', () => {
    it('notifies every eligible member like ringall, and never auto-answers', () => {
      const auto = { chat: { autoAnswer: { enabled: true, delaySeconds: 2 } } };
      const agents = agentMap(agent(1, { channels: auto }), agent(2, { channels: auto }), agent(3, { loggedIn: false }), agent(4, { channels: auto }));
      const d = decide(q('beepall'), entry(), agents, T0, { limits: NO_LIMITS });
      expect(offeredIds(d)).to.deep.equal([1, 2, 4]);
      for (const o of d.offers) expect(o.autoAnswer).to.deep.equal({ auto: false, reason: 'beepall' });
    });
  });

  describe('linear', () => {
    it('offers the first eligible member in configured order', () => {
      const queueInOrder = queue({ strategy: 'linear', memberIds: [3, 1, 4, 2] });
      expect(offeredIds(decide(queueInOrder, entry(), team, T0, { limits: NO_LIMITS }))).to.deep.equal([3]);
      const agents = agentMap(agent(1), agent(2), agent(3, { channels: { chat: { pendingOffer: true } } }), agent(4));
      expect(offeredIds(decide(queueInOrder, entry(), agents, T0, { limits: NO_LIMITS }))).to.deep.equal([1]);
    });

    it("walks down the list as members let the entry's offers expire, then wraps (Asterisk's linpos)", () => {
      const lin = q('linear', { retryMs: 5000 });
      const refusals: ReturnType<typeof refusal>[] = [];
      const order: AgentId[] = [];
      let now = T0;
      for (let round = 0; round < 6; round++) {
        const d = decide(lin, entry({ refusals: [...refusals] }), team, now, { limits: NO_LIMITS });
        const [who] = offeredIds(d);
        order.push(who!);
        now += 15_000; // the offer times out
        refusals.push(refusal(who!, now));
      }
      expect(order).to.deep.equal([1, 2, 3, 4, 1, 2]);
    });
  });

  describe('rrmemory', () => {
    it('rotates across decisions, resuming after the last agent offered', () => {
      const rr = q('rrmemory');
      let last: AgentId | null = null;
      const order: AgentId[] = [];
      for (let i = 0; i < 6; i++) {
        const d = decide(rr, entry({ id: `e${i}` }), team, T0 + i, { limits: NO_LIMITS, rrLastAgentId: last });
        order.push(offeredIds(d)[0]!);
        last = d.rrLastAgentId;
      }
      expect(order).to.deep.equal([1, 2, 3, 4, 1, 2]);
    });

    it('skips ineligible members and resumes after the last one offered even if it is now busy', () => {
      const agents = agentMap(agent(1), agent(2, { channels: { chat: { pendingOffer: true } } }), agent(3, { channels: { chat: { paused: true } } }), agent(4));
      const d = decide(q('rrmemory'), entry(), agents, T0, { limits: NO_LIMITS, rrLastAgentId: 1 });
      expect(offeredIds(d)).to.deep.equal([4]);
      expect(d.rrLastAgentId).to.equal(4);
      const wrap = decide(q('rrmemory'), entry(), agents, T0, { limits: NO_LIMITS, rrLastAgentId: 4 });
      expect(offeredIds(wrap)).to.deep.equal([1]);
    });

    it('starts from the top when the remembered agent left the queue, and keeps the position when nobody is offered', () => {
      expect(offeredIds(decide(q('rrmemory'), entry(), team, T0, { limits: NO_LIMITS, rrLastAgentId: 99 }))).to.deep.equal([1]);
      const nobody = agentMap(agent(1, { loggedIn: false }));
      const d = decide(q('rrmemory'), entry(), nobody, T0, { limits: NO_LIMITS, rrLastAgentId: 3 });
      expect(d.offers).to.have.length(0);
      expect(d.rrLastAgentId).to.equal(3);
    });
  });

  describe('leastrecent', () => {
    it('offers the member whose last interaction of THIS queue ended longest ago; never called comes first', () => {
      const agents = agentMap(
        agent(1, { stats: { 1: { lastCallEndAt: T0 - 60_000 } } }),
        agent(2, { stats: { 1: { lastCallEndAt: T0 - 600_000 }, 2: { lastCallEndAt: T0 - 9_000_000 } } }),
        agent(3, { stats: { 1: { lastCallEndAt: T0 - 5_000 } } }),
        agent(4, { stats: { 1: { lastCallEndAt: T0 - 300_000 } } }),
      );
      expect(offeredIds(decide(q('leastrecent'), entry(), agents, T0, { limits: NO_LIMITS }))).to.deep.equal([2]);
      const withNewcomer = new Map(agents).set(3, agent(3));
      expect(offeredIds(decide(q('leastrecent'), entry(), withNewcomer, T0, { limits: NO_LIMITS }))).to.deep.equal([3]);
    });

    it('breaks ties by member order', () => {
      const agents = agentMap(agent(1, { stats: { 1: { lastCallEndAt: T0 - 1 } } }), agent(2), agent(3), agent(4));
      expect(offeredIds(decide(q('leastrecent'), entry(), agents, T0, { limits: NO_LIMITS }))).to.deep.equal([2]);
    });
  });

  describe('fewestcalls', () => {
    it('offers the member with the fewest interactions of this queue answered today; ties by member order', () => {
      const agents = agentMap(
        agent(1, { stats: { 1: { callsToday: 7 } } }),
        agent(2, { stats: { 1: { callsToday: 3 }, 2: { callsToday: 0 } } }),
        agent(3, { stats: { 1: { callsToday: 3 } } }),
        agent(4, { stats: { 1: { callsToday: 9 } } }),
      );
      expect(offeredIds(decide(q('fewestcalls'), entry(), agents, T0, { limits: NO_LIMITS }))).to.deep.equal([2]);
      // No statistics yet = 0 calls.
      const fresh = new Map(agents).set(4, agent(4));
      expect(offeredIds(decide(q('fewestcalls'), entry(), fresh, T0, { limits: NO_LIMITS }))).to.deep.equal([4]);
    });
  });

  describe('random', () => {
    it('picks index floor(random() × eligible count) among the eligible members', () => {
      const agents = agentMap(agent(1), agent(2, { loggedIn: false }), agent(3), agent(4));
      expect(offeredIds(decide(q('random'), entry(), agents, T0, { limits: NO_LIMITS, random: scripted(0) }))).to.deep.equal([1]);
      expect(offeredIds(decide(q('random'), entry(), agents, T0, { limits: NO_LIMITS, random: scripted(0.5) }))).to.deep.equal([3]);
      expect(offeredIds(decide(q('random'), entry(), agents, T0, { limits: NO_LIMITS, random: scripted(0.999) }))).to.deep.equal([4]);
    });

    it('is uniform over the eligible members (3,000 seeded draws, each share within 1/3 ± 0.04)', () => {
      const agents = agentMap(agent(1), agent(2), agent(3), agent(4, { channels: { chat: { paused: true } } }));
      const counts = new Map<AgentId, number>();
      const random = seeded(42);
      const draws = 3000;
      for (let i = 0; i < draws; i++) {
        const [who] = offeredIds(decide(q('random'), entry(), agents, T0, { limits: NO_LIMITS, random }));
        counts.set(who!, (counts.get(who!) ?? 0) + 1);
      }
      expect([...counts.keys()].sort()).to.deep.equal([1, 2, 3]);
      for (const n of counts.values()) expect(n / draws).to.be.closeTo(1 / 3, 0.04);
    });

    it('keeps to the best penalty tier, like Asterisk (penalty × 1000000 in the metric)', () => {
      const tiers = queue({ strategy: 'random', members: [{ agentId: 1, penalty: 1 }, { agentId: 2, penalty: 0 }, { agentId: 3, penalty: 1 }] });
      const random = seeded(7);
      for (let i = 0; i < 50; i++) expect(offeredIds(decide(tiers, entry(), team, T0, { limits: NO_LIMITS, random }))).to.deep.equal([2]);
    });
  });

  describe('wrandom', () => {
    const weighted = queue({ strategy: 'wrandom', members: [{ agentId: 1, penalty: 0 }, { agentId: 2, penalty: 1 }] });

    it('draws random() × (1 + penalty) per eligible member; the lowest wins', () => {
      // agent 1: 0.6 × 1 = 0.6; agent 2: 0.2 × 2 = 0.4 → agent 2, although its penalty is higher.
      const d = decide(weighted, entry(), team, T0, { limits: NO_LIMITS, random: scripted(0.6, 0.2) });
      expect(offeredIds(d)).to.deep.equal([2]);
      expect(reasonOf(d, 1)).to.equal(null);
      expect(d.tier).to.equal(1);
      expect(offeredIds(decide(weighted, entry(), team, T0, { limits: NO_LIMITS, random: scripted(0.3, 0.2) }))).to.deep.equal([1]);
    });

    it('weights by penalty: penalty 0 against penalty 1 wins 3/4 of 4,000 seeded draws (± 0.03)', () => {
      const random = seeded(2026);
      let wins = 0;
      const draws = 4000;
      for (let i = 0; i < draws; i++) if (offeredIds(decide(weighted, entry(), team, T0, { limits: NO_LIMITS, random }))[0] === 1) wins++;
      expect(wins / draws).to.be.closeTo(0.75, 0.03);
    });
  });

  describe('random strategies need a random()', () => {
    for (const strategy of ['random', 'wrandom'] as const) {
      it(`${strategy}: a missing random() or one outside [0, 1) is a clear error`, () => {
        const rq: CompiledQueue = q(strategy);
        expect(() => decide(rq, entry(), team, T0, { limits: NO_LIMITS })).to.throw(RoutingInputError, `queue 1 uses ${strategy}: pass a random() function`);
        expect(() => decide(rq, entry(), team, T0, { limits: NO_LIMITS, random: () => 1 })).to.throw(RoutingInputError, 'state.random: must return a number in [0, 1), returned 1');
      });
    }
  });
});
