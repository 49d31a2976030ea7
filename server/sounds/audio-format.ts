// What an upload must be before we hand it to ffmpeg, and what ffmpeg must give back before Asterisk
// sees it. All pure: bytes in, a verdict out.
import { z } from 'zod';

export type SourceFormat = 'wav' | 'mp3';

export interface SoundLimits {
  /** Largest upload accepted, in bytes. */
  maxUploadBytes: number;
  /** Longest prompt accepted, in seconds. */
  maxDurationSeconds: number;
  /** ffprobe/ffmpeg are killed after this long. */
  toolTimeoutMs: number;
  /** Conversions running at once on a node; further uploads wait their turn (ffmpeg is CPU-bound). */
  maxConcurrentConversions: number;
}

export const DEFAULT_SOUND_LIMITS: SoundLimits = {
  maxUploadBytes: 20 * 1024 * 1024,
  maxDurationSeconds: 600,
  toolTimeoutMs: 60_000,
  maxConcurrentConversions: 2,
};

export class AudioRejectedError extends Error {
  constructor(
    readonly reason: 'empty' | 'too-large' | 'not-audio' | 'too-long' | 'undecodable',
    message: string,
  ) {
    super(message);
    this.name = 'AudioRejectedError';
  }
}

/**
 * Recognises WAV (RIFF….WAVE) and MP3 (an ID3v2 tag, or an MPEG audio frame header for Layer III)
 * from the first bytes. Anything else — a renamed video, a text file, an OGG — is refused before
 * any decoder runs on it.
 */
export function detectAudioFormat(head: Uint8Array): SourceFormat | undefined {
  if (head.length >= 12 && ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WAVE') return 'wav';
  if (head.length >= 10 && ascii(head, 0, 3) === 'ID3' && head[3]! <= 4 && head[3]! >= 2) return 'mp3';
  if (head.length >= 4 && isMpegLayer3Frame(head)) return 'mp3';
  return undefined;
}

/** An MPEG-1/2/2.5 Layer III frame header: 11 sync bits, a valid version, layer III, a valid bitrate and sample rate. */
function isMpegLayer3Frame(b: Uint8Array): boolean {
  if (b[0] !== 0xff || (b[1]! & 0xe0) !== 0xe0) return false;
  const version = (b[1]! >> 3) & 0x03; // 01 is reserved
  const layer = (b[1]! >> 1) & 0x03; // 01 = Layer III
  const bitrate = (b[2]! >> 4) & 0x0f; // 1111 is invalid, 0000 "free" is refused too
  const rate = (b[2]! >> 2) & 0x03; // 11 is reserved
  return version !== 0x01 && layer === 0x01 && bitrate !== 0x0f && bitrate !== 0 && rate !== 0x03;
}

function ascii(b: Uint8Array, start: number, length: number): string {
  return String.fromCharCode(...b.subarray(start, start + length));
}

/** Size, then magic bytes: the checks that need no decoder. Returns the source format. */
export function checkUpload(bytes: Uint8Array, limits: Pick<SoundLimits, 'maxUploadBytes'>): SourceFormat {
  if (bytes.length === 0) throw new AudioRejectedError('empty', 'the uploaded file is empty');
  if (bytes.length > limits.maxUploadBytes) {
    throw new AudioRejectedError('too-large', `the uploaded file is ${bytes.length} bytes; the limit is ${limits.maxUploadBytes}`);
  }
  const format = detectAudioFormat(bytes.subarray(0, 16));
  if (!format) throw new AudioRejectedError('not-audio', 'the uploaded file is neither a WAV (RIFF/WAVE) nor an MP3 file');
  return format;
}

const probeSchema = z.object({
  streams: z.array(z.object({ codec_type: z.string().optional(), codec_name: z.string().optional() }).loose()).default([]),
  format: z
    .object({ duration: z.string().optional(), format_name: z.string().optional() })
    .loose()
    .optional(),
});

export interface ProbeResult {
  durationSeconds: number | undefined;
  hasAudio: boolean;
  formatName: string | undefined;
}

/** Reads `ffprobe -print_format json -show_format -show_streams` output. */
export function parseProbe(stdout: string): ProbeResult {
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new AudioRejectedError('undecodable', 'the file could not be read as audio (ffprobe gave no readable answer)');
  }
  const parsed = probeSchema.safeParse(json);
  if (!parsed.success) throw new AudioRejectedError('undecodable', 'the file could not be read as audio (unexpected ffprobe answer)');
  const raw = parsed.data.format?.duration;
  const duration = raw === undefined ? undefined : Number(raw);
  return {
    durationSeconds: duration !== undefined && Number.isFinite(duration) ? duration : undefined,
    hasAudio: parsed.data.streams.some((s) => s.codec_type === 'audio'),
    formatName: parsed.data.format?.format_name,
  };
}

export function checkProbe(probe: ProbeResult, limits: Pick<SoundLimits, 'maxDurationSeconds'>): void {
  if (!probe.hasAudio) throw new AudioRejectedError('undecodable', 'the file has no audio stream');
  if (probe.durationSeconds !== undefined && probe.durationSeconds > limits.maxDurationSeconds) {
    throw new AudioRejectedError('too-long', `the sound lasts ${probe.durationSeconds.toFixed(1)} s; the limit is ${limits.maxDurationSeconds} s`);
  }
}

export interface WavInfo {
  sampleRate: number;
  channels: number;
  bitsPerSample: number;
  dataBytes: number;
  durationMs: number;
}

/**
 * Checks the file is the canonical 44-byte-header PCM WAV that Asterisk's format_wav reads best:
 * `RIFF` / `WAVE` / a 16-byte `fmt ` chunk (PCM, mono, 8000 Hz, 16 bits) / `data` right after.
 * Asterisk's wav reader seeks assuming the samples start at byte 44, and older readers refuse any
 * chunk but `fact` before `data` (a LIST/INFO tag written by an encoder would break playback).
 */
export function checkAsteriskWav(file: Uint8Array): WavInfo {
  const fail = (what: string): never => {
    throw new AudioRejectedError('undecodable', `the converted file is not a canonical 8 kHz mono 16-bit WAV: ${what}`);
  };
  if (file.length < 44) fail(`only ${file.length} bytes`);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (ascii(file, 0, 4) !== 'RIFF' || ascii(file, 8, 4) !== 'WAVE') fail('no RIFF/WAVE header');
  if (ascii(file, 12, 4) !== 'fmt ') fail('the fmt chunk is not first');
  if (view.getUint32(16, true) !== 16) fail(`fmt chunk of ${view.getUint32(16, true)} bytes (expected 16)`);
  const audioFormat = view.getUint16(20, true);
  const channels = view.getUint16(22, true);
  const sampleRate = view.getUint32(24, true);
  const bitsPerSample = view.getUint16(34, true);
  if (audioFormat !== 1) fail(`audio format ${audioFormat} (expected 1, PCM)`);
  if (channels !== 1) fail(`${channels} channels (expected mono)`);
  if (sampleRate !== 8000) fail(`${sampleRate} Hz (expected 8000)`);
  if (bitsPerSample !== 16) fail(`${bitsPerSample} bits per sample (expected 16)`);
  if (ascii(file, 36, 4) !== 'data') fail(`'${ascii(file, 36, 4)}' chunk before the samples (expected data at byte 36)`);
  const dataBytes = view.getUint32(40, true);
  if (dataBytes !== file.length - 44) fail(`data chunk says ${dataBytes} bytes but ${file.length - 44} follow`);
  return { sampleRate, channels, bitsPerSample, dataBytes, durationMs: Math.round((dataBytes / 2 / sampleRate) * 1000) };
}
