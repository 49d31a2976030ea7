// What Asterisk 22's res_agi does with one AGI command line, as far as a FastAGI client can see:
// the argument parser (parse_args, ported byte for byte), the command table with each command's
// "runs on a dead channel" flag, the reply formats, and a small simulated channel (variables,
// AstDB, state, caller id, sounds, DTMF typed by the caller). Pure and synchronous; the TCP side
// (asterisk-agi.ts) adds timing, hang-ups and scripted overrides.
//
// Sources: test/fixtures/asterisk/agi-*.txt (Asterisk 22.10.1) and res_agi.c. Where the
// fixtures do not show a format, the res_agi.c one is used. The 520 usage text is only known for
// SET VARIABLE ("Sets a variable to the current channel."); other usage texts here are shortened
// stand-ins, which is enough because clients must treat usage text as opaque.

/** res_agi.c MAX_ARGS. */
export const MAX_ARGS = 128;

/**
 * res_agi.c parse_args(): splits on space/tab outside quotes; '"' toggles quoting (and starts a
 * word when it follows whitespace); '\' escapes the next character (so "\n" is just "n");
 * at most MAX_ARGS-1 words, the rest is dropped ("Too many arguments, truncating").
 */
export function parseAgiArgs(line: string): string[] {
  const argv: string[] = [];
  let cur = '';
  let inWord = false;
  let quotedMode = false;
  let escaped = false;
  let whitespace = true;
  for (const ch of line) {
    if (ch === '"' && !escaped) {
      quotedMode = !quotedMode;
      if (quotedMode && whitespace && argv.length + (inWord ? 1 : 0) < MAX_ARGS - 1) {
        if (inWord) argv.push(cur);
        cur = '';
        inWord = true;
        whitespace = false;
      }
      escaped = false;
      continue;
    }
    if ((ch === ' ' || ch === '\t') && !quotedMode && !escaped) {
      if (inWord) argv.push(cur);
      cur = '';
      inWord = false;
      whitespace = true;
      continue;
    }
    if (ch === '\\' && !escaped) {
      escaped = true;
      continue;
    }
    // A normal character (or an escaped quote, space or backslash).
    if (whitespace) {
      if (argv.length + (inWord ? 1 : 0) >= MAX_ARGS - 1) continue; // "Too many arguments, truncating"
      if (inWord) argv.push(cur);
      cur = '';
      inWord = true;
      whitespace = false;
    }
    cur += ch;
    escaped = false;
  }
  if (inWord) argv.push(cur);
  return argv;
}

interface CommandDef {
  readonly words: readonly string[];
  /** Allowed after the channel hung up (res_agi.c `dead` column). */
  readonly dead: boolean;
  readonly usage: string;
}

const def = (name: string, dead: boolean, usage: string): CommandDef => ({ words: name.split(' '), dead, usage });

