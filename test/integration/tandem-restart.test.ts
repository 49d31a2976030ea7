// Tandem going away under live calls on a real Asterisk. A restart (stopped, then a new node on the
// same database and Asterisk) must not lose a caller waiting in a queue: the new node finds the
// caller in its Stasis application and bridges it to an agent. A crash (SIGKILL of a Tandem
// process, nothing cleaned up) must not leave a caller in silence: the project's dialplan takes the
// call to the fallback message and the backup destination. Judged from Asterisk's side (AMI) and
// from Tandem's records.
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { queueEntries, queueReports } from '../../server/db/schema.ts';
import { ADMIN_PASSWORD, ApiClient } from '../support/tandem.ts';
import { eventually } from '../support/eventually.ts';
import { routeInbound, startLab, type Lab } from './lab.ts';
import { agentInVoiceQueue, queueLineProject } from './lab-world.ts';
import type { AmiEvent } from './ami-watch.ts';
import type { SippRun } from './sipp.ts';

const root = path.resolve(import.meta.dirname, '../..');
const QUEUE_DID = '0622220001';
const IVR_DID = '0622220002';
const WAIT_DID = '0622220003';
const EXTENSION = '2101';

const queueProject = queueLineProject({ name: 'Lab restart line', queue: 'held', timeoutSec: 600, thanks: true });

/** A long announcement (about a minute of prompts): Tandem is killed while Asterisk plays it. */
const longIvrProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Lab long announcement',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'talk' } },
    talk: { type: 'Playback', params: { prompts: Array(10).fill('demo-congrats') }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};

/** A beep, then a long wait on Tandem's side (no AGI command running on Asterisk meanwhile). */
const longWaitProject = {
  schemaVersion: 2,
  id: 'x',
  name: 'Lab long wait',
  channel: 'voice',
  entry: 'start',
  blocks: {
    start: { type: 'Start', params: { answer: true }, exits: { next: 'beep' } },
    beep: { type: 'Playback', params: { prompts: ['beep'] }, exits: { next: 'wait' } },
    wait: { type: 'Wait', params: { seconds: 120 }, exits: { next: 'bye' } },
    bye: { type: 'Hangup', params: {}, exits: {} },
  },
};

/** Tandem as `npm start` runs it, in a process of its own, on the lab's database and Asterisk. */
function startTandemProcess(lab: Lab): { child: ChildProcess; url: Promise<string>; output: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    cwd: root,
    env: {
      ...process.env,
      ...lab.tandemEnv,
      DATABASE_URL: lab.node.testDb.url!,
      TANDEM_HOST: '127.0.0.1',
      TANDEM_PORT: '0',
      FASTAGI_HOST: '127.0.0.1',
      TANDEM_DATA_DIR: path.join(lab.workDir, 'tandem-data'),
      TANDEM_ADMIN_PASSWORD: ADMIN_PASSWORD,
      TANDEM_PASSWORD_COST: '10',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text = (text + d.toString()).slice(-20_000)));
  const url = new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (d: Buffer) => {
      text = (text + d.toString()).slice(-20_000);
      const m = /Tandem is running at (http:\/\/\S+)/.exec(text);
      if (m) resolve(m[1]!);
    });
    child.on('exit', (code, signal) => reject(new Error(`Tandem exited (${code ?? signal}) before it was up:\n${text}`)));
  });
  return { child, url, output: () => text };
}

