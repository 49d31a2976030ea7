// Upload checks and the Asterisk WAV check, on real files made by sox/ffmpeg.
import { expect } from 'chai';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { AudioRejectedError, checkAsteriskWav, checkProbe, checkUpload, detectAudioFormat, parseProbe } from '../../server/sounds/audio-format.ts';
import { lastLine, probeArgs, runTool, sln16Args, ToolError, wavArgs } from '../../server/sounds/ffmpeg.ts';
import { toneFactory, type ToneFactory } from './tones.ts';

const run = promisify(execFile);

function rejection(fn: () => unknown): AudioRejectedError {
  try {
    fn();
  } catch (err) {
    if (err instanceof AudioRejectedError) return err;
    throw err;
  }
  throw new Error('expected an AudioRejectedError');
}

describe('sounds: upload checks', function () {
  let tones: ToneFactory;
  before(async () => {
    tones = await toneFactory();
  });
  after(async () => tones?.cleanup());

  it('recognises WAV and MP3 (with and without an ID3 tag) by their first bytes', async () => {
    expect(detectAudioFormat(await tones.wav('a.wav'))).to.equal('wav');
    expect(detectAudioFormat(await tones.mp3('a.mp3'))).to.equal('mp3');
    const bare = await tones.mp3('bare.mp3', { id3: false });
    expect(bare[0]).to.equal(0xff); // really a frame header, not a tag
    expect(detectAudioFormat(bare)).to.equal('mp3');
  });

  it('refuses what is not WAV or MP3, whatever it is called', () => {
    expect(detectAudioFormat(Buffer.from('hello, this is text'))).to.equal(undefined);
    expect(detectAudioFormat(Buffer.from('OggS\0\x02\0\0\0\0\0\0', 'latin1'))).to.equal(undefined);
    expect(detectAudioFormat(Buffer.from('RIFF\0\0\0\0AVI LIST', 'latin1'))).to.equal(undefined); // a RIFF that is not WAVE
    expect(detectAudioFormat(Buffer.from([0xff, 0xfb, 0xf0, 0x00]))).to.equal(undefined); // bitrate index 1111 is invalid
    expect(detectAudioFormat(Buffer.from([0xff, 0xfd, 0x90, 0x00]))).to.equal(undefined); // layer II, not MP3
    expect(detectAudioFormat(Buffer.from([]))).to.equal(undefined);
    for (let i = 0; i < 200; i++) {
      const junk = randomBytes(16);
      const format = detectAudioFormat(junk);
      // Random bytes are almost never audio; when they pass, they really carry a valid header.
      if (format === 'wav') expect(junk.subarray(0, 4).toString('latin1')).to.equal('RIFF');
      if (format === 'mp3') expect(junk[0] === 0xff || junk.subarray(0, 3).toString('latin1') === 'ID3').to.equal(true);
    }
  });

  it('checks size before anything else, with messages that say what is wrong', async () => {
    const wav = await tones.wav('b.wav');
    expect(checkUpload(wav, { maxUploadBytes: wav.length })).to.equal('wav');
    const big = rejection(() => checkUpload(wav, { maxUploadBytes: wav.length - 1 }));
    expect(big.reason).to.equal('too-large');
    expect(big.message).to.contain(`${wav.length} bytes`).and.contain(`limit is ${wav.length - 1}`);
    expect(rejection(() => checkUpload(new Uint8Array(), { maxUploadBytes: 10 })).reason).to.equal('empty');
    const text = rejection(() => checkUpload(Buffer.from('not audio at all'), { maxUploadBytes: 1000 }));
    expect(text.reason).to.equal('not-audio');
    expect(text.message).to.match(/neither a WAV .* nor an MP3/);
  });

  it('reads the duration from ffprobe and refuses sounds that are too long', async () => {
    await tones.wav('three.wav', { seconds: 3 });
    const { stdout } = await runTool('ffprobe', probeArgs(path.join(tones.dir, 'three.wav')), { timeoutMs: 20_000 });
    const probe = parseProbe(stdout);
    expect(probe.hasAudio).to.equal(true);
    expect(probe.durationSeconds).to.be.closeTo(3, 0.05);
    expect(() => checkProbe(probe, { maxDurationSeconds: 3 })).not.to.throw();
    const long = rejection(() => checkProbe(probe, { maxDurationSeconds: 2 }));
    expect(long.reason).to.equal('too-long');
    expect(long.message).to.contain('3.0 s').and.contain('limit is 2 s');
    expect(rejection(() => parseProbe('not json')).reason).to.equal('undecodable');
    expect(rejection(() => checkProbe(parseProbe('{"streams":[{"codec_type":"video"}],"format":{"duration":"1.0"}}'), { maxDurationSeconds: 10 })).message).to.contain('no audio stream');
  });
});

