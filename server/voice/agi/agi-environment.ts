// The agi_* environment block Asterisk sends first on every FastAGI connection (res_agi.c
// launch_netscript + setup_env), e.g. from agi-session.txt:
//
//   agi_network: yes
//   agi_network_script: demo?x=1            <- only when the URL has a path after host[:port]/
//   agi_request: agi://127.0.0.1:4573/demo?x=1
//   agi_channel: Local/100@ivr-test-00000000;2
//   ... (language, type, uniqueid, version, callerid, …, threadid)
//   agi_arg_1: …                            <- one per extra AGI() argument
//   <empty line>
//
// Parsing is incremental (one line at a time, as the socket delivers them) and strict: anything that
// is not an "agi_name: value" line, a repeated name, an oversized block or a block without the
// fields Asterisk always sends is an AgiEnvironmentError naming the problem.
import { AgiEnvironmentError, preview } from './agi-errors.ts';

/** The request URL path (agi_network_script) split into a route path and its query. */
export interface AgiScript {
  /** agi_network_script exactly as sent ('' when the URL had no path). */
  readonly raw: string;
  /** Path without leading/trailing slashes: 'demo' for agi://host/demo?x=1, '' for agi://host. */
  readonly path: string;
  /** Decoded query parameters (first occurrence wins); a null-prototype object. */
  readonly query: Readonly<Record<string, string>>;
}

export interface AgiEnvironment {
  readonly network: boolean;
  readonly request: string;
  readonly script: AgiScript;
  readonly channel: string;
  readonly language: string;
  readonly type: string;
  readonly uniqueId: string;
  readonly version: string;
  /** agi_callerid; Asterisk writes 'unknown' when the number is not valid. */
  readonly callerId: string;
  readonly callerIdName: string;
  readonly callingPres: string;
  readonly callingAni2: string;
  readonly callingTon: string;
  readonly callingTns: string;
  readonly dnid: string;
  readonly rdnis: string;
  readonly context: string;
  readonly extension: string;
  readonly priority: string;
  readonly enhanced: string;
  readonly accountCode: string;
  readonly threadId: string;
  /** agi_arg_1 … agi_arg_N: the AGI() application arguments after the URL, in order. */
  readonly args: readonly string[];
  /** Every line as received, keyed by its full name (agi_channel …); a null-prototype object. */
  readonly variables: Readonly<Record<string, string>>;
}

/** Fields res_agi.c setup_env() always writes; a block without them is not from Asterisk. */
const REQUIRED = ['agi_request', 'agi_channel', 'agi_uniqueid'] as const;

/** res_agi.c MAX_ARGS: AGI() cannot pass more arguments than this. */
const MAX_AGI_ARGS = 128;
/** Asterisk sends about 23 lines plus the arguments; anything far beyond is not an AGI environment. */
const MAX_ENV_LINES = 256;
const MAX_ENV_BYTES = 64 * 1024;

const ARG_NAME = /^agi_arg_([1-9][0-9]{0,3})$/;

/** /^agi_[a-z0-9_]+$/ for line.slice(0, colon), checked in place (this runs for every line of every call). */
function isEnvName(line: string, colon: number): boolean {
  if (colon < 5 || !line.startsWith('agi_')) return false;
  for (let i = 4; i < colon; i++) {
    const c = line.charCodeAt(i);
    if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x5f)) return false;
  }
  return true;
}

/** The fields res_agi.c setup_env() writes, in the order it writes them (agi-session.txt). */
const KNOWN = [
  'agi_network',
  'agi_network_script',
  'agi_request',
  'agi_channel',
  'agi_language',
  'agi_type',
  'agi_uniqueid',
  'agi_version',
  'agi_callerid',
  'agi_calleridname',
  'agi_callingpres',
  'agi_callingani2',
  'agi_callington',
  'agi_callingtns',
  'agi_dnid',
  'agi_rdnis',
  'agi_context',
  'agi_extension',
  'agi_priority',
  'agi_enhanced',
  'agi_accountcode',
  'agi_threadid',
] as const;
type KnownName = (typeof KNOWN)[number];
const KNOWN_ID = new Map<string, number>(KNOWN.map((name, id) => [name, id]));
const REQUIRED_IDS = REQUIRED.map((name) => KNOWN.indexOf(name));