describe('integration: callers survive Tandem restarting and crashing', function () {
  this.timeout(300_000);
  let lab: Lab;
  let agent: { id: number; username: string; password: string };
  let phone: SippRun;
  let crashing: ChildProcess | undefined;

  before(async function () {
    lab = await startLab(this, { acdTickMs: 200 });
    const { id, username, password } = await agentInVoiceQueue(lab.node, { extension: EXTENSION, queue: 'held' });
    agent = { id, username, password };
    await routeInbound(lab.node, { name: 'Lab restart line', pattern: QUEUE_DID, project: queueProject });
    await routeInbound(lab.node, { name: 'Lab long announcement', pattern: IVR_DID, project: longIvrProject });
    await routeInbound(lab.node, { name: 'Lab long wait', pattern: WAIT_DID, project: longWaitProject });
    phone = await lab.phone(EXTENSION, { ringMs: 300, talkMs: 3_000 });
  });
  after(async () => {
    if (crashing && crashing.exitCode === null && crashing.signalCode === null) crashing.kill('SIGKILL');
    await lab?.stop();
  });

  it('bridges a caller who waited in a queue while Tandem restarted to an agent of the new node', async () => {
    const token = await lab.node.client.login(agent.username, agent.password);
    expect((await lab.node.client.post('/api/me/login', { device: 'web' }, token)).status).to.equal(200);
    // Paused: the caller waits in the queue, on hold, across the restart.
    expect((await lab.node.client.post('/api/me/pause', { reason: 'break' }, token)).status).to.equal(200);
    const carrier = await lab.carrier(QUEUE_DID, { caller: '3510', hangupAfterMs: 240_000 });
    const [queued] = await lab.ami.waitFor((e) => e.Event === 'AGIExecStart' && /^EXEC Stasis/i.test(e.Command ?? '') && e.CallerIDNum === '35101', 'the caller in the queue', { timeoutMs: 60_000 });
    const caller = queued!.Channel!;
    const entryId = Number(/queue,([0-9]+)/.exec(queued!.Command ?? '')?.[1]);
    await lab.ami.waitFor((e) => e.Event === 'MusicOnHoldStart' && e.Channel === caller, 'music on hold for the caller');

    const node = await lab.restartTandem();
    const mark = lab.ami.events.length;
    // Still there on Asterisk's side, and still waiting on Tandem's.
    expect(lab.ami.find((e) => e.Event === 'Hangup' && e.Channel === caller), 'the caller was not hung up by the restart').to.deep.equal([]);
    const [entry] = await node.tandem.database.db.select().from(queueEntries).where(eq(queueEntries.id, entryId));
    expect(entry!.status).to.equal('waiting');

    // The agent comes back from the break on the new node: the phone rings and meets the caller.
    const token2 = await node.client.login(agent.username, agent.password);
    expect((await node.client.post('/api/me/unpause', {}, token2)).status).to.equal(200);
    await phone.waitForLog(/^ANSWERED /, 'the agent answering', { timeoutMs: 60_000 });
    const [agentLeg] = await lab.ami.waitFor((e) => lab.ami.events.indexOf(e) >= mark && e.Event === 'Newchannel' && e.Channel?.startsWith(`PJSIP/${EXTENSION}-`) === true, "the agent's channel");
    const [callerIn] = await lab.ami.waitFor((e) => lab.ami.events.indexOf(e) >= mark && e.Event === 'BridgeEnter' && e.Channel === caller, 'the caller bridged after the restart', { timeoutMs: 60_000 });
    const [agentIn] = await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === agentLeg!.Channel, 'the agent bridged');
    expect(callerIn!.BridgeUniqueid).to.equal(agentIn!.BridgeUniqueid);

    // Tandem's record: the entry accepted by the agent, one report row saying so.
    const accepted = await eventually(
      async () => (await node.tandem.database.db.select().from(queueEntries).where(eq(queueEntries.id, entryId)))[0],
      (e) => e?.status === 'accepted',
      'the entry accepted',
      { timeoutMs: 30_000, everyMs: 200 },
    );
    expect(accepted!.agentId).to.equal(agent.id);
    const reports = await node.tandem.database.db.select().from(queueReports).where(eq(queueReports.entryId, entryId));
    expect(reports.map((r) => ({ reason: r.reason, userId: r.userId, interactionRef: r.interactionRef }))).to.deep.equal([{ reason: 'accepted', userId: agent.id, interactionRef: queued!.Uniqueid }]);

    // The agent hangs up. The flow that queued the caller died with the old node (its FastAGI
    // session is gone), so there is nothing to go on with: the call ends (the dialplan's DONE path),
    // rather than sending a caller who was just served to the fallback and the backup destination.
    const [agentGone] = await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === agentLeg!.Channel, 'the agent hung up', { timeoutMs: 60_000 });
    await carrier.waitForLog(/^ENDED 35101 /, 'Asterisk ending the call after the conversation', { timeoutMs: 120_000 });
    const [callerGone] = await lab.ami.waitFor((e) => e.Event === 'Hangup' && e.Channel === caller, 'the caller hung up by Asterisk');
    expect(lab.ami.events.indexOf(callerGone!)).to.be.greaterThan(lab.ami.events.indexOf(agentGone!));
    const steps = lab.ami.find((e: AmiEvent) => e.Event === 'Newexten' && e.Channel === caller && lab.ami.events.indexOf(e) >= mark);
    expect(steps.filter((e) => e.Context === 'tandem-fallback'), 'no fallback for a served caller').to.deep.equal([]);
    expect(steps.at(-1)).to.include({ Context: 'tandem-inbound', Application: 'Hangup' });
    expect(lab.ami.find((e) => e.Event === 'VarSet' && e.Channel === caller && e.Variable === 'TANDEM_STATUS').map((e) => e.Value)).to.include('DONE');
  });

  /** Starts Tandem in a process of its own (the in-process node stopped first) and waits until it reaches Asterisk. */
  async function tandemProcess() {
    await lab.stopTandem();
    const tandem = startTandemProcess(lab);
    crashing = tandem.child;
    const client = new ApiClient(await tandem.url);
    await eventually(
      async () => (await client.get<{ asterisk: { ami: string; ari: string } }>('/api/health')).body.asterisk,
      (a) => a.ami === 'up' && a.ari === 'up',
      'the Tandem process connected to Asterisk',
      { timeoutMs: 60_000, everyMs: 200 },
    );
    return tandem.child;
  }

  async function killHard(child: ChildProcess) {
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.kill('SIGKILL');
    expect(await exited).to.equal('SIGKILL');
  }

  /** The dialplan takes over: the fallback message, then the backup destination answers, speaks and ends the call. */
  async function expectFallback(channel: string, callerNum: string, carrier: SippRun) {
    await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Channel === channel && e.Context === 'tandem-fallback' && e.Exten === 'inbound', 'the fallback', { timeoutMs: 60_000 });
    await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Channel === channel && e.Context === 'tandem-fallback' && e.Application === 'Playback' && e.AppData === 'one-moment-please', 'the fallback message');
    await lab.ami.waitFor((e) => e.Event === 'Newexten' && e.Channel === channel && e.Application === 'Dial' && e.AppData?.startsWith('Local/s@lab-backup') === true, 'the backup dial');
    await lab.ami.waitFor((e) => e.Event === 'UserEvent' && e.UserEvent === 'LabBackup' && e.Caller === callerNum, 'the backup destination reached');
    await lab.ami.waitFor((e) => e.Event === 'BridgeEnter' && e.Channel === channel, 'the caller bridged to the backup destination');
    await carrier.waitForLog(new RegExp(`^ENDED ${callerNum} `), 'the backup destination ending the call', { timeoutMs: 60_000 });
  }

  it('sends a caller to the fallback when the Tandem process is killed (SIGKILL) in the middle of an announcement', async () => {
    const child = await tandemProcess();
    const carrier = await lab.carrier(IVR_DID, { caller: '3520' });
    // The announcement is playing: Asterisk runs STREAM FILE for the process's FastAGI session.
    const [playing] = await lab.ami.waitFor((e) => e.Event === 'AGIExecStart' && /^STREAM FILE demo-congrats/i.test(e.Command ?? '') && e.CallerIDNum === '35201', 'the announcement playing', { timeoutMs: 60_000 });
    const channel = playing!.Channel!;
    await killHard(child);
    await expectFallback(channel, '35201', carrier);
    // The announcement was cut: the flow did not go on without Tandem.
    const streams = lab.ami.find((e) => e.Event === 'AGIExecStart' && e.Channel === channel && /^STREAM FILE/i.test(e.Command ?? ''));
    expect(streams.length).to.be.lessThan(10);
  });

  it('sends a caller to the fallback when the Tandem process is killed (SIGKILL) while its flow waits', async () => {
    const child = await tandemProcess();
    const carrier = await lab.carrier(WAIT_DID, { caller: '3530' });
    // The beep played; the flow now waits on Tandem's side, with no AGI command running on Asterisk.
    const [beeped] = await lab.ami.waitFor((e) => e.Event === 'AGIExecEnd' && /^STREAM FILE beep/i.test(e.Command ?? '') && e.CallerIDNum === '35301', 'the beep played', { timeoutMs: 60_000 });
    const channel = beeped!.Channel!;
    const running = (event: string) => lab.ami.find((e) => e.Event === event && e.Channel === channel).length;
    expect(running('AGIExecStart'), 'no AGI command running at the kill').to.equal(running('AGIExecEnd'));
    await killHard(child);
    await expectFallback(channel, '35301', carrier);
  });
});
