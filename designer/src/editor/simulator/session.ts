// One simulated call: the draft, a BrowserCall, in-memory services answering with the user's stubs,
// and the real interpreter (runProject). The UI listens to the observer for the highlighted block
// and the trace; stopping aborts the run like a server shutdown would.
import { runProject, type BlockStartEvent, type Project, type RunResult, type TraceEntry, type Clock } from '../../../../flows/index.ts';
import { createMemoryServices } from '../../../../flows/testing/memory-services.ts';
import { systemClock } from '../../../../flows/index.ts';
import { BrowserCall } from './browser-call.ts';
import { checkHttpStub, databaseStubFor, httpStubFor, parseDatabaseStub, type SimulatorStubs } from './stubs.ts';
import { i18next } from '../../i18n/index.ts';

export interface SimulationHandlers {
  onBlockStart?(event: BlockStartEvent): void;
  onBlockEnd?(entry: TraceEntry): void;
}

export interface SimulationOptions {
  readonly stubs: SimulatorStubs;
  readonly clock?: Clock;
  readonly promptMs?: number;
  readonly connectMs?: number;
  readonly handlers?: SimulationHandlers;
  /** Loads the project a Sub-project block names (the designer fetches its published version). */
  readonly resolveProject?: (ref: string, signal: AbortSignal) => Promise<Project | undefined>;
}

export interface Simulation {
  readonly call: BrowserCall;
  readonly done: Promise<RunResult>;
  /** The caller hangs up: the flow sees a hangup (and runs its Finally block, if any). */
  hangUp(): void;
  /** Stops the run outright (the editor closes, a new simulation starts). */
  abort(): void;
}

/** A sample agent so Agent login/pause blocks have someone to find (extension 1001, PIN 1234). */
export const SAMPLE_AGENT = { id: 'agent-1', extension: '1001', username: 'agent', pin: '1234' } as const;

export function startSimulation(project: Project, options: SimulationOptions): Simulation {
  const clock = options.clock ?? systemClock;
  const stubs = options.stubs;
  const call = new BrowserCall({
    channel: project.channel,
    callerNumber: stubs.callerNumber,
    clock,
    ...(options.promptMs === undefined ? {} : { promptMs: options.promptMs }),
    ...(options.connectMs === undefined ? {} : { connectMs: options.connectMs }),
    dialOutcome: () => stubs.dialOutcome,
    queueOutcome: () => stubs.queueOutcome,
  });
  // Stubs are per block: the port learns which block is asking from the observer.
  let currentBlock: string | null = null;
  const memory = createMemoryServices({
    clock,
    agents: [SAMPLE_AGENT],
    http: () => {
      const stub = httpStubFor(stubs, currentBlock);
      const checked = checkHttpStub(stub);
      if (!checked.ok) throw new Error(i18next.t('designer.stubs.httpFailed', { block: currentBlock ?? '?', reason: checked.message }));
      const json = /^\s*[[{]/.test(stub.body);
      return { status: stub.status, headers: { 'content-type': json ? 'application/json' : 'text/plain' }, body: stub.body, delayMs: 300 };
    },
    database: () => {
      const parsed = parseDatabaseStub(databaseStubFor(stubs, currentBlock));
      if (!parsed.ok) throw new Error(i18next.t('designer.stubs.databaseFailed', { block: currentBlock ?? '?', reason: parsed.message }));
      return parsed.value;
    },
  });
  const controller = new AbortController();
  const done = runProject(project, call, {
    clock,
    services: memory.services,
    signal: controller.signal,
    ...(options.resolveProject === undefined ? {} : { resolveProject: options.resolveProject }),
    observer: {
      onBlockStart: (event) => {
        currentBlock = event.depth === 0 ? event.blockId : currentBlock;
        options.handlers?.onBlockStart?.(event);
      },
      onBlockEnd: (entry) => options.handlers?.onBlockEnd?.(entry),
    },
  }).then((result) => {
    // The flow ended on its own (End, unwired exit): the call is over for the caller too.
    if (!call.hungUp) call.hangUpNow('flow');
    return result;
  });
  return {
    call,
    done,
    hangUp() {
      if (!call.hungUp) call.hangUpNow('caller');
    },
    abort() {
      controller.abort(new Error('stopped from the simulator'));
      if (!call.hungUp) call.hangUpNow('caller');
    },
  };
}
