// Calls Tandem does not take — a DID without a route, Tandem stopped in the middle of a call: the
// project's dialplan takes the caller over (the fallback message, then the backup destination),
// never silence. Judged from Asterisk's side: the
// channel runs tandem-fallback and reaches the backup destination, which answers and speaks.
import { expect } from 'chai';
import { desc, eq } from 'drizzle-orm';
import { calls } from '../../server/db/schema.ts';
import { routeInbound, startLab, type Lab } from './lab.ts';

const DID = '0698765432';

const waitingProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Lab long menu',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'menu' } },
    // Waits long for a key that never comes: Tandem is stopped meanwhile.
    menu: { type: 'Menu', params: { prompts: ['beep'], choices: ['1'], timeoutSec: 60, retries: 0 }, exits: { '1': 'bye', invalid: 'bye', timeout: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};

describe('integration: calls Tandem does not take reach the backup destination', function () {
  this.timeout(120_000);
  let lab: Lab;

  before(async function () {
    lab = await startLab(this);
    await routeInbound(lab.node, { name: 'Lab long menu', pattern: DID, project: waitingProject });
  });
  after(async () => {
    await lab?.stop();
  });

  it('sends a call to a DID without a route to the backup destination (TANDEM_STATUS=NOROUTE)', async () => {
    const carrier = await lab.carrier('0655500000', { caller: '3339' });
    const [start] = await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Context === 'tandem-inbound' && e.CallerIDNum === '33391' && e.Priority === '1', 'the call in tandem-inbound');
    const channel = start!.Channel!;
    await lab.ami.waitFor((e) => e.Event === 'VarSet' && e.Channel === channel && e.Variable === 'TANDEM_STATUS' && e.Value === 'NOROUTE', 'NOROUTE left by Tandem');
    await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Channel === channel && e.Context === 'tandem-fallback' && e.Exten === 'inbound', 'the fallback');
    const [backup] = await lab.ami.waitFor((e) => e.Event === 'UserEvent' && e.UserEvent === 'LabBackup' && e.Caller === '33391', 'the backup destination reached');
    expect(backup).to.not.equal(undefined);
    await carrier.waitForLog(/^ENDED 33391 /, 'the backup destination ending the call');
    const [row] = await lab.node.tandem.database.db.select().from(calls).where(eq(calls.did, '0655500000'));
    expect(row).to.include({ outcome: 'no-route', channelName: channel });
  });

  it('sends the caller to the fallback message and the backup destination', async () => {
    const carrier = await lab.carrier(DID, { caller: '3332' });
    // The caller is in Tandem's menu: Asterisk plays the prompt and waits for a key (one GET DATA)
    // for the FastAGI session.
    const [menu] = await lab.ami.waitFor((e) => e.Event === 'AGIExecStart' && /^GET DATA beep /i.test(e.Command ?? '') && e.CallerIDNum === '33321', 'the caller in the menu');
    const channel = menu!.Channel!;
    await lab.stopTandem();

    const fallback = await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Channel === channel && e.Context === 'tandem-fallback', 'the fallback steps');
    expect(fallback[0]!.Exten).to.equal('inbound');
    // The message first, then the backup destination rings and answers: the caller is never left in silence.
    await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Channel === channel && e.Application === 'Dial' && e.AppData?.startsWith('Local/s@lab-backup') === true, 'the backup dial');
    expect(lab.ami.find((e) => e.Event === 'Newexten' && e.Channel === channel && e.Application === 'Playback').map((e) => e.AppData)).to.include('one-moment-please');
    const [backup] = await lab.ami.waitFor((e) => e.Event === 'UserEvent' && e.UserEvent === 'LabBackup' && e.Caller === '33321', 'the backup destination reached');
    expect(backup).to.not.equal(undefined);
    await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === channel, 'the caller bridged to the backup destination');
    await carrier.waitForLog(/^ENDED 33321 /, 'the backup destination ending the call');

    // Tandem closed its record of the call as stopped. It ended the AGI session at once rather than
    // queue the status behind the running GET DATA: Asterisk continued with AGISTATUS=SUCCESS
    // and no TANDEM_STATUS, which the dialplan treats as Tandem gone.
    const [row] = await lab.node.tandem.database.db.select().from(calls).where(eq(calls.did, DID)).orderBy(desc(calls.id)).limit(1);
    expect(row).to.include({ outcome: 'stopped', channelName: channel });
    const agiEnd = lab.ami.find((e) => e.Event === 'AGIExecEnd' && e.Channel === channel && /^GET DATA beep /i.test(e.Command ?? ''));
    expect(agiEnd).to.have.length(1);
    expect(lab.ami.find((e) => e.Event === 'VarSet' && e.Channel === channel && e.Variable === 'AGISTATUS').map((e) => e.Value)).to.deep.equal(['SUCCESS']);
  });
});
