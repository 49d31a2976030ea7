// Replay of a fixture transcript (test/fixtures/asterisk/agi-*.txt): the peer sends the
// recorded environment, answers the N-th command with the recorded A> lines of the N-th exchange,
// and records what our server sent so a test can demand byte-identical S> lines.
//
// Transcript conventions (fixtures README): "A>" = Asterisk, "S>" = the FastAGI server, "--" =
// probe notes (not on the wire); a note containing "server closes" marks that the server closed
// its side, and the A> lines after it are what Asterisk wrote in response (HANGUP).
import { AsteriskAgiPeer, type PeerAction } from './asterisk-agi.ts';

export interface TranscriptExchange {
  readonly command: string;
  readonly reply: readonly string[];
}

export interface AgiTranscript {
  /** Environment lines, the final '' included. */
  readonly environment: readonly string[];
  readonly exchanges: readonly TranscriptExchange[];
  /** A> lines written after the server closed its side. */
  readonly afterServerClose: readonly string[];
  /** Asterisk closed the socket itself after the last reply (AGIEXITONHANGUP). */
  readonly asteriskCloses: boolean;
}

export function parseTranscript(text: string): AgiTranscript {
  const environment: string[] = [];
  const exchanges: { command: string; reply: string[] }[] = [];
  const afterServerClose: string[] = [];
  let serverClosed = false;
  let socketClosed = false;
  for (const line of text.split('\n')) {
    // "-- ===== ARI side …" starts another protocol's section (agi-to-stasis.txt): the AGI part ends.
    if (line.startsWith('-- =====')) break;
    if (line.startsWith('--')) {
      if (line.includes('server closes')) serverClosed = true;
      if (line.includes('(socket closed)')) socketClosed = true;
      continue;
    }
    const side = line.slice(0, 2);
    if (side !== 'A>' && side !== 'S>') continue;
    const content = line.length <= 3 ? '' : line.slice(3);
    if (side === 'S>') {
      exchanges.push({ command: content, reply: [] });
    } else if (serverClosed) {
      afterServerClose.push(content);
    } else {
      const current = exchanges[exchanges.length - 1];
      if (current) current.reply.push(content);
      else environment.push(content);
    }
  }
  return { environment, exchanges, afterServerClose, asteriskCloses: socketClosed && !serverClosed };
}

/** The same transcript without the exchanges `drop` selects (lines our encoder cannot produce, by design). */
export function withoutExchanges(transcript: AgiTranscript, drop: (exchange: TranscriptExchange, index: number) => boolean): AgiTranscript {
  return { ...transcript, exchanges: transcript.exchanges.filter((ex, i) => !drop(ex, i)) };
}

export interface Replay {
  readonly peer: AsteriskAgiPeer;
  /** Differences between what the server sent and the transcript's S> lines. */
  readonly mismatches: string[];
}

/** Connects a replaying peer to the server at `port`. */
export async function replayTranscript(transcript: AgiTranscript, port: number): Promise<Replay> {
  const mismatches: string[] = [];
  const respond = (cmd: { index: number; line: string }): PeerAction => {
    const expected = transcript.exchanges[cmd.index - 1];
    if (!expected) {
      mismatches.push(`command #${cmd.index} is not in the transcript: ${JSON.stringify(cmd.line)}`);
      return { reply: ['510 Invalid or unknown command'] };
    }
    if (expected.command !== cmd.line) mismatches.push(`command #${cmd.index}: expected ${JSON.stringify(expected.command)}, got ${JSON.stringify(cmd.line)}`);
    return { reply: expected.reply, thenClose: transcript.asteriskCloses && cmd.index === transcript.exchanges.length };
  };
  const peer = await AsteriskAgiPeer.connect({
    port,
    environment: `${transcript.environment.join('\n')}\n`,
    respond,
    afterServerClose: transcript.afterServerClose,
  });
  return { peer, mismatches };
}