/** The commands res_agi registers (22.x), with their dead-channel flag. */
export const AGI_COMMANDS: readonly CommandDef[] = [
  def('answer', false, 'Answers channel if not already in answer state.'),
  def('asyncagi break', false, 'Interrupts Async AGI.'),
  def('channel status', false, 'Returns the status of the specified channelname.'),
  def('database del', true, 'Deletes an entry in the Asterisk database for a given family and key.'),
  def('database deltree', true, 'Deletes a family or specific keytree within a family in the Asterisk database.'),
  def('database get', true, 'Retrieves an entry in the Asterisk database for a given family and key.'),
  def('database put', true, 'Adds or updates an entry in the Asterisk database for a given family, key, and value.'),
  def('exec', true, 'Executes application with given options.'),
  def('get data', false, 'Stream the given file, and receive DTMF data.'),
  def('get full variable', true, 'Evaluates the given expression against the channel specified by channelname, or the current channel.'),
  def('get option', false, 'Behaves similar to STREAM FILE but used with a timeout option.'),
  def('get variable', true, 'Returns 0 if variablename is not set. Returns 1 if variablename is set and returns the variable in parentheses.'),
  def('hangup', false, 'Hangs up the specified channel. If no channel name is given, hangs up the current channel'),
  def('noop', true, 'Does nothing.'),
  def('receive char', false, 'Receives a character of text on a channel.'),
  def('receive text', false, 'Receives a string of text on a channel.'),
  def('record file', false, 'Record to a file until a given dtmf digit in the sequence is received.'),
  def('say alpha', false, 'Say a given character string, returning early if any of the given DTMF digits are received on the channel.'),
  def('say digits', false, 'Say a given digit string, returning early if any of the given DTMF digits are received on the channel.'),
  def('say number', false, 'Say a given number, returning early if any of the given DTMF digits are received on the channel.'),
  def('say phonetic', false, 'Say a given character string with phonetics.'),
  def('say date', false, 'Say a given date, returning early if any of the given DTMF digits are received on the channel.'),
  def('say time', false, 'Say a given time, returning early if any of the given DTMF digits are received on the channel.'),
  def('say datetime', false, 'Say a given time, returning early if any of the given DTMF digits are received on the channel.'),
  def('send image', false, 'Sends the given image on a channel.'),
  def('send text', false, 'Sends the given text on a channel.'),
  def('set autohangup', false, 'Cause the channel to automatically hangup at time seconds in the future.'),
  def('set callerid', false, 'Changes the callerid of the current channel.'),
  def('set context', false, 'Sets the context for continuation upon exiting the application.'),
  def('set extension', false, 'Changes the extension for continuation upon exiting the application.'),
  def('set music', false, 'Enables/Disables the music on hold generator.'),
  def('set priority', false, 'Changes the priority for continuation upon exiting the application.'),
  def('set variable', true, 'Sets a variable to the current channel.'),
  def('stream file', false, 'Send the given file, allowing playback to be interrupted by the given digits, if any.'),
  def('control stream file', false, 'Send the given file, allowing playback to be controlled by the given digits, if any.'),
  def('tdd mode', false, 'Enable/Disable TDD transmission/reception on a channel.'),
  def('verbose', true, 'Sends message to the console via verbose message system.'),
  def('wait for digit', false, 'Waits up to timeout milliseconds for channel to receive a DTMF digit.'),
  def('speech create', false, 'Create a speech object to be used by the other Speech AGI commands.'),
  def('speech set', false, 'Set an engine-specific setting.'),
  def('speech destroy', true, 'Destroy the speech object created by SPEECH CREATE.'),
  def('speech load grammar', false, 'Loads the specified grammar as the specified name.'),
  def('speech unload grammar', true, 'Unloads the specified grammar.'),
  def('speech activate grammar', false, 'Activates the specified grammar on the speech object.'),
  def('speech deactivate grammar', false, 'Deactivates the specified grammar on the speech object.'),
  def('speech recognize', false, 'Plays back given prompt while listening for speech and dtmf.'),
  def('gosub', false, 'Cause the channel to execute the specified dialplan subroutine.'),
];

/** res_agi.c find_command(argv, 0): every command word must match (case-insensitive), extra words are arguments. */
const BY_FIRST_WORD = new Map<string, CommandDef[]>();
for (const cmd of AGI_COMMANDS) {
  const first = cmd.words[0] as string;
  BY_FIRST_WORD.set(first, [...(BY_FIRST_WORD.get(first) ?? []), cmd]);
}

export function findCommand(argv: readonly string[]): CommandDef | undefined {
  const candidates = BY_FIRST_WORD.get(argv[0]?.toLowerCase() ?? '');
  if (!candidates) return undefined;
  for (const cmd of candidates) {
    if (cmd.words.length > argv.length) continue;
    let match = true;
    for (let i = 1; i < cmd.words.length && match; i++) match = cmd.words[i] === argv[i]?.toLowerCase();
    if (match) return cmd;
  }
  return undefined;
}

export const REPLY_510 = '510 Invalid or unknown command';
export const REPLY_511 = '511 Command Not Permitted on a dead channel or intercept routine';

