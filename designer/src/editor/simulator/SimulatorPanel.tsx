// The simulator: a dial pad (voice) or a chat box (message channels) driving the real interpreter
// over a BrowserCall, the canvas highlighting the current block, and a trace of every step with
// its exit and the variables it changed. HTTP and Database blocks answer with editable stubs.
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { Project, RunResult, TraceEntry } from '../../../../flows/index.ts';
import type { Value } from '../../../../flows/expression/index.ts';
import { formatNumber } from '../../admin/kit/format.ts';
import { i18next } from '../../i18n/index.ts';
import { Icon } from '../../ui/Icon.tsx';
import { describe } from '../blocks/catalogue.ts';
import { useActiveSimBlock, useEditorStores } from '../stores.tsx';
import { useSession } from '../../app/session.tsx';
import type { Activity, CallEvent } from './browser-call.ts';
import { startSimulation, type Simulation } from './session.ts';
import { defaultStubs, type SimulatorStubs } from './stubs.ts';
import { StubsEditor } from './StubsEditor.tsx';

type Status = 'idle' | 'running' | 'ended';

interface LogLine {
  readonly id: number;
  readonly text: string;
  readonly tone: 'info' | 'caller' | 'flow' | 'warn';
}

export interface SimulatorPanelProps {
  readonly doc: Project;
  readonly errorCount: number;
  onFocusBlock(id: string, follow: boolean): void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#'] as const;
const KEY_LETTERS: Record<string, string> = { '2': 'ABC', '3': 'DEF', '4': 'GHI', '5': 'JKL', '6': 'MNO', '7': 'PQRS', '8': 'TUV', '9': 'WXYZ', '0': '+' };

export function SimulatorPanel({ doc, errorCount, onFocusBlock }: SimulatorPanelProps) {
  const { t } = useTranslation();
  const { simulation: highlight } = useEditorStores();
  const { ivr } = useSession();
  const [status, setStatus] = useState<Status>('idle');
  const [activity, setActivity] = useState<Activity>({ kind: 'idle' });
  const [log, setLog] = useState<LogLine[]>([]);
  const [chat, setChat] = useState<Array<{ id: number; from: 'bot' | 'me'; text: string; replies: ReadonlyArray<{ id: string; label: string }> }>>([]);
  const [trace, setTrace] = useState<TraceEntry[]>([]);
  const [variables, setVariables] = useState<Record<string, Value>>({});
  const [result, setResult] = useState<RunResult | null>(null);
  const [stubs, setStubs] = useState<SimulatorStubs>(defaultStubs);
  const [follow, setFollow] = useState(true);
  const [typed, setTyped] = useState('');
  const [ranDoc, setRanDoc] = useState<Project | null>(null);
  const sim = useRef<Simulation | null>(null);
  const seq = useRef(1);
  const followRef = useRef(follow);
  followRef.current = follow;
  const focusRef = useRef(onFocusBlock);
  focusRef.current = onFocusBlock;
  const traceEnd = useRef<HTMLDivElement>(null);
  const endedAt = useRef<number | null>(null);
  const voice = doc.channel === 'voice';
  const activeBlock = useActiveSimBlock();
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (status !== 'running') return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [status]);
  const elapsed = startedAt === null ? 0 : Math.max(0, Math.floor(((status === 'running' ? now : (endedAt.current ?? now)) - startedAt) / 1000));
  const activeName = activeBlock === null ? null : blockName((ranDoc ?? doc), activeBlock);

  const addLog = useCallback((text: string, tone: LogLine['tone']) => setLog((l) => [...l.slice(-199), { id: seq.current++, text, tone }]), []);

  // A running call is stopped when the panel goes away (editor closed, project switched).
  useEffect(
    () => () => {
      sim.current?.abort();
      highlight.clear();
    },
    [highlight],
  );

  useEffect(() => {
    traceEnd.current?.scrollIntoView({ block: 'nearest' });
  }, [trace.length]);

