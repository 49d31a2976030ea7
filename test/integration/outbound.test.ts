// An agent calling out on a real Asterisk: the agent's desk phone (SIPp, authenticated as its PJSIP
// endpoint) dials an external number, the dialplan hands it to Tandem's /outbound AGI, the outbound
// route picks the trunk, rewrites the number and sets the caller id, and Tandem dials the trunk. Judged
// where a carrier judges it: SIPp answering on the trunk's remote port reads the request URI, From and
// P-Asserted-Identity of the INVITE it receives; and from Asterisk's side (the Dial Tandem ran, both
// legs bridged) and Tandem's call record.
import { expect } from 'chai';
import { desc, eq } from 'drizzle-orm';
import { calls } from '../../server/db/schema.ts';
import { agentBody } from '../support/tandem.ts';
import { eventually } from '../support/eventually.ts';
import { startLab, type Lab } from './lab.ts';
import { carrierAnswer, phoneCall } from './lab-calls.ts';
import type { SippRun } from './sipp.ts';

const EXTENSION = '2101';

describe('integration: an agent calls out through an outbound route and the trunk', function () {
  this.timeout(240_000);
  let lab: Lab;
  const runs: SippRun[] = [];
  let nationalRouteId: number;

  before(async function () {
    lab = await startLab(this);
    const { client, adminToken: t } = lab.node;
    const a = await client.post('/api/agents', agentBody({ extension: EXTENSION }), t);
    expect(a.status, a.text).to.equal(201);
    // The trunk of the lab (the carrier's SIPp): its own caller id, used by routes that set none.
    const trunk = await client.post<{ id: number }>('/api/voice/trunks', { name: 'Lab carrier', endpoint: 'tandem-trunk', callerId: 'Tandem Main <+390200000000>' }, t);
    expect(trunk.status, trunk.text).to.equal(201);
    // National numbers (0 + digits): the leading 0 is kept and the country code prepended, with the
    // sales line as the caller id.
    const national = await client.post<{ id: number }>('/api/voice/routes', {
      kind: 'outbound',
      name: 'National',
      pattern: '_0XXXXXXXX.',
      position: 10,
      trunkId: trunk.body.id,
      prepend: '+39',
      callerId: 'Tandem Sales <+390212345678>',
    }, t);
    expect(national.status, national.text).to.equal(201);
    nationalRouteId = national.body.id;
    // International (00 + digits), tried first (00… matches the national pattern too): 00 becomes +,
    // and the trunk's caller id applies.
    const international = await client.post('/api/voice/routes', {
      kind: 'outbound',
      name: 'International',
      pattern: '_00X.',
      position: 0,
      trunkId: trunk.body.id,
      stripDigits: 2,
      prepend: '+',
    }, t);
    expect(international.status, international.text).to.equal(201);
  });
  after(async () => {
    for (const r of runs) await r.stop().catch(() => undefined);
    await lab?.stop();
  });

  /** The agent's phone dials `number`; the carrier answers; the agent hangs up after a short talk. */
  async function callOut(number: string) {
    const carrier = await carrierAnswer(lab, { talkMs: 60_000 });
    runs.push(carrier);
    const phone = await phoneCall(lab, EXTENSION, number, { dtmfAfterMs: 1_500, hangupAfterMs: 1_000 });
    runs.push(phone);
    const invite = await carrier.invite();
    await phone.waitForLog(/^ANSWERED /, 'the agent hearing the carrier answer', { timeoutMs: 60_000 });
    await phone.waitForLog(/^HUNGUP /, 'the agent hanging up', { timeoutMs: 60_000 });
    await carrier.waitForLog(/^ENDED /, 'the carrier taking the BYE', { timeoutMs: 60_000 });
    expect(await phone.exited, phone.errors()).to.equal(0);
    await carrier.stop();
    // Asterisk's side: the phone's channel ran Tandem's /outbound AGI, which dialled the trunk.
    const [agi] = lab.ami.find((e) => e.Event === 'AGIExecStart' && e.Channel?.startsWith(`PJSIP/${EXTENSION}-`) === true && /^EXEC Dial/i.test(e.Command ?? '') && (e.Command ?? '').includes('@tandem-trunk'));
    expect(agi, 'Tandem dialled the trunk over AGI').to.not.equal(undefined);
    const agentChannel = agi!.Channel!;
    const [trunkLeg] = await lab.ami.waitFor((e) => e.Event === 'Newchannel' && e.Channel?.startsWith('PJSIP/tandem-trunk-') === true && e.Linkedid === agi!.Linkedid, 'the trunk leg');
    const bridge = (c: string) => lab.ami.find((e) => e.Event === 'BridgeEnter' && e.Channel === c)[0]?.BridgeUniqueid;
    await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === trunkLeg!.Channel, 'the trunk leg bridged');
    expect(bridge(agentChannel), 'agent and carrier in one bridge').to.be.a('string').and.equal(bridge(trunkLeg!.Channel!));
    return { invite, agentChannel, agi: agi! };
  }

  it('sends the number as the route rewrites it, with the route’s caller id in P-Asserted-Identity (From: the trunk’s account)', async () => {
    const { invite, agentChannel } = await callOut('0612345678');
    expect(invite.requestUri).to.match(/^sip:\+390612345678@/);
    expect(invite.pAssertedIdentity).to.match(/^"Tandem Sales" <sip:\+390212345678@/);
    // The From user is the trunk's account (endpoint/from_user, as the provider wants it): with it set,
    // Asterisk leaves the caller id out of From, and P-Asserted-Identity (send_pai) carries it.
    expect(invite.from).to.match(/^<sip:tandem-lab@/);
    // Tandem's record of the call: outbound, from the agent's phone, through the National route, answered.
    const row = await eventually(
      async () => (await lab.node.tandem.database.db.select().from(calls).where(eq(calls.channelName, agentChannel)).orderBy(desc(calls.id)).limit(1))[0],
      (r) => r?.endedAt != null,
      'the call record closed',
      { timeoutMs: 30_000, everyMs: 200 },
    );
    expect(row).to.include({ direction: 'outbound', did: '0612345678', outcome: 'answered', routeId: nationalRouteId });
    // Answered when the carrier answered (Asterisk's ANSWEREDTIME_MS on the phone's line), which is
    // after the call started and before it ended.
    expect(row!.answeredAt).to.be.instanceOf(Date);
    expect(row!.answeredAt!.getTime()).to.be.greaterThan(row!.startedAt.getTime()).and.lessThan(row!.endedAt!.getTime());
  });

  it('applies the first matching route in order: 00 becomes +, and the trunk’s caller id is used when the route sets none', async () => {
    const { invite } = await callOut('0044201234567');
    expect(invite.requestUri).to.match(/^sip:\+44201234567@/);
    expect(invite.pAssertedIdentity).to.match(/^"Tandem Main" <sip:\+390200000000@/);
  });
});
