// Real audio files for the sound library's tests, made by sox and ffmpeg (Debian packages `sox` and
// `ffmpeg`) in a temporary folder: nothing binary is committed.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ToneFactory {
  dir: string;
  /** A sine tone as WAV by sox (any rate, channels, bits). */
  wav(name: string, opts?: { seconds?: number; rate?: number; channels?: number; bits?: number }): Promise<Buffer>;
  /** A sine tone as MP3 by ffmpeg (libmp3lame); `id3: false` leaves the bare MPEG frames. */
  mp3(name: string, opts?: { seconds?: number; id3?: boolean }): Promise<Buffer>;
  /** An 8 kHz mono WAV as plain ffmpeg writes it: with a LIST/INFO chunk before the samples. */
  taggedWav(name: string): Promise<Buffer>;
  cleanup(): Promise<void>;
}

export async function toneFactory(): Promise<ToneFactory> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-tones-'));
  const file = (name: string) => path.join(dir, name);
  return {
    dir,
    async wav(name, opts = {}) {
      const out = file(name);
      await run('sox', ['-n', '-r', String(opts.rate ?? 44100), '-c', String(opts.channels ?? 2), '-b', String(opts.bits ?? 16), out, 'synth', String(opts.seconds ?? 1), 'sine', '440']);
      return fs.readFile(out);
    },
    async mp3(name, opts = {}) {
      const out = file(name);
      const tag = opts.id3 === false ? ['-id3v2_version', '0', '-write_xing', '0'] : [];
      await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `sine=frequency=440:duration=${opts.seconds ?? 1}`, '-c:a', 'libmp3lame', ...tag, out]);
      return fs.readFile(out);
    },
    async taggedWav(name) {
      const out = file(name);
      await run('ffmpeg', ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-ac', '1', '-ar', '8000', '-c:a', 'pcm_s16le', out]);
      return fs.readFile(out);
    },
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}
