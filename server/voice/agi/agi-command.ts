// Encodes AGI command lines exactly the way Asterisk's parser (res_agi.c parse_args) reads them:
//   - arguments are separated by spaces; a double-quoted argument may contain spaces;
//   - inside or outside quotes, \" is a literal quote and \\ a literal backslash;
//   - a backslash before any other character just drops the backslash ("\n" becomes "n",
//     agi-commands.txt: SET VARIABLE BS "a\\b\nc" -> a\bnc), so there is NO way to send a newline;
//   - single quotes do not quote (SET VARIABLE SQ 'single quoted' -> 520).
//
// Why a real CR/LF/NUL in an argument is REJECTED (AgiEncodeError) rather than stripped:
// agi-commands.txt shows that a newline cuts the command in two. Asterisk runs the first half
// (SET VARIABLE NL "first -> value "first") and treats the rest as a new command whose 510 reply
// only arrives after the next command is written, so every later reply would be paired with the
// wrong command. Escaping cannot help (\n reads as "n"), and silently stripping would change data
// the caller meant (a value from an HTTP block, a caller name). Refusing names the argument and
// lets the caller decide (e.g. replace newlines with spaces on purpose). A NUL would end the C
// string early and silently truncate the command, so it is refused for the same reason.
//
// Why 2,047 bytes: older Asterisk releases read a command with fgets() into a 2,048-byte buffer
// (res_agi.c AGI_BUF_LEN 2048), i.e. at most 2,047 bytes including the LF; the rest of a longer line
// becomes a separate, garbage command. 22.x reads more (agi-commands.txt: a 2,996-byte line works and
// a 9,002-byte line is cut at 8,191 bytes), but the 2,048-byte limit is enforced so that the same
// Tandem is safe with older Asterisks too (which release raised the buffer is not pinned here).
//
// Why at most 127 words: parse_args keeps MAX_ARGS-1 = 127 words and silently drops the rest
// ("Too many arguments, truncating").
import { AgiEncodeError } from './agi-errors.ts';

/** Longest line (including the LF) that every supported Asterisk reads as one command. */
export const MAX_COMMAND_LINE_BYTES = 2047;
/** parse_args keeps at most MAX_ARGS - 1 words (command words included). */
export const MAX_COMMAND_WORDS = 127;

/**
 * How one argument is written:
 *  - 'word'   identifiers and numbers (file, variable name, context…): bare unless it needs quotes;
 *  - 'text'   free text (values, messages, application data): bare only when made of plain
 *             characters that no Asterisk treats specially, quoted otherwise;
 *  - 'quoted' always quoted (escape-digit sets, where "" must be sent for "none").
 * Every kind is read back by Asterisk as exactly ONE argument with the same value.
 */
export type AgiArgKind = 'word' | 'text' | 'quoted';

export interface AgiArg {
  readonly kind: AgiArgKind;
  readonly value: string;
  /** Name used in error messages ("value", "file"…). */
  readonly name: string;
}

export const word = (name: string, value: string | number): AgiArg => ({ kind: 'word', name, value: String(value) });
export const text = (name: string, value: string): AgiArg => ({ kind: 'text', name, value });
export const quoted = (name: string, value: string): AgiArg => ({ kind: 'quoted', name, value });

/** A 'text' argument is written bare only when it is made of these. */
const PLAIN_TEXT = /^[A-Za-z0-9_.,:@/+-]+$/;

/** A 'word' needs quotes for the parser's separators (space, tab), quote, backslash and controls. */
function wordNeedsQuotes(value: string): boolean {
  if (value === '') return true;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c <= 0x20 || c === 0x22 || c === 0x5c || c === 0x7f) return true;
  }
  return false;
}

/** Position of the first CR, LF or NUL, or -1. */
function forbiddenAt(value: string): number {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x0a || c === 0x0d || c === 0x00) return i;
  }
  return -1;
}
const VERB = /^[A-Z]+(?: [A-Z]+)*$/;

/** Verbs already checked, with their word count: the catalogue's few verbs are checked once. */
const checkedVerbs = new Map<string, number>();
const MAX_CHECKED_VERBS = 256;

/** Word count of a command name; throws AgiEncodeError when it is not one. */
function verbWords(verb: string): number {
  const known = checkedVerbs.get(verb);
  if (known !== undefined) return known;
  if (!VERB.test(verb)) throw new AgiEncodeError(`"${verb}" is not an AGI command name (upper-case words separated by single spaces)`);
  let words = 1;
  for (let i = verb.indexOf(' '); i !== -1; i = verb.indexOf(' ', i + 1)) words += 1;
  // Bounded: raw() takes verbs from callers.
  if (checkedVerbs.size < MAX_CHECKED_VERBS) checkedVerbs.set(verb, words);
  return words;
}

/** Double-quotes a value, escaping backslash and quote as parse_args expects. */
export function quote(value: string): string {
  // Most values have nothing to escape: skip the regex replace for them.
  if (value.indexOf('"') === -1 && value.indexOf('\\') === -1) return `"${value}"`;
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/** Encodes one argument; throws AgiEncodeError if it contains CR, LF or NUL. */
export function encodeArgument(arg: AgiArg): string {
  const at = forbiddenAt(arg.value);
  if (at !== -1) {
    const c = arg.value.charCodeAt(at);
    const what = c === 0x0a ? 'a line feed' : c === 0x0d ? 'a carriage return' : 'a NUL byte';
    throw new AgiEncodeError(
      `argument "${arg.name}" contains ${what} at position ${at}; AGI cannot carry line breaks (Asterisk would split the command in two)`,
    );
  }
  switch (arg.kind) {
    case 'word':
      return wordNeedsQuotes(arg.value) ? quote(arg.value) : arg.value;
    case 'text':
      return PLAIN_TEXT.test(arg.value) ? arg.value : quote(arg.value);
    case 'quoted':
      return quote(arg.value);
  }
}

/**
 * Builds the full line (with its LF) for a command verb such as 'STREAM FILE' and its arguments.
 * Throws AgiEncodeError when an argument is invalid, the line is too long or has too many words.
 */
export function encodeCommand(verb: string, args: readonly AgiArg[] = []): string {
  const words = verbWords(verb) + args.length;
  if (words > MAX_COMMAND_WORDS) {
    throw new AgiEncodeError(`command ${verb} has ${words} words; Asterisk keeps at most ${MAX_COMMAND_WORDS} and drops the rest`);
  }
  let line = verb;
  for (const arg of args) line += ` ${encodeArgument(arg)}`;
  line += '\n';
  // A UTF-16 code unit is at most 3 UTF-8 bytes: short lines need no byte count.
  const bytes = line.length * 3 <= MAX_COMMAND_LINE_BYTES ? 0 : Buffer.byteLength(line, 'utf8');
  if (bytes > MAX_COMMAND_LINE_BYTES) {
    throw new AgiEncodeError(
      `command ${verb} is ${bytes} bytes with its line end; Asterisk reads at most ${MAX_COMMAND_LINE_BYTES} (2,048-byte buffer) and would run the rest as a separate command`,
      'AGI_LINE_TOO_LONG',
    );
  }
  return line;
}
