// The voice blocks on a real Asterisk 22, each judged from both sides: what Asterisk did (AMI events,
// its CLI) and what Tandem recorded (the call row's trace and outcome). One IVR in the designer's
// format, published through the API and reached over SIP through an inbound route, plays a sound
// uploaded to Tandem's library (Asterisk fetches it over HTTP with res_http_media_cache), collects
// an account number keyed as RFC 4733 DTMF, says it back, checks the opening hours, sets and tests
// variables, calls a web service of the test's own with the collected number, and hangs up.
// Then the caller hangs up in the middle of a prompt and in the middle of a slow web-service call:
// Tandem must let go of everything at once (AGI session, channel, call record, HTTP request).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect } from 'chai';
import { desc, eq } from 'drizzle-orm';
import { calls } from '../../server/db/schema.ts';
import { eventually } from '../support/eventually.ts';
import { toneFactory } from '../sounds/tones.ts';
import { routeInbound, startLab, type Lab } from './lab.ts';

const BLOCKS_DID = '0611100001';
const PROMPT_HANGUP_DID = '0611100002';
const HTTP_HANGUP_DID = '0611100003';
// Digits in the order the lab's DTMF captures must go (see CarrierOptions.dtmf in lab.ts).
const ACCOUNT = '2479';

interface SeenRequest {
  method: string;
  url: string;
  /** True when the client went away before the answer was written. */
  aborted: boolean;
}