export class EnvironmentParser {
  // Why not one Object.create(null) keyed by name: inserting ~23 freshly sliced keys into a
  // dictionary-mode object (or even a Map) cost tens of µs per call on a loaded host. Asterisk
  // writes its fields in a fixed order, so each line is first compared with the next expected
  // name in place (no key string, no hashing); only other lines (agi_arg_N…) are looked up.
  private readonly names: string[] = [];
  private readonly values: string[] = [];
  /** Values of the KNOWN fields by index. */
  private readonly known: (string | undefined)[] = new Array<string | undefined>(KNOWN.length);
  /** Bit i set: KNOWN[i] has been seen (22 fields fit in one number). */
  private seen = 0;
  /** Other names seen (agi_arg_N, fields of newer Asterisks), for the repeat check. */
  private others: Set<string> | undefined;
  private expect = 0;
  private lineCount = 0;
  private byteCount = 0;
  private done = false;

  /** Lines consumed so far (for error messages when the peer stops early). */
  get lines(): number {
    return this.lineCount;
  }

  /**
   * Consumes one line (without LF). Returns the environment once the terminating empty line
   * arrives, undefined before that. Throws AgiEnvironmentError on anything malformed.
   */
  pushLine(line: string): AgiEnvironment | undefined {
    if (this.done) throw new AgiEnvironmentError('the AGI environment is already complete');
    this.lineCount += 1;
    this.byteCount += line.length + 1;
    if (line === '') {
      this.done = true;
      return this.build();
    }
    if (this.lineCount > MAX_ENV_LINES || this.byteCount > MAX_ENV_BYTES) {
      throw new AgiEnvironmentError(`the AGI environment is too large (more than ${MAX_ENV_LINES} lines or ${MAX_ENV_BYTES} bytes)`);
    }
    // "agi_name: value" (or "agi_name:" when empty); checked by hand, this runs for every call.
    const colon = line.indexOf(':');
    if (!isEnvName(line, colon) || (colon + 1 < line.length && line.charCodeAt(colon + 1) !== 0x20)) {
      throw new AgiEnvironmentError(
        this.lineCount === 1
          ? `the connection did not start with an AGI environment (first line ${preview(line)})`
          : `line ${this.lineCount} of the AGI environment is not an "agi_name: value" pair: ${preview(line)}`,
      );
    }
    let id = -1;
    // The next expected field, or the one after it (agi_network_script is absent for agi://host).
    for (let k = this.expect; k < this.expect + 2 && k < KNOWN.length; k++) {
      const candidate = KNOWN[k] as KnownName;
      if (candidate.length === colon && line.startsWith(candidate)) {
        id = k;
        break;
      }
    }
    let name: string;
    if (id !== -1) {
      name = KNOWN[id] as KnownName;
      this.expect = id + 1;
    } else {
      name = line.slice(0, colon);
      id = KNOWN_ID.get(name) ?? -1;
    }
    if (id !== -1 ? (this.seen & (1 << id)) !== 0 : this.others?.has(name) === true) {
      throw new AgiEnvironmentError(`the AGI environment repeats ${name} (line ${this.lineCount})`);
    }
    const value = line.slice(colon + 2);
    if (id !== -1) {
      this.seen |= 1 << id;
      this.known[id] = value;
    } else {
      (this.others ??= new Set()).add(name);
    }
    this.names.push(name);
    this.values.push(value);
    return undefined;
  }

  private build(): AgiEnvironment {
    if (this.names.length === 0) throw new AgiEnvironmentError('the AGI environment is empty (an empty line came before any agi_* line)');
    const missing = REQUIRED_IDS.filter((id) => (this.seen & (1 << id)) === 0).map((id) => KNOWN[id]);
    if (missing.length > 0) throw new AgiEnvironmentError(`the AGI environment lacks ${missing.join(', ')}`);
    return new Environment(this.known, this.others === undefined ? [] : collectArgs(this.names, this.values), this.names, this.values);
  }
}