describe('sounds: conversion for Asterisk', function () {
  let tones: ToneFactory;
  before(async () => {
    tones = await toneFactory();
  });
  after(async () => tones?.cleanup());

  it('builds ffmpeg arguments as a list (no shell), 8 kHz mono 16-bit without metadata chunks', () => {
    const args = wavArgs('/data/in.mp3', '/data/out.wav', 600);
    expect(args.slice(args.indexOf('-i'), args.indexOf('-i') + 2)).to.deep.equal(['-i', '/data/in.mp3']);
    expect(args).to.include.members(['-nostdin', '-ac', '1', '-ar', '8000', '-c:a', 'pcm_s16le', '-map_metadata', '-1', '+bitexact']);
    expect(args.slice(args.indexOf('-t'), args.indexOf('-t') + 2)).to.deep.equal(['-t', '600']);
    expect(args.at(-1)).to.equal('/data/out.wav');
    expect(args.slice(-3, -1)).to.deep.equal(['-f', 'wav']);
    const sln = sln16Args('/data/in.wav', '/data/out.sln16', 5);
    expect(sln).to.include.members(['-ar', '16000', '-f', 's16le']);
    expect(probeArgs('/x.wav')).to.deep.equal(['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', '/x.wav']);
  });

  it('turns a 44.1 kHz stereo WAV and an MP3 into canonical 8 kHz mono WAVs and 16 kHz sln16', async () => {
    await tones.wav('stereo.wav', { seconds: 2, rate: 44100, channels: 2 });
    await tones.mp3('tone.mp3', { seconds: 1 });
    for (const [input, seconds] of [['stereo.wav', 2], ['tone.mp3', 1]] as const) {
      const out = path.join(tones.dir, `${input}.out.wav`);
      await runTool('ffmpeg', wavArgs(path.join(tones.dir, input), out, 600), { timeoutMs: 20_000 });
      const info = checkAsteriskWav(await fs.readFile(out));
      expect(info).to.include({ sampleRate: 8000, channels: 1, bitsPerSample: 16 });
      expect(info.durationMs).to.be.closeTo(seconds * 1000, 60);
      const sln = path.join(tones.dir, `${input}.sln16`);
      await runTool('ffmpeg', sln16Args(path.join(tones.dir, input), sln, 600), { timeoutMs: 20_000 });
      const size = (await fs.stat(sln)).size;
      expect(size / 32000).to.be.closeTo(seconds, 0.06); // 16000 samples/s × 2 bytes
    }
  });

  it('caps the output length with -t even when the input is longer', async () => {
    await tones.wav('five.wav', { seconds: 5 });
    const out = path.join(tones.dir, 'capped.wav');
    await runTool('ffmpeg', wavArgs(path.join(tones.dir, 'five.wav'), out, 2), { timeoutMs: 20_000 });
    const info = checkAsteriskWav(await fs.readFile(out));
    expect(info.durationMs).to.equal(2000);
  });

  it("refuses WAVs Asterisk's reader could trip on: a LIST chunk, stereo, 44.1 kHz, 8-bit", async () => {
    const tagged = rejection(() => checkAsteriskWav(Buffer.alloc(0)));
    expect(tagged.message).to.contain('only 0 bytes');
    expect(rejection(() => checkAsteriskWav(new Uint8Array(0))).reason).to.equal('undecodable');
    const withList = await tones.taggedWav('tagged.wav');
    expect(rejection(() => checkAsteriskWav(withList)).message).to.contain("'LIST' chunk before the samples");
    const stereo = await tones.wav('st.wav', { rate: 8000, channels: 2 });
    expect(rejection(() => checkAsteriskWav(stereo)).message).to.contain('2 channels');
    const hifi = await tones.wav('hi.wav', { rate: 44100, channels: 1 });
    expect(rejection(() => checkAsteriskWav(hifi)).message).to.contain('44100 Hz');
    const eightBit = await tones.wav('8bit.wav', { rate: 8000, channels: 1, bits: 8 });
    expect(rejection(() => checkAsteriskWav(eightBit)).message).to.match(/8 bits|audio format/);
    // sox writes the canonical header for 8 kHz mono 16-bit: accepted as is.
    expect(checkAsteriskWav(await tones.wav('ok.wav', { rate: 8000, channels: 1, seconds: 1 })).durationMs).to.equal(1000);
  });
});

describe('sounds: running tools', function () {
  it('reports a missing executable by name', async () => {
    const err = await runTool('tandem-no-such-tool', ['-version'], { timeoutMs: 5000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ToolError);
    expect((err as ToolError).reason).to.equal('missing');
    expect((err as ToolError).message).to.contain('tandem-no-such-tool is not installed');
  });

  it('kills a tool that runs past its timeout', async () => {
    const err = await runTool(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { timeoutMs: 200 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as ToolError).reason).to.equal('timeout');
  });

  it('reports a failure with the last line of stderr, and never interprets arguments with a shell', async () => {
    const err = await runTool('ffmpeg', ['-nostdin', '-hide_banner', '-i', '/nonexistent/$(touch /tmp/tandem-pwned); x.wav', '/tmp/out.wav'], { timeoutMs: 20_000 }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as ToolError).reason).to.equal('failed');
    expect((err as ToolError).message).to.contain('No such file or directory');
    const pwned = await run('test', ['-e', '/tmp/tandem-pwned']).then(
      () => true,
      () => false,
    );
    expect(pwned).to.equal(false);
    expect(lastLine('a\n\nfinal words \n')).to.equal('final words');
  });

  it('keeps at most maxOutputBytes of output', async () => {
    const r = await runTool(process.execPath, ['-e', 'process.stdout.write("x".repeat(100000))'], { timeoutMs: 10_000, maxOutputBytes: 1000 });
    expect(r.stdout.length).to.equal(1000);
  });
});
