// Hostile input on a real Asterisk 22: what a carrier or an attacker can put on the wire must not
// break a call, the call record or Tandem. Caller names with quotes, semicolons and escapes, a 2 KB
// caller number, a flood of keys during a menu, and a FastAGI request for a path Tandem does not
// serve (from Asterisk's own dialplan and from a raw client speaking as Asterisk does).
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { desc, eq } from 'drizzle-orm';
import { calls } from '../../server/db/schema.ts';
import { createLogger } from '../../server/logger.ts';
import { eventually } from '../support/eventually.ts';
import { AsteriskAgiPeer } from '../peers/asterisk-agi.ts';
import { routeInbound, startLab, type Lab } from './lab.ts';

const WHO_DID = '0622200001';
const MENU_DID = '0622200002';
const MISSING_DID = '0622200003';

/** A prompt no Asterisk has: the caller hears silence, the flow goes on, and Tandem's log says so. */
const missingSoundProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Lab missing sound',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'greet' } },
    greet: { type: 'Playback', params: { prompts: ['lab-no-such-sound'] }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};

/** Says who called into variables, then hangs up: the IVR that hostile callers must still reach. */
const whoProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Lab who',
  channel: 'voice',
  entry: 'start',
  variables: { WHO: { default: '' }, NUM: { default: '' } },
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'who' } },
    who: { type: 'Set', params: { assignments: [{ variable: 'WHO', value: '{CALLER_NAME}' }, { variable: 'NUM', value: '{CALLER_NUMBER}' }] }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};

const menuProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Lab flood menu',
  channel: 'voice',
  entry: 'start',
  variables: { CHOICE: { default: '' } },
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'menu' } },
    menu: {
      type: 'Menu',
      params: { prompts: ['beep'], choices: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'], timeoutSec: 30, retries: 0, variable: 'CHOICE' },
      exits: { '1': 'rest', '2': 'rest', '3': 'rest', '4': 'rest', '5': 'rest', '6': 'rest', '7': 'rest', '8': 'rest', '9': 'rest', '0': 'rest', invalid: 'bye', timeout: 'bye' },
    },
    // Keeps the call up while the rest of the flood arrives (the keys go nowhere: not skippable).
    rest: { type: 'Playback', params: { prompts: ['silence/3'] }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};

describe('integration: hostile input on a real Asterisk', function () {
  this.timeout(180_000);
  let lab: Lab;
  const logLines: string[] = [];

  before(async function () {
    this.timeout(240_000);
    // Tandem's log, kept: unknown AGI paths must be logged.
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    lab = await startLab(this, { logger: createLogger('info', sink) });
    await routeInbound(lab.node, { name: 'Lab who', pattern: WHO_DID, project: whoProject });
    await routeInbound(lab.node, { name: 'Lab flood menu', pattern: MENU_DID, project: menuProject });
    await routeInbound(lab.node, { name: 'Lab missing sound', pattern: MISSING_DID, project: missingSoundProject });
  });
  after(async () => {
    await lab?.stop();
  });

  async function channelOf(did: string, after = 0): Promise<string> {
    const [start] = await lab.ami.waitFor(
      (e) => e.Event === 'Newexten' && e.Context === 'tandem-inbound' && e.Exten === did && e.Priority === '1' && lab.ami.events.indexOf(e) >= after,
      `the call to ${did} in tandem-inbound`,
      { timeoutMs: 60_000 },
    );
    return start!.Channel!;
  }

  /** The call record of the call on `channel`, once closed. */
  async function closedRecord(channel: string) {
    const db = lab.node.tandem.database.db;
    const row = await eventually(
      async () => (await db.select().from(calls).where(eq(calls.channelName, channel)).orderBy(desc(calls.id)).limit(1))[0],
      (r) => r?.endedAt instanceof Date,
      `the call record of ${channel} closed`,
      { timeoutMs: 30_000, everyMs: 200 },
    );
    return row!;
  }

  /** Calls WHO_DID and waits until Asterisk destroyed the channel; returns the channel's name. */
  async function callWho(caller: string, callerName?: string): Promise<string> {
    const mark = lab.ami.events.length;
    const carrier = await lab.carrier(WHO_DID, { caller, ...(callerName === undefined ? {} : { callerName }) });
    const channel = await channelOf(WHO_DID, mark);
    await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === channel && lab.ami.events.indexOf(e) >= mark, `the call from ${caller.slice(0, 20)}… hung up`, { timeoutMs: 60_000 });
    await carrier.stop();
    return channel;
  }

  const CONTROL = /\p{Cc}/u;

  // Each case: what the carrier puts in From (SIPp appends the call number 1 to the user part), and
  // what Tandem must store. Asterisk (chan_pjsip) keeps at most 79 characters of either.
  const hostile = [
    {
      what: 'a %0A in the number (PJSIP decodes it to a line break: an AGI environment line of the caller\'s choosing) and quotes, semicolons and backslash escapes in the name',
      caller: '12%0Aagi_network_script%3A%20internal',
      callerName: String.raw`"Mallory \"the boss\"; drop table calls; -- \n\r\\ x"`,
      number: '12agi_network_script: internal1',
      name: String.raw`Mallory \"the boss\"; drop table calls; -- \n\r\\ x`,
    },
    { what: 'a 2 KB user part', caller: '9'.repeat(2048), callerName: '"Long caller"', number: '9'.repeat(79), name: 'Long caller' },
    { what: 'a comma in the number (AGI() splits its arguments at commas)', caller: '55,66', callerName: 'Bare;name', number: '55,661', name: 'Bare;name' },
  ];
  for (const c of hostile) {
    it(`runs the IVR for a caller with ${c.what}; the stored number and name are safe and bounded`, async () => {
      const channel = await callWho(c.caller, c.callerName);
      // Asterisk handed the call to Tandem, on the inbound path (not the one the number names), and
      // Tandem ran the IVR on it.
      const agi = lab.ami.find((e) => e.Event === 'Newexten' && e.Channel === channel && e.Application === 'AGI');
      expect(agi.map((e) => e.AppData?.split(',')[0])).to.deep.equal([`agi://127.0.0.1:${lab.ports.agi}/inbound`]);
      const row = await closedRecord(channel);
      expect(row).to.include({ direction: 'inbound', did: WHO_DID, outcome: 'completed' });
      expect((row.trace as { blockId: string; exit: string | null }[]).map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal(['start:next', 'who:next', 'bye:@end']);
      // What Tandem stored and what the flow saw: the same text, no control character, bounded.
      expect({ number: row.callerNumber, name: row.callerName }).to.deep.equal({ number: c.number, name: c.name });
      expect(row.variables).to.deep.include({ NUM: c.number, WHO: c.name });
      for (const text of [row.callerNumber, row.callerName]) {
        expect(text).to.not.match(CONTROL);
        expect(text.length).to.be.at.most(79);
      }
    });
  }

  it('takes the one key a menu asks for out of a flood of keys, and stays healthy', async () => {
    const mark = lab.ami.events.length;
    // Twelve keys, one every 50 ms, while each RFC 4733 event of the captures lasts 140 ms: they
    // overlap on the wire, far faster than anyone types.
    const carrier = await lab.carrier(MENU_DID, { caller: '3441', dtmf: '1023456789*#', dtmfGapMs: 50, dtmfAfterMs: 2_500 });
    const channel = await channelOf(MENU_DID, mark);
    await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === channel, 'the menu call hung up', { timeoutMs: 60_000 });
    await carrier.stop();
    // The keys Asterisk decoded once the menu listened (its prompt takes any key; the flood goes on after).
    const mine = lab.ami.events.filter((e) => e.Channel === channel);
    const listening = mine.findIndex((e) => e.Event === 'AGIExecStart' && /^(STREAM FILE|GET DATA) beep /.test(e.Command ?? ''));
    expect(listening, 'the menu listening').to.be.at.least(0);
    const keys = mine.slice(listening).filter((e) => e.Event === 'DTMFEnd' && e.Direction === 'Received').map((e) => e.Digit!);
    expect(keys.length, `keys Asterisk decoded: ${keys.join('')}`).to.be.greaterThan(1);
    console.log(`      (Asterisk decoded ${keys.length} of 12 keys: ${keys.join('')})`);
    const row = await closedRecord(channel);
    expect(row.outcome).to.equal('completed');
    // The menu took the first key Asterisk decoded, and only that one.
    expect((row.trace as { blockId: string; exit: string | null }[]).map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal(['start:next', `menu:${keys[0]}`, 'rest:next', 'bye:@end']);
    expect(row.variables).to.deep.include({ CHOICE: keys[0] });
    const health = await lab.node.client.get<{ status: string }>('/api/health');
    expect(health.status, health.text).to.equal(200);
  });

  it('logs a prompt Asterisk cannot play (the caller heard silence) and goes on with the flow', async () => {
    const logged = logLines.length;
    const mark = lab.ami.events.length;
    const carrier = await lab.carrier(MISSING_DID, { caller: '3481' });
    const channel = await channelOf(MISSING_DID, mark);
    await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === channel && lab.ami.events.indexOf(e) >= mark, 'the call hung up', { timeoutMs: 60_000 });
    await carrier.stop();
    const row = await closedRecord(channel);
    expect(row.outcome).to.equal('completed');
    expect((row.trace as { blockId: string; exit: string | null }[]).map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal(['start:next', 'greet:next', 'bye:@end']);
    const warning = logLines.slice(logged).find((l) => l.includes('could not play a prompt'));
    expect(warning, 'a warning in Tandem\'s log').to.be.a('string');
    expect(JSON.parse(warning!)).to.include({ prompt: 'lab-no-such-sound', played: 'lab-no-such-sound' });
    // A prompt that plays raises nothing: the menu of the flood test played beep without a warning.
    expect(logLines.some((l) => l.includes('could not play a prompt') && l.includes('"beep"'))).to.equal(false);
  });

  it('sends an AGI request for a path it does not serve to the backup destination (NOROUTE) from a real channel, logs it, and keeps serving', async () => {
    const mark = lab.ami.events.length;
    const origin = await lab.ami.action('Originate', { Channel: 'Local/s@lab-agi-unknown', Application: 'Wait', Data: '1', Async: 'true' });
    expect(origin[0]?.Response, JSON.stringify(origin)).to.equal('Success');
    const [done] = await lab.ami.waitFor((e) => e.Event === 'UserEvent' && e.UserEvent === 'LabAgiUnknown' && lab.ami.events.indexOf(e) >= mark, 'AGI() returned in lab-agi-unknown', { timeoutMs: 60_000 });
    // AGI() came back at once with NOROUTE: the project's dialplan sends such a call to the backup
    // destination, like a number without a route (extensions_tandem.conf). Nothing else ran.
    expect(done).to.include({ AgiStatus: 'SUCCESS', TandemStatus: 'NOROUTE' });
    expect(lab.ami.find((e) => e.Event === 'AGIExecStart' && e.Channel === done!.Channel).map((e) => e.Command)).to.deep.equal(['SET VARIABLE TANDEM_STATUS NOROUTE']);
    await eventually(() => logLines.some((l) => l.includes('no FastAGI route for this request path') && l.includes('nonexistent')), 'the unknown path in Tandem\'s log', { timeoutMs: 10_000 });
    // Still serving: a call right after runs its IVR.
    const channel = await callWho('3451');
    expect((await closedRecord(channel)).outcome).to.equal('completed');
  });

  it('answers a raw FastAGI connection for an unknown path with NOROUTE only, speaking as Asterisk does, and keeps serving', async () => {
    const logged = logLines.length;
    const peer = await AsteriskAgiPeer.connect({ port: lab.node.tandem.fastagi!.port, script: 'nonexistent/../inbound?x=1', args: [WHO_DID, '3461'] });
    const end = await peer.done;
    expect(end.closedBy).to.equal('server');
    expect(peer.commands).to.deep.equal(['SET VARIABLE TANDEM_STATUS NOROUTE']);
    expect(peer.violations).to.deep.equal([]);
    await eventually(() => logLines.slice(logged).some((l) => l.includes('no FastAGI route for this request path') && l.includes('nonexistent/../inbound')), 'the unknown path in Tandem\'s log', { timeoutMs: 10_000 });
    const channel = await callWho('3471');
    expect((await closedRecord(channel)).outcome).to.equal('completed');
  });
});