export function usageReply(usage: string): string[] {
  return ['520-Invalid command syntax.  Proper usage follows:', ...usage.split('\n'), '520 End of proper usage.'];
}

/** Simulated call state. */
export interface ModelOptions {
  channel: string;
  uniqueId: string;
  /** ast_channel_state: 4 ringing until ANSWER, then 6. */
  state: number;
  callerIdNumber: string;
  callerIdName: string;
  context: string;
  extension: string;
  priority: number;
  /** Sound files that exist, with their length in 8 kHz samples (beep = 3520, agi-session.txt). */
  sounds: Record<string, number>;
  /** Digits the caller types, consumed in order by the commands that read DTMF. */
  dtmf: string;
  /** DIALSTATUS for EXEC Dial (agi-commands.txt: CHANUNAVAIL / NOANSWER return 0, an answered call the callee ends returns -1). */
  dialStatus: 'ANSWER' | 'NOANSWER' | 'BUSY' | 'CHANUNAVAIL' | 'CONGESTION';
  /** Stasis applications registered over ARI; EXEC Stasis of another gives STASISSTATUS=FAILED. */
  stasisApps: string[];
  /** Dialplan applications that exist (EXEC of another returns -2). */
  applications: string[];
}

export const DEFAULT_SOUNDS: Readonly<Record<string, number>> = Object.freeze({
  beep: 3520,
  'demo-congrats': 43520,
  'silence/1': 8000,
  'silence/3': 24000,
  'silence/10': 80000,
  'vm-intro': 24000,
  'tt-monkeys': 64000,
});

const DEFAULT_APPS = ['Answer', 'Dial', 'Hangup', 'MusicOnHold', 'NoOp', 'Playback', 'Queue', 'Read', 'SendDTMF', 'Set', 'Stasis', 'Voicemail', 'Wait', 'System', 'Verbose'];

export interface ModelReply {
  readonly lines: readonly string[];
  /** The command hung the channel up (HANGUP, EXEC Hangup). */
  readonly hangsUp?: boolean;
}

/** Commands that block on audio/DTMF and end with their -1 form when the caller hangs up meanwhile. */
const BLOCKING = new Set(['answer', 'wait for digit', 'stream file', 'control stream file', 'get data', 'get option', 'say alpha', 'say digits', 'say number', 'say phonetic', 'say date', 'say time', 'say datetime', 'record file', 'exec', 'receive char', 'speech recognize']);

export class AsteriskChannelModel {
  readonly options: ModelOptions;
  readonly variables = new Map<string, string>();
  readonly astdb = new Map<string, string>();
  dead = false;
  private dtmf: string[];

  constructor(options: Partial<ModelOptions> = {}) {
    this.options = {
      channel: 'Local/100@ivr-test-00000000;2',
      uniqueId: '1795294530.1',
      state: 4,
      callerIdNumber: '1001',
      callerIdName: 'AGI Probe',
      context: 'ivr-test',
      extension: '100',
      priority: 2,
      sounds: { ...DEFAULT_SOUNDS },
      dtmf: '',
      dialStatus: 'CHANUNAVAIL',
      stasisApps: [],
      applications: DEFAULT_APPS,
      ...options,
    };
    this.dtmf = [...this.options.dtmf];
  }

  /** More digits typed by the caller. */
  press(digits: string): void {
    this.dtmf.push(...digits);
  }

  /** What Asterisk answers to one command line (LF removed), on a live or dead channel. */
  execute(line: string): ModelReply {
    const argv = parseAgiArgs(line);
    const cmd = findCommand(argv);
    if (!cmd) return { lines: [REPLY_510] };
    if (this.dead && !cmd.dead) return { lines: [REPLY_511] };
    const reply = this.run(cmd.words.join(' '), argv);
    if (reply === 'usage') return { lines: usageReply(cmd.usage) };
    return reply;
  }

