// report_<channel>_queue rows, per XCALLY's queue report rules (server/acd/routing/report.ts states them).
import { expect } from 'chai';
import { decide, queueReportRow, RoutingInputError, type PassageEnd } from '../../../server/acd/routing/index.ts';
import { agent, agentMap, entry, queue, T0 } from './helpers.ts';

describe('acd routing: queue report rows (XCALLY report reasons)', () => {
  const chatQueue = queue({ id: 4, channel: 'chat', memberIds: [1] });
  const e = entry({ id: 77, queueId: 4, enqueuedAt: T0 - 42_000 });

  it('XCALLY "if the message is accepted … reason accepted" and "you will see the relative UserId"', () => {
    expect(queueReportRow(chatQueue, e, { outcome: 'accepted', agentId: 1, at: T0 })).to.deep.equal({
      table: 'report_chat_queue',
      queueId: 4,
      channel: 'chat',
      entryId: 77,
      reason: 'accepted',
      userId: 1,
      enqueuedAt: T0 - 42_000,
      endedAt: T0,
      waitMs: 42_000,
    });
  });

  it('XCALLY "exceeds the timeout … reason timeout" and "abandons … reason abandoned": no user id', () => {
    expect(queueReportRow(chatQueue, e, { outcome: 'timeout', at: T0 })).to.include({ reason: 'timeout', userId: null, waitMs: 42_000 });
    expect(queueReportRow(chatQueue, e, { outcome: 'abandoned', at: T0 - 2000 })).to.include({ reason: 'abandoned', userId: null, waitMs: 40_000 });
  });

  it('leaving because the queue is empty is recorded as a timeout (the routing gave up, the customer did not)', () => {
    expect(queueReportRow(chatQueue, e, { outcome: 'left-empty', at: T0 })).to.include({ reason: 'timeout', userId: null });
  });

  it('one table per channel: report_<channel>_queue', () => {
    for (const channel of ['voice', 'chat', 'sms', 'email', 'openchannel', 'fax', 'whatsapp'] as const) {
      expect(queueReportRow({ id: 1, channel }, e, { outcome: 'timeout', at: T0 }).table).to.equal(`report_${channel}_queue`);
    }
  });

  it('XCALLY scenario "agent reaches Max Capacity or Max Tab Limits → not notified, reason timeout"', () => {
    const q = queue({ id: 4, channel: 'chat', strategy: 'ringall', memberIds: [1, 2], timeoutMs: 30_000 });
    const agents = agentMap(agent(1, { channels: { chat: { open: 3, capacity: 3 } } }), agent(2, { openTabs: 5 }));
    // Every decision while the entry waits: nobody is notified…
    for (let t = e.enqueuedAt; t <= T0; t += 5000) expect(decide(q, e, agents, t, { limits: { maxOpenTabs: 5 } }).offers).to.deep.equal([]);
    // …so the passage ends at the Queue block's timeout, and the row says so.
    expect(queueReportRow(q, e, { outcome: 'timeout', at: T0 })).to.include({ table: 'report_chat_queue', reason: 'timeout', userId: null });
  });

  it('XCALLY "several queues one after the other → an entry for each": QueueA timeout then QueueB accepted', () => {
    const queueA = queue({ id: 10, channel: 'sms', memberIds: [1] });
    const queueB = queue({ id: 11, channel: 'sms', memberIds: [2] });
    const inA = entry({ id: 'sms-1@A', queueId: 10, enqueuedAt: T0 });
    const inB = entry({ id: 'sms-1@B', queueId: 11, enqueuedAt: T0 + 60_000 });
    const rows = [queueReportRow(queueA, inA, { outcome: 'timeout', at: T0 + 60_000 }), queueReportRow(queueB, inB, { outcome: 'accepted', agentId: 2, at: T0 + 75_000 })];
    expect(rows.map((r) => [r.table, r.queueId, r.reason, r.userId, r.waitMs])).to.deep.equal([
      ['report_sms_queue', 10, 'timeout', null, 60_000],
      ['report_sms_queue', 11, 'accepted', 2, 15_000],
    ]);
  });

  it('bad input: an end before the entry, an accepted passage without an agent, an unknown outcome or channel', () => {
    expect(() => queueReportRow(chatQueue, e, { outcome: 'timeout', at: T0 - 50_000 })).to.throw(RoutingInputError, 'end.at');
    expect(() => queueReportRow(chatQueue, e, { outcome: 'accepted', at: T0 } as PassageEnd)).to.throw(RoutingInputError, "needs the accepting agent's user id");
    expect(() => queueReportRow(chatQueue, e, { outcome: 'lost', at: T0 } as unknown as PassageEnd)).to.throw(RoutingInputError, '"lost" is not accepted');
    expect(() => queueReportRow({ id: 1, channel: 'pigeon' as 'chat' }, e, { outcome: 'timeout', at: T0 })).to.throw(RoutingInputError, 'queue 1.channel');
  });
});
