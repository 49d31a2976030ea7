// Walks a parsed dialplan the way Asterisk's PBX core runs a channel through it, for the handful of
// applications Tandem's contexts use, so that tests can enumerate every outcome of AGI()/Dial()/
// Stasis() and check where each call ends. Anything the simulator does not model (an unknown
// application, a dialplan function, an expression operator) is an error, never a guess.
//
// Modelled on the captures of Asterisk 22.10.1: when AGI() returns with the channel up (server
// down: AGISTATUS=FAILURE; server closed the session: SUCCESS) the next priority runs
// (agi-server-down.txt, agi-commands.txt); Stasis() returns STASISSTATUS and continues likewise
// (agi-to-stasis.txt). Running past the last priority hangs the channel up (autofallthrough).
import { extensionMatches, type Dialplan, type DialplanContext, type DialplanStep } from './conf-parser.ts';

export type Audible = { app: 'Playback' | 'Busy' | 'Congestion'; what: string; at: string };

export interface SimulationHooks {
  callerNumber: string;
  /** AGI(): the variables the run leaves on the channel, and whether Tandem hung the channel up. */
  agi(url: string, args: string[]): { AGISTATUS: string; hungUp?: boolean; vars?: Record<string, string> };
  /** Dial(): DIALSTATUS; ANSWER means a conversation happened and the caller's leg ends with it. */
  dial(target: string): string;
  stasis?(args: string[]): { STASISSTATUS: string; hungUp?: boolean };
}

export type Ending = 'hangup' | 'hung-up-by-tandem' | 'connected' | 'tone-then-hangup' | 'fell-off-the-end';

export interface SimulationResult {
  ending: Ending;
  executed: DialplanStep[];
  audible: Audible[];
  dialed: string[];
  agiCalls: { url: string; args: string[] }[];
  contextsVisited: Set<string>;
  /** Audible events after the last AGI()/Stasis() returned. */
  audibleAfterHandoff: Audible[];
  vars: Map<string, string>;
}

export class SimulationError extends Error {}

/** Finds the extension for a number: exact names, then patterns, then included contexts in order. */
export function findExtension(plan: Dialplan, context: string, number: string, seen = new Set<string>()): { context: DialplanContext; name: string } | undefined {
  const ctx = plan.contexts.get(context);
  if (!ctx || seen.has(context)) return undefined;
  seen.add(context);
  if (ctx.extensions.has(number)) return { context: ctx, name: number };
  // Fixed-length patterns are more specific than ones with '.'/'!' (Asterisk sorts the same way).
  const patterns = [...ctx.extensions.keys()].filter((n) => n.startsWith('_')).sort((a, b) => Number(/[.!]/.test(a)) - Number(/[.!]/.test(b)));
  const hit = patterns.find((p) => extensionMatches(p, number));
  if (hit) return { context: ctx, name: hit };
  for (const inc of ctx.includes) {
    const found = findExtension(plan, inc, number, seen);
    if (found) return found;
  }
  return undefined;
}