/** Parses a complete block (lines separated by LF, ending with an empty line). */
export function parseEnvironment(text: string): AgiEnvironment {
  const parser = new EnvironmentParser();
  // Only LF-terminated lines are complete; whatever follows the last LF is an unfinished line.
  const lines = text.split('\n').slice(0, -1);
  for (const line of lines) {
    const env = parser.pushLine(line);
    if (env) return env;
  }
  throw new AgiEnvironmentError(`the AGI environment ended after ${parser.lines} lines without the empty line that closes it`);
}

/** The parsed block; `variables` (a null-prototype object) is only built when someone reads it. */
class Environment implements AgiEnvironment {
  readonly network: boolean;
  readonly request: string;
  readonly script: AgiScript;
  readonly channel: string;
  readonly language: string;
  readonly type: string;
  readonly uniqueId: string;
  readonly version: string;
  readonly callerId: string;
  readonly callerIdName: string;
  readonly callingPres: string;
  readonly callingAni2: string;
  readonly callingTon: string;
  readonly callingTns: string;
  readonly dnid: string;
  readonly rdnis: string;
  readonly context: string;
  readonly extension: string;
  readonly priority: string;
  readonly enhanced: string;
  readonly accountCode: string;
  readonly threadId: string;
  readonly args: readonly string[];
  readonly #names: readonly string[];
  readonly #values: readonly string[];
  #variables: Readonly<Record<string, string>> | undefined;

  constructor(known: readonly (string | undefined)[], args: readonly string[], names: readonly string[], values: readonly string[]) {
    // Indexes into KNOWN (the order Asterisk writes them).
    const get = (id: number): string => known[id] ?? '';
    this.network = get(0) === 'yes';
    this.script = parseScript(get(1));
    this.request = get(2);
    this.channel = get(3);
    this.language = get(4);
    this.type = get(5);
    this.uniqueId = get(6);
    this.version = get(7);
    this.callerId = get(8);
    this.callerIdName = get(9);
    this.callingPres = get(10);
    this.callingAni2 = get(11);
    this.callingTon = get(12);
    this.callingTns = get(13);
    this.dnid = get(14);
    this.rdnis = get(15);
    this.context = get(16);
    this.extension = get(17);
    this.priority = get(18);
    this.enhanced = get(19);
    this.accountCode = get(20);
    this.threadId = get(21);
    this.args = args;
    this.#names = names;
    this.#values = values;
  }

  get variables(): Readonly<Record<string, string>> {
    if (!this.#variables) {
      const variables = Object.create(null) as Record<string, string>;
      for (let i = 0; i < this.#names.length; i++) variables[this.#names[i] as string] = this.#values[i] as string;
      this.#variables = variables;
    }
    return this.#variables;
  }
}

function collectArgs(names: readonly string[], values: readonly string[]): string[] {
  const args: string[] = [];
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (!name.startsWith('agi_arg_')) continue;
    const match = ARG_NAME.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    if (index >= MAX_AGI_ARGS) throw new AgiEnvironmentError(`the AGI environment has ${name}; Asterisk passes at most ${MAX_AGI_ARGS - 1} arguments`);
    args[index - 1] = values[i] as string;
  }
  // Asterisk numbers arguments 1..N without gaps; fill any gap so `args` is a dense array.
  for (let i = 0; i < args.length; i++) if (args[i] === undefined) args[i] = '';
  return args;
}

/**
 * Splits agi_network_script ("demo?x=1", "ivr/main/?did=100&cid=%2B33…") into a route path and a
 * decoded query. The path is not percent-decoded: routes are matched on what the dialplan wrote.
 */
export function parseScript(raw: string): AgiScript {
  const q = raw.indexOf('?');
  const pathPart = q === -1 ? raw : raw.slice(0, q);
  const query: Record<string, string> = Object.create(null) as Record<string, string>;
  if (q !== -1) {
    for (const [key, value] of new URLSearchParams(raw.slice(q + 1))) {
      if (!(key in query)) query[key] = value;
    }
  }
  // Most paths have no slash at either end: skip the regex for them.
  const path = pathPart.startsWith('/') || pathPart.endsWith('/') ? pathPart.replace(/^\/+|\/+$/g, '') : pathPart;
  return { raw, path, query };
}