  const start = () => {
    sim.current?.abort();
    highlight.clear();
    setLog([]);
    setChat([]);
    setTrace([]);
    setVariables({});
    setResult(null);
    setTyped('');
    setRanDoc(doc);
    setStartedAt(Date.now());
    setNow(Date.now());
    endedAt.current = null;
    const run = startSimulation(doc, {
      stubs,
      // A Sub-project block runs the published version of the project it names (by id or name).
      resolveProject: async (ref) => {
        const id = UUID.test(ref) ? ref.toLowerCase() : (await ivr.list()).find((p) => p.name === ref)?.id;
        return id === undefined ? undefined : (await ivr.version(id, 'latest')).project;
      },
      handlers: {
        onBlockStart: (event) => {
          if (event.depth !== 0) return;
          highlight.enter(event.blockId);
          focusRef.current(event.blockId, followRef.current);
        },
        onBlockEnd: (entry) => {
          setTrace((list) => [...list, entry]);
          const changed = entry.changed;
          if (changed !== undefined) setVariables((v) => ({ ...v, ...changed }));
        },
      },
    });
    sim.current = run;
    setStatus('running');
    run.call.onActivity((a) => setActivity(a));
    run.call.onEvent((event) => describeEvent(event, addLog, setChat, seq));
    void run.done.then((r) => {
      if (sim.current !== run) return;
      endedAt.current = Date.now();
      setResult(r);
      setStatus('ended');
      highlight.finish();
    });
  };

  const press = (key: string) => {
    const run = sim.current;
    if (run === null || status !== 'running') return;
    setTyped((keys) => (keys + key).slice(-16));
    run.call.pressKey(key);
  };

