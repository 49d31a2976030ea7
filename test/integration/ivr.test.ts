// An IVR project in the designer's format, published through the API and reached through an
// inbound route by a real SIP call: SIPp as the carrier dials the DID on the project's trunk, picks
// a menu choice with an RFC 4733 key, hears a Playback, and Tandem hangs up. Judged from Asterisk's
// side (the DTMF it decoded, the AGI commands it ran, the hang-up) and from Tandem's call record.
import { expect } from 'chai';
import { desc, eq } from 'drizzle-orm';
import { calls } from '../../server/db/schema.ts';
import { routeInbound, startLab, type Lab } from './lab.ts';

const DID = '0612345678';

const menuProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Lab main line',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'menu' } },
    menu: {
      type: 'Menu',
      params: { prompts: ['beep'], choices: ['1', '2'], timeoutSec: 15, retries: 0 },
      exits: { '1': 'sales', '2': 'support', invalid: 'bye', timeout: 'bye' },
    },
    sales: { type: 'Playback', params: { prompts: ['hello-world'] }, exits: { next: 'bye' } },
    support: { type: 'Playback', params: { prompts: ['demo-congrats'] }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};

describe('integration: an IVR reached over SIP through an inbound route', function () {
  this.timeout(120_000);
  let lab: Lab;

  before(async function () {
    lab = await startLab(this);
    await routeInbound(lab.node, { name: 'Lab main line', pattern: '_06XXXXXXXX', project: menuProject });
  });
  after(async () => {
    await lab?.stop();
  });

  it('takes the menu choice keyed as RFC 4733 DTMF, plays the prompt and hangs up; the call record shows the path', async () => {
    const carrier = await lab.carrier(DID, { caller: '3331', dtmf: '2', dtmfAfterMs: 2_500 });
    await carrier.waitForLog(/^ENDED 33311 /, 'Asterisk hanging the caller up');
    expect(await carrier.exited).to.equal(0);

    // Asterisk's side: the trunk channel entered tandem-inbound with the DID, the key was decoded
    // from RTP, Tandem's AGI commands ran on that channel, and it was hung up.
    const [start] = await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Context === 'tandem-inbound' && e.Exten === DID && e.Priority === '1', 'the call in tandem-inbound');
    const channel = start!.Channel!;
    expect(channel).to.match(/^PJSIP\/tandem-trunk-/);
    expect(start!.CallerIDNum).to.equal('33311');
    const dtmf = lab.ami.find((e) => e.Event === 'DTMFEnd' && e.Channel === channel && e.Direction === 'Received').map((e) => e.Digit);
    expect(dtmf).to.deep.equal(['2']);
    const agi = lab.ami.find((e) => e.Event === 'AGIExecStart' && e.Channel === channel).map((e) => e.Command);
    expect(agi.some((c) => /^STREAM FILE demo-congrats/i.test(c ?? '')), JSON.stringify(agi)).to.equal(true);
    expect(agi.some((c) => /^STREAM FILE hello-world/i.test(c ?? ''))).to.equal(false);
    await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === channel, 'the caller hung up');
    // Asterisk's call-detail record: answered, to the DID, ended in Tandem's AGI.
    const [cdr] = await lab.ami.waitFor((e) => e.Event === 'Cdr' && e.Channel === channel, "Asterisk's CDR of the call", { timeoutMs: 60_000 });
    expect(cdr).to.include({ Disposition: 'ANSWERED', Destination: DID, DestinationContext: 'tandem-inbound', Source: '33311', LastApplication: 'AGI' });

    // Tandem's record of the same call.
    const db = lab.node.tandem.database.db;
    const [row] = await db.select().from(calls).where(eq(calls.did, DID)).orderBy(desc(calls.id)).limit(1);
    expect(row).to.include({ direction: 'inbound', callerNumber: '33311', outcome: 'completed', channelName: channel });
    expect(row!.answeredAt).to.be.instanceOf(Date);
    expect(row!.endedAt).to.be.instanceOf(Date);
    expect((row!.trace as { blockId: string; exit: string | null }[]).map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal(['start:next', 'menu:2', 'support:next', 'bye:@end']);
  });
});
