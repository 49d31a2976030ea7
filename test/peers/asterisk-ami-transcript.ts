/**
 * Reads the AMI transcripts of test/fixtures/asterisk (README conventions: `A>` Asterisk,
 * `S>` client, a bare `A>`/`S>` line is the blank line ending a message, `--` lines are notes).
 * Gives the test peer and the tests the exact recorded messages.
 */
import { readFileSync } from 'node:fs';
import { asteriskFixture } from '../support/fixtures.ts';

export type TranscriptEntry =
  | { readonly dir: 'A'; readonly kind: 'banner'; readonly line: string }
  | { readonly dir: 'A' | 'S'; readonly kind: 'message'; readonly lines: readonly string[] }
  | { readonly kind: 'note'; readonly text: string };

export function parseAmiTranscript(text: string): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  let current: { dir: 'A' | 'S'; lines: string[] } | undefined;
  for (const raw of text.split('\n')) {
    if (raw.startsWith('--')) {
      entries.push({ kind: 'note', text: raw.slice(2).trim() });
      continue;
    }
    const m = /^([AS])>(?: (.*))?$/.exec(raw);
    if (!m) continue;
    const dir = m[1] as 'A' | 'S';
    const body = m[2];
    if (body === undefined) {
      if (current) entries.push({ dir: current.dir, kind: 'message', lines: current.lines });
      current = undefined;
      continue;
    }
    if (!current && dir === 'A' && body.startsWith('Asterisk Call Manager/')) {
      entries.push({ dir: 'A', kind: 'banner', line: body });
      continue;
    }
    if (!current) current = { dir, lines: [] };
    current.lines.push(body);
  }
  return entries;
}

export function loadAmiTranscript(name: string): TranscriptEntry[] {
  return parseAmiTranscript(readFileSync(asteriskFixture(name), 'utf8'));
}

/** The bytes of a recorded message on the wire: CRLF after each line and a blank CRLF line. */
export function toWire(lines: readonly string[]): string {
  return lines.map((l) => `${l}\r\n`).join('') + '\r\n';
}

export function lineValue(lines: readonly string[], name: string): string | undefined {
  const prefix = `${name.toLowerCase()}:`;
  const line = lines.find((l) => l.toLowerCase().startsWith(prefix));
  return line === undefined ? undefined : line.slice(prefix.length).replace(/^ /, '');
}

/** Replaces `ActionID: from` lines by `ActionID: to` (the only part of a recorded reply that must change). */
export function withActionId(lines: readonly string[], from: string | undefined, to: string): string[] {
  if (from === undefined) return [...lines];
  return lines.map((l) => (l === `ActionID: ${from}` ? `ActionID: ${to}` : l));
}

export interface RecordedExchange {
  readonly file: string;
  /** The client's action, as recorded. */
  readonly action: readonly string[];
  /** Everything Asterisk sent after it until the client's next message. */
  readonly replies: ReadonlyArray<readonly string[]>;
  /** True if Asterisk closed the connection right after (a note says so). */
  readonly closedAfter: boolean;
}

/** Pairs every recorded client action with the messages Asterisk sent back before the next one. */
export function recordedExchanges(file: string): RecordedExchange[] {
  const exchanges: RecordedExchange[] = [];
  let current: { action: readonly string[]; replies: Array<readonly string[]>; closedAfter: boolean } | undefined;
  const flush = (): void => {
    if (current) exchanges.push({ file, ...current });
    current = undefined;
  };
  for (const entry of loadAmiTranscript(file)) {
    if (entry.kind === 'banner') {
      flush();
    } else if (entry.kind === 'note') {
      if (current && /connection closed/i.test(entry.text)) current.closedAfter = true;
    } else if (entry.dir === 'S') {
      flush();
      current = { action: entry.lines, replies: [], closedAfter: false };
    } else if (current) {
      current.replies.push(entry.lines);
    }
  }
  flush();
  return exchanges;
}

/**
 * Unsolicited events of a transcript in order: every `Event:` message that is not an item of a
 * list action (those arrive between a `EventList: start` response and its `EventList: Complete`).
 */
export function unsolicitedEvents(file: string): Array<readonly string[]> {
  const events: Array<readonly string[]> = [];
  const openLists = new Set<string>();
  for (const entry of loadAmiTranscript(file)) {
    if (entry.kind !== 'message' || entry.dir !== 'A') continue;
    const id = lineValue(entry.lines, 'ActionID');
    const isEvent = lineValue(entry.lines, 'Event') !== undefined;
    if (!isEvent) {
      if (id !== undefined && lineValue(entry.lines, 'EventList') === 'start') openLists.add(id);
      continue;
    }
    if (id !== undefined && openLists.has(id)) {
      if (lineValue(entry.lines, 'EventList') === 'Complete') openLists.delete(id);
      continue;
    }
    events.push(entry.lines);
  }
  return events;
}

/** Signature used to match a live action to a recorded one: action + headers (ActionID ignored), order-free. */
export function actionSignature(headers: ReadonlyArray<readonly [string, string]>): string {
  return headers
    .filter(([name]) => name.toLowerCase() !== 'actionid')
    .map(([name, value]) => `${name.toLowerCase()}: ${value}`)
    .sort()
    .join('\n');
}

export function linesToHeaders(lines: readonly string[]): Array<[string, string]> {
  return lines.map((l) => {
    const colon = l.indexOf(':');
    return [l.slice(0, colon), l.slice(colon + 1).replace(/^ /, '')] as [string, string];
  });
}