  const onPadKey = (e: KeyboardEvent) => {
    if (/^[0-9*#]$/.test(e.key) && status === 'running') {
      e.preventDefault();
      press(e.key);
    }
  };

  const changedSinceRun = ranDoc !== null && ranDoc !== doc && status !== 'idle';

  return (
    <div className="simulator" data-testid="simulator">
      <div className="sim-controls">
        {status === 'running' ? (
          <button type="button" className="btn btn-danger" onClick={() => sim.current?.hangUp()} data-testid="sim-hangup">
            <Icon name="hangup" /> {voice ? t('designer.simulator.hangUp') : t('designer.simulator.endConversation')}
          </button>
        ) : (
          <button type="button" className="btn btn-success" onClick={start} data-testid="sim-start">
            <Icon name={voice ? 'phone' : 'message'} />{' '}
            {status === 'ended'
              ? voice
                ? t('designer.simulator.callAgain')
                : t('designer.simulator.startAgain')
              : voice
                ? t('designer.simulator.startCall')
                : t('designer.simulator.startConversation')}
          </button>
        )}
        <label className="check small">
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> {t('designer.simulator.follow')}
        </label>
      </div>
      {errorCount > 0 && status === 'idle' ? (
        <div className="banner banner-warn small">
          <Icon name="warning" /> {t('designer.simulator.hasErrors', { count: errorCount })}
        </div>
      ) : null}
      {changedSinceRun ? (
        <div className="banner banner-info small">
          <Icon name="info" /> {t('designer.simulator.changed')}
        </div>
      ) : null}

      {voice ? (
        <div className="phone" onKeyDown={onPadKey}>
          <div className="phone-screen" data-testid="sim-screen" aria-live="polite">
            <div className="phone-top">
              <span className={`phone-led phone-led-${status}`} aria-hidden />
              <span>{status === 'idle' ? t('designer.simulator.caller') : status === 'running' ? t('designer.simulator.inCall') : t('designer.simulator.callEnded')}</span>
              <span className="phone-caller mono">{stubs.callerNumber}</span>
              <span className="phone-timer mono">{status === 'idle' ? '' : formatDuration(elapsed)}</span>
            </div>
            <div className="phone-status" data-testid="sim-status" data-status={status} data-activity={activity.kind}>
              {statusText(status, activity, result)}
            </div>
            <div className="phone-block">{activeName === null ? '\u00a0' : t('designer.simulator.at', { block: activeName })}</div>
            <div className="phone-digits mono" aria-label={t('designer.simulator.keysPressed')}>
              {typed === '' ? '\u00a0' : typed}
            </div>
          </div>
          <div className="dialpad" role="group" aria-label={t('designer.simulator.dialPad')}>
            {KEYS.map((key) => (
              <button key={key} type="button" className="dialpad-key" disabled={status !== 'running'} onClick={() => press(key)} aria-label={t('designer.simulator.key', { key })} data-testid={`dialpad-${key}`}>
                <span className="dialpad-digit">{key}</span>
                <span className="dialpad-letters">{KEY_LETTERS[key] ?? '\u00a0'}</span>
              </button>
            ))}
          </div>
        </div>
      ) : (
        <ChatBox
          status={status}
          activity={activity}
          result={result}
          messages={chat}
          onSend={(text, replyId) => {
            const run = sim.current;
            if (run === null || status !== 'running') return;
            setChat((c) => [...c, { id: seq.current++, from: 'me', text, replies: [] }]);
            run.call.sendText(text, replyId);
          }}
        />
      )}

      <section className="sim-section">
        <h3 className="sim-section-title">
          {t('designer.simulator.trace')} <span className="muted small">{t('designer.simulator.steps', { count: trace.length, formatted: formatNumber(trace.length) })}</span>
        </h3>
        <ol className="trace" data-testid="trace">
          {trace.length === 0 ? <li className="trace-empty muted small">{status === 'idle' ? t('designer.simulator.traceEmpty') : t('designer.simulator.running')}</li> : null}
          {trace.map((entry, i) => {
            const block = (ranDoc ?? doc).blocks[entry.blockId];
            const next = entry.exit === null ? undefined : (block?.exits[entry.exit] ?? undefined);
            return (
              <li
                key={i}
                className={`trace-entry${entry.error === undefined ? '' : ' has-error'}`}
                data-testid="trace-entry"
                data-block-id={entry.blockId}
                data-exit={entry.exit ?? ''}
                data-depth={entry.depth}
              >
                <button type="button" className="trace-main" onClick={() => focusRef.current(entry.blockId, true)}>
                  <span className="trace-step">{i + 1}</span>
                  <span className="trace-block">
                    <span className="trace-name">{block?.label || describe(entry.type)?.label || entry.type}</span>
                    <span className="mono muted">{entry.blockId}</span>
                  </span>
                  <span className="trace-exit">
                    {entry.exit === null ? (
                      <span className="chip chip-removed">{t('designer.simulator.failed')}</span>
                    ) : entry.exit === '@end' ? (
                      <span className="chip">{t('designer.simulator.end')}</span>
                    ) : (
                      <>
                        <span className="chip chip-exit">{entry.exit}</span>
                        {next === null || next === undefined ? null : <span className="mono muted small">→ {next}</span>}
                      </>
                    )}
                  </span>
                </button>
                {entry.changed === undefined ? null : (
                  <div className="trace-vars">
                    {Object.entries(entry.changed).map(([name, value]) => (
                      <span key={name} className="trace-var mono">
                        {name} = {formatValue(value)}
                      </span>
                    ))}
                  </div>
                )}
                {entry.error === undefined ? null : <div className="trace-error small">{entry.error}</div>}
                {entry.skipped === undefined ? null : <div className="muted small">{t('designer.simulator.skipped', { reason: entry.skipped })}</div>}
                {entry.logs === undefined ? null : (
                  <div className="trace-logs mono small">
                    {entry.logs.map((line, k) => (
                      <div key={k}>{line}</div>
                    ))}
                  </div>
                )}
              </li>
            );
          })}
          <div ref={traceEnd} />
        </ol>
        {result === null ? null : (
          <div className={`sim-result sim-result-${result.outcome}`} data-testid="sim-result" data-outcome={result.outcome}>
            <strong>{outcomeTitle(result)}</strong> {result.reason}
            {result.finally === null ? null : <div className="small">{t('designer.simulator.finally', { reason: result.finally.reason })}</div>}
          </div>
        )}
      </section>

      <section className="sim-section">
        <h3 className="sim-section-title">{t('designer.simulator.variables')}</h3>
        {Object.keys(variables).length === 0 ? (
          <p className="muted small">{t('designer.simulator.noVariables')}</p>
        ) : (
          <table className="kv-table" data-testid="sim-variables">
            <tbody>
              {Object.entries(variables).map(([name, value]) => (
                <tr key={name}>
                  <th scope="row" className="mono">
                    {name}
                  </th>
                  <td className="mono">{formatValue(value)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      {voice ? (
        <section className="sim-section">
          <h3 className="sim-section-title">{t('designer.simulator.callLog')}</h3>
          <ul className="call-log" data-testid="call-log">
            {log.length === 0 ? <li className="muted small">{t('designer.simulator.callLogEmpty')}</li> : null}
            {log.map((line) => (
              <li key={line.id} className={`log-${line.tone}`}>
                {line.text}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <StubsEditor doc={doc} stubs={stubs} onChange={setStubs} disabled={status === 'running'} />
    </div>
  );
}

function ChatBox({
  status,
  activity,
  result,
  messages,
  onSend,
}: {
  status: Status;
  activity: Activity;
  result: RunResult | null;
  messages: ReadonlyArray<{ id: number; from: 'bot' | 'me'; text: string; replies: ReadonlyArray<{ id: string; label: string }> }>;
  onSend: (text: string, replyId?: string) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const end = useRef<HTMLDivElement>(null);
  // (A block body: scrollIntoView returns a promise in recent browsers, and an effect must not.)
  useEffect(() => {
    end.current?.scrollIntoView({ block: 'nearest' });
  }, [messages.length]);
  const last = messages[messages.length - 1];
  return (
    <div className="chatbox">
      <div className="chat-status small" data-testid="sim-status" data-status={status} data-activity={activity.kind}>
        {statusText(status, activity, result)}
      </div>
      <div className="chat-transcript" data-testid="chat-transcript" aria-live="polite">
        {messages.length === 0 ? <p className="muted small chat-empty">{t('designer.simulator.chatEmpty')}</p> : null}
        {messages.map((m) => (
          <div key={m.id} className={`chat-msg chat-${m.from}`} data-testid={`chat-${m.from}`}>
            {m.text}
          </div>
        ))}
        {last !== undefined && last.from === 'bot' && last.replies.length > 0 && status === 'running' ? (
          <div className="quick-replies">
            {last.replies.map((r) => (
              <button key={r.id} type="button" className="btn btn-sm" onClick={() => onSend(r.label, r.id)}>
                {r.label}
              </button>
            ))}
          </div>
        ) : null}
        <div ref={end} />
      </div>
      <form
        className="chat-input"
        onSubmit={(e) => {
          e.preventDefault();
          if (text.trim() === '') return;
          onSend(text.trim());
          setText('');
        }}
      >
        <input
          aria-label={t('designer.simulator.message')}
          placeholder={status === 'running' ? t('designer.simulator.typeMessage') : t('designer.simulator.startFirst')}
          value={text}
          disabled={status !== 'running'}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit" className="btn btn-primary" disabled={status !== 'running' || text.trim() === ''} aria-label={t('designer.simulator.send')}>
          <Icon name="send" />
        </button>
      </form>
    </div>
  );
}

function describeEvent(
  event: CallEvent,
  addLog: (text: string, tone: LogLine['tone']) => void,
  setChat: (fn: (c: Array<{ id: number; from: 'bot' | 'me'; text: string; replies: ReadonlyArray<{ id: string; label: string }> }>) => Array<{ id: number; from: 'bot' | 'me'; text: string; replies: ReadonlyArray<{ id: string; label: string }> }>) => void,
  seq: { current: number },
): void {
  const t = i18next.t;
  switch (event.kind) {
    case 'answer':
      return addLog(t('designer.simulator.log.answered'), 'flow');
    case 'play':
      return addLog(t(event.skippable ? 'designer.simulator.log.playingSkippable' : 'designer.simulator.log.playing', { prompts: event.prompts.join(', ') }), 'flow');
    case 'say':
      return addLog(t('designer.simulator.log.saying', { kind: event.sayKind, value: event.value }), 'flow');
    case 'collect':
      return addLog(t('designer.simulator.log.menu', { prompts: event.prompts.join(', ') || t('designer.simulator.log.noPrompt'), keys: waitingFor(event.maxDigits) }), 'flow');
    case 'collected':
      return addLog(event.digits === '' ? t('designer.simulator.log.noKeys', { reason: event.reason }) : t('designer.simulator.log.entered', { digits: event.digits }), 'caller');
    case 'key':
      return addLog(t(event.accepted ? 'designer.simulator.log.pressed' : 'designer.simulator.log.pressedIgnored', { digit: event.digit }), event.accepted ? 'caller' : 'warn');
    case 'record':
      return addLog(t('designer.simulator.log.recording', { file: event.file }), 'flow');
    case 'music':
      return addLog(event.musicClass === null ? t('designer.simulator.log.musicStopped') : t('designer.simulator.log.music', { musicClass: event.musicClass || t('designer.simulator.log.defaultClass') }), 'flow');
    case 'dial':
      return addLog(t('designer.simulator.log.dialled', { destination: event.destination, status: event.status }), 'flow');
    case 'exec':
      return addLog(t('designer.simulator.log.application', { application: event.application, args: event.args.join(',') }), 'flow');
    case 'agi':
      return addLog(t('designer.simulator.log.agi', { url: event.url }), 'flow');
    case 'enqueue':
      return addLog(t('designer.simulator.log.queue', { queue: event.queue, outcome: event.outcome }), 'flow');
    case 'variable':
      return addLog(t('designer.simulator.log.variable', { name: event.name, value: event.value }), 'info');
    case 'hangup':
      return addLog(event.by === 'caller' ? t('designer.simulator.log.youHungUp') : t('designer.simulator.log.flowHungUp'), 'info');
    case 'message-out': {
      const replies = event.message.quickReplies ?? [];
      setChat((c) => [...c, { id: seq.current++, from: 'bot', text: event.message.text, replies }]);
      return;
    }
    case 'message-in':
      return;
  }
}

function blockName(doc: Project, id: string): string {
  const block = doc.blocks[id];
  if (block === undefined) return id;
  return block.label !== '' ? `${block.label} (${id})` : `${describe(block.type)?.label ?? block.type} (${id})`;
}

function formatDuration(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** "a key" or "up to 4 keys". */
function waitingFor(maxDigits: number): string {
  return i18next.t('designer.simulator.keys', { count: maxDigits });
}

function statusText(status: Status, activity: Activity, result: RunResult | null): string {
  const t = i18next.t;
  if (status === 'idle') return t('designer.simulator.status.ready');
  if (status === 'ended') return result === null ? t('designer.simulator.callEnded') : outcomeTitle(result);
  switch (activity.kind) {
    case 'playing':
      return t(activity.skippable ? 'designer.simulator.status.playingSkippable' : 'designer.simulator.status.playing', { prompts: activity.prompts.join(', ') });
    case 'collecting':
      return t('designer.simulator.status.collecting', {
        keys: waitingFor(activity.maxDigits),
        seconds: formatNumber(Math.round(activity.timeoutMs / 100) / 10),
      });
    case 'waiting-message':
      return t('designer.simulator.status.waitingMessage');
    case 'recording':
      return t('designer.simulator.status.recording', { file: activity.file });
    case 'ringing':
      return t('designer.simulator.status.ringing', { destination: activity.destination });
    case 'queued':
      return t('designer.simulator.status.queued', { queue: activity.queue });
    case 'ended':
      return t('designer.simulator.callEnded');
    case 'idle':
      return t('designer.simulator.status.connected');
  }
}

function outcomeTitle(result: RunResult): string {
  return i18next.t(`designer.simulator.outcomes.${result.outcome}`);
}

function formatValue(value: Value): string {
  if (typeof value === 'string') return JSON.stringify(value);
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