  /** The reply when the caller hangs up while this command runs (then the channel is dead). */
  executeDuringHangup(line: string): ModelReply {
    const argv = parseAgiArgs(line);
    const cmd = findCommand(argv);
    const name = cmd?.words.join(' ');
    if (!cmd || !name || !BLOCKING.has(name) || (this.dead && !cmd.dead)) {
      const reply = this.execute(line);
      this.dead = true;
      return reply;
    }
    this.dead = true;
    switch (name) {
      case 'stream file':
      case 'control stream file':
      case 'get option':
        return { lines: ['200 result=-1 endpos=0'] };
      case 'record file':
        return { lines: ['200 result=-1 (hangup) endpos=0'] };
      default:
        return { lines: ['200 result=-1'] };
    }
  }

  // -------------------------------------------------------------------------------------------

  private run(name: string, argv: string[]): ModelReply | 'usage' {
    const argc = argv.length;
    const ok = (line: string): ModelReply => ({ lines: [line] });
    switch (name) {
      case 'answer':
        this.options.state = 6;
        return ok('200 result=0');
      case 'noop':
        return ok('200 result=0');
      case 'verbose':
        return argc < 2 ? 'usage' : ok('200 result=1');
      case 'channel status':
        if (argc === 2) return ok(`200 result=${this.options.state}`);
        if (argc === 3) return ok(argv[2] === this.options.channel ? `200 result=${this.options.state}` : '200 result=-1');
        return 'usage';
      case 'hangup':
        if (argc === 1 || (argc === 2 && argv[1] === this.options.channel)) {
          this.dead = true;
          return { lines: ['200 result=1'], hangsUp: true };
        }
        return argc === 2 ? ok('200 result=-1') : 'usage';
      case 'set variable':
        if (argc !== 4) return 'usage';
        this.variables.set(argv[2] as string, argv[3] as string);
        return ok('200 result=1');
      case 'get variable': {
        if (argc !== 3) return 'usage';
        const value = this.lookup(argv[2] as string);
        // GET VARIABLE copies into a 1024-byte buffer (agi-commands.txt: 2976 chars set, 1023 returned).
        return ok(value === undefined ? '200 result=0' : `200 result=1 (${value.slice(0, 1023)})`);
      }
      case 'get full variable':
        if (argc !== 4 && argc !== 5) return 'usage';
        if (argc === 5 && argv[4] !== this.options.channel) return ok('200 result=0');
        return ok(`200 result=1 (${this.substitute(argv[3] as string)})`);
      case 'database put':
        if (argc !== 5) return 'usage';
        this.astdb.set(`${argv[2]}/${argv[3]}`, argv[4] as string);
        return ok('200 result=1');
      case 'database get': {
        if (argc !== 4) return 'usage';
        const value = this.astdb.get(`${argv[2]}/${argv[3]}`);
        return ok(value === undefined ? '200 result=0' : `200 result=1 (${value})`);
      }
      case 'database del':
        if (argc !== 4) return 'usage';
        this.astdb.delete(`${argv[2]}/${argv[3]}`);
        // agi-commands.txt: deleting a key that no longer exists still answers 1 on 22.x.
        return ok('200 result=1');
      case 'database deltree':
        if (argc < 3 || argc > 4) return 'usage';
        for (const key of [...this.astdb.keys()]) if (key.startsWith(`${argv[2]}/${argc === 4 ? argv[3] : ''}`)) this.astdb.delete(key);
        return ok('200 result=1');
      case 'set context':
      case 'set extension':
        if (argc !== 3) return 'usage';
        if (name === 'set context') this.options.context = argv[2] as string;
        else this.options.extension = argv[2] as string;
        return ok('200 result=0');
      case 'set priority': {
        if (argc !== 3) return 'usage';
        const priority = Number.parseInt(argv[2] as string, 10);
        if (!(priority >= 1)) return 'usage';
        this.options.priority = priority;
        return ok('200 result=0');
      }
      case 'set music':
        return argc < 3 ? 'usage' : ok('200 result=0');
      case 'set autohangup':
        return argc !== 3 || Number.isNaN(Number(argv[2])) ? 'usage' : ok('200 result=0');
      case 'set callerid':
        if (argc >= 3) this.setCallerId(argv[2] as string);
        return ok('200 result=1');
      case 'wait for digit': {
        if (argc !== 4 || !isInt(argv[3])) return 'usage';
        const digit = this.dtmf.shift();
        return ok(`200 result=${digit === undefined ? 0 : digit.charCodeAt(0)}`);
      }
      case 'stream file': {
        if (argc < 4 || argc > 5 || (argc === 5 && !isInt(argv[4]))) return 'usage';
        const length = this.options.sounds[argv[2] as string];
        const offset = argc === 5 ? Number.parseInt(argv[4] as string, 10) : 0;
        if (length === undefined) return ok(`200 result=-1 endpos=${offset}`);
        const digit = this.takeEscape(argv[3] as string);
        return ok(digit === undefined ? `200 result=0 endpos=${length}` : `200 result=${digit.charCodeAt(0)} endpos=${Math.min(length, offset + Math.floor(length / 2))}`);
      }
      case 'control stream file': {
        if (argc < 5 || argc > 10 || (argc > 5 && !isInt(argv[5]))) return 'usage';
        const length = this.options.sounds[argv[3] as string];
        if (length === undefined) {
          this.variables.set('CPLAYBACKSTATUS', 'ERROR');
          return ok('200 result=-1 endpos=0');
        }
        const digit = this.takeEscape(argv[4] as string);
        const stoppedAt = Math.floor(length / 2);
        this.variables.set('CPLAYBACKSTATUS', digit === undefined ? 'SUCCESS' : 'USERSTOPPED');
        this.variables.set('CPLAYBACKOFFSET', String(Math.round(((digit === undefined ? length : stoppedAt) * 1000) / 8000)));
        if (digit !== undefined) this.variables.set('CPLAYBACKSTOPKEY', digit);
        return ok(digit === undefined ? `200 result=0 endpos=${length}` : `200 result=${digit.charCodeAt(0)} endpos=${stoppedAt}`);
      }
      case 'get data': {
        if (argc < 3) return 'usage';
        const max = argc >= 5 ? Number.parseInt(argv[4] as string, 10) || 1024 : 1024;
        let digits = '';
        for (;;) {
          const d = this.dtmf.shift();
          if (d === undefined) return ok(`200 result=${digits} (timeout)`);
          if (d === '#') return ok(`200 result=${digits}`);
          digits += d;
          if (digits.length >= max) return ok(`200 result=${digits}`);
        }
      }
      case 'say digits':
      case 'say number':
      case 'say date':
      case 'say time':
        if (argc < 4 || argc > (name === 'say number' ? 5 : 4) || !isInt(argv[2])) return 'usage';
        return this.say(argv[3] as string);
      case 'say alpha':
      case 'say phonetic':
        return argc !== 4 ? 'usage' : this.say(argv[3] as string);
      case 'say datetime':
        return argc < 4 || !isInt(argv[2]) ? 'usage' : this.say(argv[3] as string);
      case 'record file': {
        if (argc < 6 || !isInt(argv[5])) return 'usage';
        const digit = this.takeEscape(argv[4] as string);
        if (digit !== undefined) return ok(`200 result=${digit.charCodeAt(0)} (dtmf) endpos=0`);
        const silence = argv.slice(6).some((a) => a.startsWith('s='));
        // agi-commands.txt: ended by silence -> "(timeout)" with the ms left; by the time limit -> 0.
        return ok(silence ? '200 result=1001 (timeout) endpos=8160' : '200 result=0 (timeout) endpos=0');
      }
      case 'exec':
        return argc < 2 ? 'usage' : this.exec(argv[1] as string, argv[2] ?? '');
      default:
        return ok('200 result=0');
    }
  }