export function simulate(plan: Dialplan, context: string, number: string, hooks: SimulationHooks, maxSteps = 200): SimulationResult {
  const vars = new Map<string, string>();
  const result: SimulationResult = { ending: 'fell-off-the-end', executed: [], audible: [], dialed: [], agiCalls: [], contextsVisited: new Set(), audibleAfterHandoff: [], vars };
  let position = locate(plan, context, number, 1);
  let exten = number;
  for (let n = 0; n < maxSteps; n++) {
    const { ctx, name } = position;
    const steps = ctx.extensions.get(name)!;
    const step = steps.find((s) => s.priority === position.priority);
    if (!step) return result; // ran off the end: Asterisk hangs up, in silence
    result.executed.push(step);
    result.contextsVisited.add(ctx.name);
    const sub = (text: string) => substitute(text, plan, vars, exten, hooks.callerNumber);
    const at = `${ctx.name},${name},${step.priority}`;
    const next = () => (position = { ...position, priority: position.priority + 1 });
    switch (step.app) {
      case 'NoOp':
      case 'Answer':
      case 'Wait':
        next();
        break;
      case 'Set': {
        const raw = step.rawArgs;
        const eq = raw.indexOf('=');
        if (eq < 0) throw new SimulationError(`${at}: Set without '='`);
        vars.set(raw.slice(0, eq), sub(raw.slice(eq + 1)));
        next();
        break;
      }
      case 'AGI': {
        const [url, ...args] = step.args.map(sub);
        result.agiCalls.push({ url: url!, args });
        const r = hooks.agi(url!, args);
        vars.set('AGISTATUS', r.AGISTATUS);
        for (const [k, v] of Object.entries(r.vars ?? {})) vars.set(k, v);
        result.audibleAfterHandoff = [];
        if (r.hungUp) {
          result.ending = 'hung-up-by-tandem';
          return result;
        }
        next();
        break;
      }
      case 'Stasis': {
        if (!hooks.stasis) throw new SimulationError(`${at}: Stasis() without a stasis hook`);
        const r = hooks.stasis(step.args.map(sub));
        vars.set('STASISSTATUS', r.STASISSTATUS);
        result.audibleAfterHandoff = [];
        if (r.hungUp) {
          result.ending = 'hung-up-by-tandem';
          return result;
        }
        next();
        break;
      }
      case 'Playback': {
        const a: Audible = { app: 'Playback', what: sub(step.args[0] ?? ''), at };
        result.audible.push(a);
        result.audibleAfterHandoff.push(a);
        next();
        break;
      }
      case 'Busy':
      case 'Congestion': {
        // Plays the tone for the timeout, then hangs up.
        const a: Audible = { app: step.app, what: step.app.toLowerCase(), at };
        result.audible.push(a);
        result.audibleAfterHandoff.push(a);
        result.ending = 'tone-then-hangup';
        return result;
      }
      case 'Dial': {
        const target = sub(step.args[0] ?? '');
        result.dialed.push(target);
        const status = hooks.dial(target);
        vars.set('DIALSTATUS', status);
        if (status === 'ANSWER') {
          result.ending = 'connected';
          return result;
        }
        next();
        break;
      }
      case 'Hangup':
        result.ending = 'hangup';
        return result;
      case 'Goto':
      case 'GotoIf': {
        let label: string | undefined;
        if (step.app === 'Goto') label = step.rawArgs;
        else {
          const q = findTopLevel(step.rawArgs, '?');
          if (q < 0) throw new SimulationError(`${at}: GotoIf without '?'`);
          const cond = evaluate(sub(step.rawArgs.slice(0, q)), at);
          const branches = step.rawArgs.slice(q + 1);
          const colon = findTopLevel(branches, ':');
          label = cond ? (colon < 0 ? branches : branches.slice(0, colon)) : colon < 0 ? undefined : branches.slice(colon + 1);
          label = label === '' ? undefined : label;
        }
        if (label === undefined) {
          next();
          break;
        }
        const target = sub(label).split(',');
        if (target.length === 3) {
          exten = target[1]!;
          position = locate(plan, target[0]!, target[1]!, target[2]!);
        } else if (target.length === 2) {
          exten = target[0]!;
          position = locate(plan, ctx.name, target[0]!, target[1]!);
        } else position = locate(plan, ctx.name, exten, target[0]!, name);
        break;
      }
      default:
        throw new SimulationError(`${at}: the simulator does not model ${step.app}()`);
    }
  }
  throw new SimulationError(`more than ${maxSteps} steps: a loop?`);
}

function locate(plan: Dialplan, context: string, number: string, priority: number | string, knownName?: string): { ctx: DialplanContext; name: string; priority: number } {
  const found = knownName ? { context: plan.contexts.get(context)!, name: knownName } : findExtension(plan, context, number);
  if (!found) throw new SimulationError(`no extension ${number} in [${context}] (or its includes)`);
  const steps = found.context.extensions.get(found.name)!;
  if (typeof priority === 'number' || /^\d+$/.test(priority)) return { ctx: found.context, name: found.name, priority: Number(priority) };
  const step = steps.find((s) => s.label === priority);
  if (!step) throw new SimulationError(`no label '${priority}' in ${found.name}@${context}`);
  return { ctx: found.context, name: found.name, priority: step.priority };
}

