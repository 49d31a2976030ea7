// The media end of a lab party that must tell what it HEARS, which SIPp cannot: a UDP socket that
// the party's SDP names as its RTP address, that sends G.711 a-law (a tone, or silence) to Asterisk
// every 20 ms, and that sorts each packet Asterisk sends it into loud or quiet. SIPp keeps the
// signalling (lab-calls.ts writes the socket's port into its SDP instead of SIPp's own media port).
//
// Loudness without decoding: an a-law byte XOR 0x55 carries the magnitude's segment in bits 4-6;
// segment 4 and above is |sample| >= 512 of 4096 (about -18 dBFS and louder). Silence (0xD5/0x55)
// and the quiet noise of a mix stay far below; a tone at -6 dBFS has most of its samples there.
import dgram from 'node:dgram';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** 20 ms of 8 kHz a-law. */
const FRAME = 160;
const A_LAW_SILENCE = 0xd5;

export function isLoud(payload: Buffer): boolean {
  let loud = 0;
  for (const b of payload) if (((b ^ 0x55) >> 4) & 0x4) loud++;
  return loud >= payload.length / 4;
}

/** A 1 kHz tone at -6 dBFS as raw a-law, `seconds` long, made by sox. */
async function tone(seconds: number): Promise<Buffer> {
  const { stdout } = await run('sox', ['-n', '-r', '8000', '-c', '1', '-e', 'a-law', '-t', 'raw', '-', 'synth', String(seconds), 'sine', '1000', 'vol', '0.5'], {
    encoding: 'buffer',
    maxBuffer: 8000 * seconds + 1024,
  });
  return stdout;
}

export class RtpParty {
  #socket: dgram.Socket;
  #audio: Buffer;
  #timer: NodeJS.Timeout | undefined;
  #seq = Math.floor(Math.random() * 1000);
  #timestamp = Math.floor(Math.random() * 100_000);
  #ssrc = Math.floor(Math.random() * 0xffffffff);
  #offset = 0;
  /** Packets received since the last mark(): all, and loud ones. */
  received = 0;
  loud = 0;

  private constructor(socket: dgram.Socket, audio: Buffer) {
    this.#socket = socket;
    this.#audio = audio;
    socket.on('message', (message) => {
      // RTP: 12-byte header (no CSRC, no extension from Asterisk), then the payload; payload type 8 only.
      if (message.length <= 12 || (message[1]! & 0x7f) !== 8) return;
      this.received++;
      if (isLoud(message.subarray(12))) this.loud++;
    });
  }

  /** Opens the socket on loopback; `sound` is what the party says once it knows where to send. */
  static async open(sound: 'tone' | 'silence'): Promise<RtpParty> {
    const socket = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    return new RtpParty(socket, sound === 'tone' ? await tone(10) : Buffer.alloc(FRAME * 50, A_LAW_SILENCE));
  }

  /** From now on says `sound` instead (a caller who starts speaking, say). */
  async say(sound: 'tone' | 'silence'): Promise<void> {
    this.#audio = sound === 'tone' ? await tone(10) : Buffer.alloc(FRAME * 50, A_LAW_SILENCE);
    this.#offset = 0;
  }

  get port(): number {
    return this.#socket.address().port;
  }

  /** Starts sending to Asterisk's RTP port for this call (from its SDP). */
  talkTo(port: number): void {
    clearInterval(this.#timer);
    this.#timer = setInterval(() => {
      if (this.#offset + FRAME > this.#audio.length) this.#offset = 0;
      const header = Buffer.alloc(12);
      header[0] = 0x80;
      header[1] = 8;
      header.writeUInt16BE(this.#seq++ & 0xffff, 2);
      header.writeUInt32BE(this.#timestamp >>> 0, 4);
      header.writeUInt32BE(this.#ssrc >>> 0, 8);
      this.#timestamp += FRAME;
      this.#socket.send(Buffer.concat([header, this.#audio.subarray(this.#offset, this.#offset + FRAME)]), port, '127.0.0.1');
      this.#offset += FRAME;
    }, 20);
  }

  /** Starts counting afresh. */
  mark(): void {
    this.received = 0;
    this.loud = 0;
  }

  close(): void {
    clearInterval(this.#timer);
    this.#socket.close();
  }
}