  private say(escape: string): ModelReply {
    const digit = this.takeEscape(escape);
    return { lines: [`200 result=${digit === undefined ? 0 : digit.charCodeAt(0)}`] };
  }

  /** Takes the next typed digit if it is one of the escape digits (a simplification: other digits stay queued). */
  private takeEscape(escape: string): string | undefined {
    const next = this.dtmf[0];
    if (next !== undefined && escape.includes(next)) return this.dtmf.shift();
    return undefined;
  }

  private exec(app: string, data: string): ModelReply {
    const known = this.options.applications.find((a) => a.toLowerCase() === app.toLowerCase());
    if (!known) return { lines: ['200 result=-2'] };
    switch (known) {
      case 'Set': {
        const eq = data.indexOf('=');
        if (eq > 0) this.variables.set(data.slice(0, eq), data.slice(eq + 1));
        return { lines: ['200 result=0'] };
      }
      case 'Playback': {
        const files = data.split(',')[0]?.split('&') ?? [];
        const found = files.length > 0 && files.every((f) => f in this.options.sounds);
        this.variables.set('PLAYBACKSTATUS', found ? 'SUCCESS' : 'FAILED');
        return { lines: ['200 result=0'] };
      }
      case 'Dial': {
        const status = this.options.dialStatus;
        this.variables.set('DIALSTATUS', status);
        return { lines: [status === 'ANSWER' ? '200 result=-1' : '200 result=0'] };
      }
      case 'Stasis': {
        const appName = data.split(',')[0] ?? '';
        this.variables.set('STASISSTATUS', this.options.stasisApps.includes(appName) ? 'SUCCESS' : 'FAILED');
        return { lines: ['200 result=0'] };
      }
      case 'Hangup':
        this.dead = true;
        return { lines: ['200 result=-1'], hangsUp: true };
      case 'Answer':
        this.options.state = 6;
        return { lines: ['200 result=0'] };
      default:
        return { lines: ['200 result=0'] };
    }
  }