function findTopLevel(text: string, char: string): number {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '[' || c === '(' || c === '{')) depth++;
    else if (!quoted && (c === ']' || c === ')' || c === '}')) depth--;
    else if (!quoted && depth === 0 && c === char) return i;
  }
  return -1;
}

/**
 * `${VAR}`, `${EXTEN}`, `${CALLERID(num)}`, `${CALLERID(name)}` (as Set() left them, else the hooks'
 * number and an empty name), `${FILTER(allowed,text)}`; channel variables shadow globals, unset is
 * empty. Innermost first, as Asterisk expands nested references.
 */
export function substitute(text: string, plan: Dialplan, vars: ReadonlyMap<string, string>, exten: string, callerNumber: string): string {
  let out = text;
  for (let previous = ''; previous !== out; ) {
    previous = out;
    out = out.replace(/\$\{([^{}]*)\}/g, (_, expr: string) => {
      if (expr === 'EXTEN') return exten;
      if (expr === 'CALLERID(num)') return vars.get(expr) ?? callerNumber;
      if (expr === 'CALLERID(name)') return vars.get(expr) ?? '';
      const filter = /^FILTER\(([^,]*),(.*)\)$/s.exec(expr);
      if (filter) return filterText(filter[1]!, filter[2]!);
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(expr)) throw new SimulationError(`the simulator does not model \${${expr}}`);
      return vars.get(expr) ?? plan.globals.get(expr) ?? '';
    });
  }
  return out;
}

/** FILTER(): keeps the bytes listed in `allowed` (characters, \xHH escapes and a-b ranges). */
function filterText(allowed: string, text: string): string {
  const chars = [...allowed.matchAll(/\\x([0-9a-fA-F]{2})|([^\\])/g)].map((m) => (m[1] ? parseInt(m[1], 16) : m[2]!.charCodeAt(0)));
  const keep = new Set<number>();
  for (let i = 0; i < chars.length; i++) {
    const dash = chars[i + 1] === 0x2d && i + 2 < chars.length;
    const [from, to] = dash ? [chars[i]!, chars[i + 2]!] : [chars[i]!, chars[i]!];
    for (let c = from; c <= to; c++) keep.add(c);
    if (dash) i += 2;
  }
  return Buffer.from([...Buffer.from(text, 'utf8')].filter((b) => keep.has(b))).toString('utf8');
}

/** `$[ "a" = "b" ]` with `=`, `!=`, `&`, `|` on quoted strings: the subset Tandem's contexts use. */
export function evaluate(text: string, at = ''): boolean {
  const m = /^\$\[(.*)\]$/s.exec(text.trim());
  if (!m) throw new SimulationError(`${at}: not an expression: ${text}`);
  const tokens = m[1]!.match(/"[^"]*"|!=|=|&|\||\S+/g) ?? [];
  let i = 0;
  const operand = (): string => {
    const t = tokens[i++];
    if (t === undefined || !t.startsWith('"')) throw new SimulationError(`${at}: unsupported operand '${t}' in ${text}`);
    return t.slice(1, -1);
  };
  const comparison = (): boolean => {
    const left = operand();
    const op = tokens[i++];
    const right = operand();
    if (op === '=') return left === right;
    if (op === '!=') return left !== right;
    throw new SimulationError(`${at}: unsupported operator '${op}' in ${text}`);
  };
  const conjunction = (): boolean => {
    let v = comparison();
    while (tokens[i] === '&') {
      i++;
      v = comparison() && v;
    }
    return v;
  };
  let value = conjunction();
  while (tokens[i] === '|') {
    i++;
    value = conjunction() || value;
  }
  if (i !== tokens.length) throw new SimulationError(`${at}: trailing tokens in ${text}`);
  return value;
}
