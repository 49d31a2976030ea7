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

const ENV_NAME = /^agi_[a-z0-9_]+$/;
const ARG_NAME = /^agi_arg_([1-9][0-9]{0,3})$/;

export class EnvironmentParser {
  private readonly entries: Record<string, string> = Object.create(null) as Record<string, string>;
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
      return buildEnvironment(this.entries, this.lineCount - 1);
    }
    if (this.lineCount > MAX_ENV_LINES || this.byteCount > MAX_ENV_BYTES) {
      throw new AgiEnvironmentError(`the AGI environment is too large (more than ${MAX_ENV_LINES} lines or ${MAX_ENV_BYTES} bytes)`);
    }
    // "agi_name: value" (or "agi_name:" when empty); checked by hand, this runs for every call.
    const colon = line.indexOf(':');
    const name = colon > 4 ? line.slice(0, colon) : '';
    if (!ENV_NAME.test(name) || (colon + 1 < line.length && line.charCodeAt(colon + 1) !== 0x20)) {
      throw new AgiEnvironmentError(
        this.lineCount === 1
          ? `the connection did not start with an AGI environment (first line ${preview(line)})`
          : `line ${this.lineCount} of the AGI environment is not an "agi_name: value" pair: ${preview(line)}`,
      );
    }
    if (name in this.entries) throw new AgiEnvironmentError(`the AGI environment repeats ${name} (line ${this.lineCount})`);
    this.entries[name] = line.slice(colon + 2);
    return undefined;
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

function buildEnvironment(vars: Record<string, string>, lineCount: number): AgiEnvironment {
  if (lineCount === 0) throw new AgiEnvironmentError('the AGI environment is empty (an empty line came before any agi_* line)');
  const missing = REQUIRED.filter((name) => !(name in vars));
  if (missing.length > 0) throw new AgiEnvironmentError(`the AGI environment lacks ${missing.join(', ')}`);
  const get = (name: string): string => vars[name] ?? '';
  return {
    network: get('agi_network') === 'yes',
    request: get('agi_request'),
    script: parseScript(get('agi_network_script')),
    channel: get('agi_channel'),
    language: get('agi_language'),
    type: get('agi_type'),
    uniqueId: get('agi_uniqueid'),
    version: get('agi_version'),
    callerId: get('agi_callerid'),
    callerIdName: get('agi_calleridname'),
    callingPres: get('agi_callingpres'),
    callingAni2: get('agi_callingani2'),
    callingTon: get('agi_callington'),
    callingTns: get('agi_callingtns'),
    dnid: get('agi_dnid'),
    rdnis: get('agi_rdnis'),
    context: get('agi_context'),
    extension: get('agi_extension'),
    priority: get('agi_priority'),
    enhanced: get('agi_enhanced'),
    accountCode: get('agi_accountcode'),
    threadId: get('agi_threadid'),
    args: collectArgs(vars),
    variables: vars,
  };
}

function collectArgs(vars: Record<string, string>): string[] {
  const args: string[] = [];
  for (const name in vars) {
    const match = ARG_NAME.exec(name);
    if (!match) continue;
    const index = Number(match[1]);
    if (index >= MAX_AGI_ARGS) throw new AgiEnvironmentError(`the AGI environment has ${name}; Asterisk passes at most ${MAX_AGI_ARGS - 1} arguments`);
    args[index - 1] = vars[name] ?? '';
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
  return { raw, path: pathPart.replace(/^\/+|\/+$/g, ''), query };
}