/** A web service for the HTTP block: records every request; `/slow/…` never answers on its own. */
async function startWebService(): Promise<{ url: string; requests: SeenRequest[]; close(): Promise<void> }> {
  const requests: SeenRequest[] = [];
  const server = http.createServer((req, res) => {
    const seen: SeenRequest = { method: req.method ?? '', url: req.url ?? '', aborted: false };
    requests.push(seen);
    res.on('close', () => {
      if (!res.writableFinished) seen.aborted = true;
    });
    if (seen.url.startsWith('/slow/')) return;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ owner: 'Ada Lovelace', balance: 42 }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function blocksProject(service: string) {
  return {
    schemaVersion: 2,
    id: 'x',
    name: 'Lab blocks',
    channel: 'voice',
    entry: 'start',
    variables: { ACCOUNT: { default: '' }, STAGE: { default: '' }, OWNER: { default: '' }, HTTP_STATUS: { default: null } },
    blocks: {
      start: { type: 'Start', params: { answer: true }, exits: { next: 'welcome' } },
      // A library sound (uploaded through the API): Asterisk plays it from Tandem's media URL.
      welcome: { type: 'Playback', params: { prompts: ['lab-welcome'] }, exits: { next: 'mark' } },
      mark: { type: 'Set', params: { assignments: [{ variable: 'STAGE', value: 'greeted' }] }, exits: { next: 'account' } },
      account: {
        type: 'GetDigits',
        params: { prompts: ['beep'], minDigits: 4, maxDigits: 8, terminator: '#', timeoutSec: 30, retries: 0, variable: 'ACCOUNT' },
        exits: { success: 'readback', invalid: 'bye', timeout: 'bye' },
      },
      readback: { type: 'Say', params: { kind: 'digits', value: '{ACCOUNT}' }, exits: { next: 'hours' } },
      // Open every day, all day: the call takes `match` whatever the clock says.
      hours: { type: 'TimeCondition', params: { timezone: 'UTC', intervals: [{ days: [], from: '00:00', to: '24:00' }] }, exits: { match: 'check', nomatch: 'bye' } },
      check: { type: 'Condition', params: { expression: `ACCOUNT == "${ACCOUNT}" && STAGE == "greeted"` }, exits: { true: 'lookup', false: 'bye' } },
      lookup: {
        type: 'HttpRequest',
        params: { method: 'GET', url: `${service}/accounts/{ACCOUNT}`, timeoutSec: 30, statusVariable: 'HTTP_STATUS', mappings: [{ variable: 'OWNER', path: 'owner' }] },
        exits: { success: 'bye', error: 'bye', timeout: 'bye' },
      },
      bye: { type: 'Hangup', params: {}, exits: {} },
    },
  };
}

/** Prompts long enough that the caller hangs up while Asterisk is still playing them. */
const longPromptProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Lab long prompt',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'long' } },
    long: { type: 'Playback', params: { prompts: ['silence/10', 'silence/10', 'silence/10'] }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};

function slowServiceProject(service: string) {
  return {
    schemaVersion: 2,
    id: 'x',
    name: 'Lab slow service',
    channel: 'voice',
    entry: 'start',
    blocks: {
      start: { type: 'Start', params: { answer: true }, exits: { next: 'lookup' } },
      lookup: { type: 'HttpRequest', params: { method: 'GET', url: `${service}/slow/{CALLER_NUMBER}`, timeoutSec: 110 }, exits: { success: 'after', error: 'after', timeout: 'after' } },
      after: { type: 'Playback', params: { prompts: ['beep'] }, exits: { next: 'bye' } },
      bye: { type: 'Hangup', params: {}, exits: {} },
    },
  };
}

type TraceStep = { blockId: string; exit: string | null };
const path = (trace: unknown) => (trace as TraceStep[]).map((e) => `${e.blockId}:${e.exit}`);

describe('integration: voice blocks on a real Asterisk, judged by Asterisk and by the call record', function () {
  this.timeout(180_000);
  let lab: Lab;
  let service: Awaited<ReturnType<typeof startWebService>>;
  let soundVersion: string;

  before(async function () {
    this.timeout(240_000);
    lab = await startLab(this);
    service = await startWebService();
    // The library sound, uploaded as an administrator does: a WAV made by sox, converted by Tandem.
    const tones = await toneFactory();
    try {
      const wav = await tones.wav('welcome.wav', { seconds: 1 });
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(wav)], { type: 'audio/wav' }), 'welcome.wav');
      form.append('description', 'Lab welcome tone');
      const res = await fetch(`${lab.node.tandem.url}/api/sounds/lab-welcome/en`, { method: 'PUT', body: form, headers: { authorization: `Bearer ${lab.node.adminToken}` } });
      const body = (await res.json()) as { version: string };
      expect(res.status, JSON.stringify(body)).to.equal(201);
      soundVersion = body.version;
    } finally {
      await tones.cleanup();
    }
    await routeInbound(lab.node, { name: 'Lab blocks', pattern: BLOCKS_DID, project: blocksProject(service.url) });
    await routeInbound(lab.node, { name: 'Lab long prompt', pattern: PROMPT_HANGUP_DID, project: longPromptProject });
    await routeInbound(lab.node, { name: 'Lab slow service', pattern: HTTP_HANGUP_DID, project: slowServiceProject(service.url) });
  });
  after(async () => {
    await service?.close();
    await lab?.stop();
  });

  async function callRow(did: string) {
    const db = lab.node.tandem.database.db;
    const [row] = await db.select().from(calls).where(eq(calls.did, did)).orderBy(desc(calls.id)).limit(1);
    return row;
  }

  /** The trunk channel Asterisk made for the call to `did` (its first dialplan step). */
  async function channelOf(did: string): Promise<string> {
    const [start] = await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Context === 'tandem-inbound' && e.Exten === did && e.Priority === '1', `the call to ${did} in tandem-inbound`, { timeoutMs: 60_000 });
    return start!.Channel!;
  }

  /** Asterisk has no channel left: every call of the test is over on its side too. */
  async function noChannelsLeft(): Promise<void> {
    await eventually(
      () => lab.asterisk.cli('core show channels count'),
      (out) => /^0 active channels/m.test(out),
      'Asterisk with no active channel',
      { timeoutMs: 20_000, everyMs: 250 },
    );
  }

  it('plays a library sound over HTTP, collects DTMF, says it, branches on time and variables, calls a web service and hangs up', async () => {
    // The keys go 8 s after the answer: by then the welcome sound is over and GET DATA (30 s) listens.
    const carrier = await lab.carrier(BLOCKS_DID, { caller: '3331', dtmf: `${ACCOUNT}#`, dtmfAfterMs: 8_000 });
    const channel = await channelOf(BLOCKS_DID);
    await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === channel, 'the call hung up', { timeoutMs: 90_000 });
    await carrier.waitForLog(/^ENDED 33311 /, 'Asterisk hanging the caller up', { timeoutMs: 90_000 });
    expect(await carrier.exited).to.equal(0);

    // Asterisk's side. The library sound was played from Tandem's media URL: STREAM FILE got the URL,
    // Asterisk opened it (res_agi logs "Playing" only once the stream is open; a failed fetch answers
    // result=-1 without that line) and its media cache holds the file fetched from Tandem.
    const soundUrl = `${lab.node.tandem.url}/media/sounds/en/lab-welcome.wav?v=${soundVersion}`;
    const ran = lab.ami.find((e) => e.Event === 'AGIExecEnd' && e.Channel === channel);
    const commands = ran.map((e) => `${e.Command} => ${e.ResultCode}`);
    expect(commands, commands.join('\n')).to.include(`STREAM FILE ${soundUrl} "" => 200`);
    expect(lab.asterisk.bootLog()).to.include(`<${channel}> Playing '${soundUrl}.`);
    expect(await lab.asterisk.cli('media cache show all')).to.include(soundUrl);
    // The keys decoded from RTP, the digits collected by GET DATA, then said back.
    const dtmf = lab.ami.find((e) => e.Event === 'DTMFEnd' && e.Channel === channel && e.Direction === 'Received').map((e) => e.Digit);
    expect(dtmf.join('')).to.equal(`${ACCOUNT}#`);
    expect(commands).to.include.members(['GET DATA beep 30000 8 => 200', `SAY DIGITS ${ACCOUNT} "" => 200`]);

    // The web service got the collected number.
    expect(service.requests.map((r) => `${r.method} ${r.url}`)).to.include(`GET /accounts/${ACCOUNT}`);

    // Tandem's record: the path through every block, and what the blocks stored.
    const row = await callRow(BLOCKS_DID);
    expect(row).to.include({ direction: 'inbound', callerNumber: '33311', outcome: 'completed', channelName: channel });
    expect(row!.endedAt).to.be.instanceOf(Date);
    expect(path(row!.trace)).to.deep.equal([
      'start:next',
      'welcome:next',
      'mark:next',
      'account:success',
      'readback:next',
      'hours:match',
      'check:true',
      'lookup:success',
      'bye:@end',
    ]);
    expect(row!.variables).to.include({ ACCOUNT, STAGE: 'greeted', OWNER: 'Ada Lovelace', HTTP_STATUS: 200 });
    await noChannelsLeft();
  });

  it('lets go of everything at once when the caller hangs up during a prompt', async () => {
    const carrier = await lab.carrier(PROMPT_HANGUP_DID, { caller: '3332', hangupAfterMs: 1_500 });
    await carrier.waitForLog(/^HUNGUP 33321 /, 'the caller hanging up', { timeoutMs: 60_000 });
    const channel = await channelOf(PROMPT_HANGUP_DID);
    // Asterisk was playing the prompt when the caller left, and destroys the channel: that happens
    // only once the AGI connection is closed (Asterisk keeps a hung-up channel's AGI open until the
    // server closes it), so the Hangup event is Tandem letting go. Were the flow to ignore the hang-up,
    // only the session's 30 s hang-up grace would close it: the wait below is shorter than that, and
    // its margin is not a timing claim.
    await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === channel, 'the channel destroyed', { timeoutMs: 20_000 });
    const started = lab.ami.find((e) => e.Event === 'AGIExecStart' && e.Channel === channel).map((e) => e.Command);
    expect(started, JSON.stringify(started)).to.include('STREAM FILE silence/10 ""');
    await noChannelsLeft();
    const row = await eventually(() => callRow(PROMPT_HANGUP_DID), (r) => r?.endedAt instanceof Date, 'the call record closed', { timeoutMs: 20_000, everyMs: 200 });
    expect(row).to.include({ outcome: 'hangup', channelName: channel });
    expect(path(row!.trace)).to.deep.equal(['start:next', 'long:null']);
  });

  it('lets go of everything at once when the caller hangs up while a web service is slow to answer; the request is aborted', async () => {
    const before = service.requests.length;
    const carrier = await lab.carrier(HTTP_HANGUP_DID, { caller: '3333', hangupAfterMs: 1_500 });
    await carrier.waitForLog(/^HUNGUP 33331 /, 'the caller hanging up', { timeoutMs: 60_000 });
    const channel = await channelOf(HTTP_HANGUP_DID);
    await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === channel, 'the channel destroyed', { timeoutMs: 20_000 });
    await noChannelsLeft();
    const row = await eventually(() => callRow(HTTP_HANGUP_DID), (r) => r?.endedAt instanceof Date, 'the call record closed', { timeoutMs: 20_000, everyMs: 200 });
    expect(row).to.include({ outcome: 'hangup', channelName: channel });
    expect(path(row!.trace)).to.deep.equal(['start:next', 'lookup:null']);
    // The request was in flight (the service saw it, with the caller's number) and Tandem dropped it.
    const mine = service.requests.slice(before);
    expect(mine.map((r) => r.url)).to.deep.equal(['/slow/33331']);
    await eventually(() => mine[0]!.aborted, 'the slow request aborted by Tandem', { timeoutMs: 20_000, everyMs: 100 });
    // Nothing ran after the hang-up: the block after the HTTP request never reached Asterisk.
    const started = lab.ami.find((e) => e.Event === 'AGIExecStart' && e.Channel === channel).map((e) => e.Command);
    expect(started.some((c) => /^STREAM FILE beep/.test(c ?? '')), JSON.stringify(started)).to.equal(false);
  });
});
