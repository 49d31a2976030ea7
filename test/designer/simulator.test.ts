// The simulator's CallPort under the real interpreter (no browser): keys pressed while a Menu
// collects take the matching branch, a timeout takes the timeout path, hangup stops the run, and
// HTTP / Database blocks answer with the user's per-block stubs.
import { expect } from 'chai';
import { CapabilityError, loadProject, type Project, type TraceEntry } from '../../flows/index.ts';
import { BrowserCall, type Activity, type CallEvent } from '../../designer/src/editor/simulator/browser-call.ts';
import { startSimulation } from '../../designer/src/editor/simulator/session.ts';
import { defaultStubs } from '../../designer/src/editor/simulator/stubs.ts';

const menuProject = (): Project =>
  loadProject({
    schemaVersion: 2,
    id: 'sim',
    name: 'Sim',
    channel: 'voice',
    entry: 'start',
    blocks: {
      start: { type: 'Start', params: { answer: true }, exits: { next: 'menu' } },
      menu: { type: 'Menu', params: { prompts: ['welcome'], choices: ['1', '2'], timeoutSec: 0.5, retries: 0 }, exits: { '1': 'sales', '2': 'support', timeout: 'bye' } },
      sales: { type: 'Playback', params: { prompts: ['sales'] }, exits: { next: 'bye' } },
      support: { type: 'Playback', params: { prompts: ['support'] }, exits: { next: 'bye' } },
      bye: { type: 'Hangup', params: {}, exits: {} },
    },
  });

/** Resolves when the call's activity satisfies `test` (bounded by the mocha timeout). */
function whenActivity(call: BrowserCall, test: (a: Activity) => boolean): Promise<void> {
  return new Promise((resolve) => {
    if (test(call.activity)) return resolve();
    const off = call.onActivity((a) => {
      if (test(a)) {
        off();
        resolve();
      }
    });
  });
}