  private setCallerId(value: string): void {
    // ast_callerid_parse: "Name" <number>, or a bare number (empty name), or a bare name.
    const lt = value.indexOf('<');
    const gt = value.indexOf('>', lt);
    if (lt !== -1 && gt !== -1) {
      this.options.callerIdNumber = value.slice(lt + 1, gt).trim();
      this.options.callerIdName = value.slice(0, lt).trim().replace(/^"(.*)"$/, '$1');
    } else if (/^[0-9+*#()\- ]+$/.test(value)) {
      this.options.callerIdNumber = value.replace(/[^0-9+*#]/g, '');
      this.options.callerIdName = '';
    } else {
      this.options.callerIdName = value;
      this.options.callerIdNumber = '';
    }
  }

  private lookup(name: string): string | undefined {
    if (name.endsWith(')')) return this.func(name);
    const builtin: Record<string, string> = {
      CHANNEL: this.options.channel,
      UNIQUEID: this.options.uniqueId,
      CONTEXT: this.options.context,
      EXTEN: this.options.extension,
      PRIORITY: String(this.options.priority),
    };
    return this.variables.get(name) ?? builtin[name];
  }

  private func(expr: string): string | undefined {
    const open = expr.indexOf('(');
    const fn = expr.slice(0, open).toUpperCase();
    const arg = expr.slice(open + 1, -1);
    switch (fn) {
      case 'CALLERID':
        if (arg === 'num') return this.options.callerIdNumber;
        if (arg === 'name') return this.options.callerIdName;
        if (arg === 'all') return `"${this.options.callerIdName}" <${this.options.callerIdNumber}>`;
        return '';
      case 'LEN':
        return String(arg.length);
      default:
        return undefined;
    }
  }

  /** ${…} substitution with nesting, as GET FULL VARIABLE does. */
  substitute(text: string): string {
    let out = '';
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '$' && text[i + 1] === '{') {
        let depth = 1;
        let j = i + 2;
        for (; j < text.length && depth > 0; j++) {
          if (text[j] === '{') depth += 1;
          else if (text[j] === '}') depth -= 1;
        }
        const inner = this.substitute(text.slice(i + 2, j - 1));
        out += this.lookup(inner) ?? '';
        i = j - 1;
      } else {
        out += text[i];
      }
    }
    return out;
  }
}

function isInt(value: string | undefined): boolean {
  return value !== undefined && /^\s*-?[0-9]+/.test(value);
}