describe('designer simulator (BrowserCall + real interpreter)', () => {
  it('takes the branch of the key pressed while the menu collects', async () => {
    const trace: TraceEntry[] = [];
    const sim = startSimulation(menuProject(), { stubs: defaultStubs(), promptMs: 20, handlers: { onBlockEnd: (e) => trace.push(e) } });
    await whenActivity(sim.call, (a) => a.kind === 'collecting');
    expect(sim.call.pressKey('1')).to.equal(true);
    const result = await sim.done;
    expect(result.outcome).to.equal('completed');
    expect(trace.map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal(['start:next', 'menu:1', 'sales:next', 'bye:@end']);
    expect(sim.call.hungUpBy).to.equal('flow');
  });

  it('a key during the menu prompt interrupts it and counts', async () => {
    const sim = startSimulation(menuProject(), { stubs: defaultStubs(), promptMs: 400 });
    await whenActivity(sim.call, (a) => a.kind === 'playing');
    sim.call.pressKey('2');
    const result = await sim.done;
    expect(result.trace.map((e) => e.blockId)).to.deep.equal(['start', 'menu', 'support', 'bye']);
  });

  it('no key: the menu times out and the flow follows the timeout exit', async () => {
    const sim = startSimulation(menuProject(), { stubs: defaultStubs(), promptMs: 10 });
    const result = await sim.done;
    expect(result.trace.map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal(['start:next', 'menu:timeout', 'bye:@end']);
  });

  it('stopping (caller hangs up) ends the run as a hangup', async () => {
    const sim = startSimulation(menuProject(), { stubs: defaultStubs(), promptMs: 60_000 });
    await whenActivity(sim.call, (a) => a.kind === 'playing');
    sim.hangUp();
    const result = await sim.done;
    expect(result.outcome).to.equal('hangup');
    expect(sim.call.hungUpBy).to.equal('caller');
    expect(sim.call.pressKey('1')).to.equal(false);
  });

  it('answers HTTP and Database blocks with the per-block stubs', async () => {
    const project = loadProject({
      schemaVersion: 2,
      id: 'stubs',
      name: 'Stubs',
      channel: 'chat',
      entry: 'start',
      variables: { STATUS: { default: '' } },
      blocks: {
        start: { type: 'Start', exits: { next: 'lookup' } },
        lookup: { type: 'HttpRequest', params: { url: 'https://shop.example/api', mappings: [{ variable: 'STATUS', path: 'status' }] }, exits: { success: 'db', error: 'end' } },
        db: { type: 'Database', params: { connection: 'crm', sql: 'select 1' }, exits: { success: 'say', error: 'end' } },
        say: { type: 'SendMessage', params: { text: 'Order {STATUS}, {DB_ROWCOUNT} rows' }, exits: { next: 'end' } },
        end: { type: 'End' },
      },
    });
    const stubs = {
      ...defaultStubs(),
      http: { lookup: { status: 200, body: '{"status":"delivered"}' } },
      database: { db: { text: '{"columns":["a"],"rows":[[1],[2],[3]]}' } },
    };
    const sent: string[] = [];
    const sim = startSimulation(project, { stubs });
    sim.call.onEvent((e) => {
      if (e.kind === 'message-out') sent.push(e.message.text);
    });
    const result = await sim.done;
    expect(result.trace.map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal(['start:next', 'lookup:success', 'db:success', 'say:next', 'end:@end']);
    expect(sent).to.deep.equal(['Order delivered, 3 rows']);
    expect(result.variables.STATUS).to.equal('delivered');
  });

  it('a chat waits for the typed message; messages sent early are kept', async () => {
    const project = loadProject({
      schemaVersion: 2,
      id: 'chat',
      name: 'Chat',
      channel: 'chat',
      entry: 'start',
      variables: { ANSWER: { default: '' } },
      blocks: {
        start: { type: 'Start', exits: { next: 'wait' } },
        wait: { type: 'WaitForMessage', params: { timeoutSec: 30, variable: 'ANSWER' }, exits: { received: 'echo', timeout: 'end' } },
        echo: { type: 'SendMessage', params: { text: 'You said {ANSWER}' }, exits: { next: 'end' } },
        end: { type: 'End' },
      },
    });
    const sim = startSimulation(project, { stubs: defaultStubs() });
    sim.call.sendText('hello');
    const result = await sim.done;
    expect(result.variables.ANSWER).to.equal('hello');
    expect(result.trace.map((e) => e.blockId)).to.deep.equal(['start', 'wait', 'echo', 'end']);
  });

  it('a simulated call refuses what its channel cannot do, with the error a real call gives', async () => {
    const chat = new BrowserCall({ channel: 'chat' });
    const events: CallEvent[] = [];
    chat.onEvent((e) => events.push(e));
    const refusal = await chat.play(['welcome'], { escapeDigits: '' }, new AbortController().signal).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refusal).to.be.instanceOf(CapabilityError);
    expect((refusal as CapabilityError).capability).to.equal('audio');
    expect((refusal as CapabilityError).channel).to.equal('chat');
    expect((refusal as CapabilityError).message).to.equal('play needs the "audio" capability, which a chat call does not have');
    // What the channel can do still works: the refusal is per operation, not the whole call.
    await chat.sendMessage({ text: 'hi' }, new AbortController().signal);
    expect(events).to.deep.equal([{ kind: 'message-out', message: { text: 'hi' } }]);
  });

  it('runs a Sub-project block through the resolver the designer gives it', async () => {
    const child = loadProject({
      schemaVersion: 2,
      id: 'child',
      name: 'Child',
      channel: 'chat',
      entry: 'start',
      variables: { GREETING: { default: '' } },
      blocks: {
        start: { type: 'Start', exits: { next: 'set' } },
        set: { type: 'Set', params: { assignments: [{ variable: 'GREETING', value: 'hello from child' }] }, exits: { next: 'end' } },
        end: { type: 'End' },
      },
    });
    const parent = loadProject({
      schemaVersion: 2,
      id: 'parent',
      name: 'Parent',
      channel: 'chat',
      entry: 'start',
      variables: { RESULT: { default: '' } },
      blocks: {
        start: { type: 'Start', exits: { next: 'sub' } },
        sub: { type: 'SubProject', params: { project: 'Child', outputs: [{ variable: 'RESULT', from: 'GREETING' }] }, exits: { done: 'end', error: 'end' } },
        end: { type: 'End' },
      },
    });
    const asked: string[] = [];
    const sim = startSimulation(parent, {
      stubs: defaultStubs(),
      resolveProject: async (ref) => {
        asked.push(ref);
        return ref === 'Child' ? child : undefined;
      },
    });
    const result = await sim.done;
    expect(asked).to.deep.equal(['Child']);
    expect(result.variables.RESULT).to.equal('hello from child');
    expect(result.trace.filter((e) => e.depth === 0).map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal(['start:next', 'sub:done', 'end:@end']);
  });
});
