// ffprobe/ffmpeg as child processes: the argument lists are pure (and tested as such), the runner is
// a thin shell around spawn with no shell in between (file names never meet a command line parser),
// a hard timeout, and bounded output capture. Paths given to it are always absolute paths Tandem
// made (never a client's file name), so none can be mistaken for an option.
import { spawn } from 'node:child_process';

/** ffprobe's JSON description of the input's container and streams. */
export function probeArgs(input: string): string[] {
  return ['-v', 'error', '-print_format', 'json', '-show_format', '-show_streams', input];
}

const COMMON_INPUT = (input: string) => ['-nostdin', '-hide_banner', '-loglevel', 'error', '-y', '-i', input, '-vn', '-map', '0:a:0', '-ac', '1'];

/**
 * 8 kHz mono 16-bit PCM WAV with the canonical 44-byte header: `-map_metadata -1` and the bitexact
 * flags keep ffmpeg from writing a LIST/INFO chunk (encoder tag) before the samples. `-t` caps the
 * length even when the probe underestimated it (MP3 without a Xing header).
 */
export function wavArgs(input: string, output: string, maxSeconds: number): string[] {
  return [...COMMON_INPUT(input), '-ar', '8000', '-c:a', 'pcm_s16le', '-t', String(maxSeconds), '-map_metadata', '-1', '-fflags', '+bitexact', '-flags:a', '+bitexact', '-f', 'wav', output];
}

/** 16 kHz signed linear, headerless: Asterisk's `.sln16`, picked for wideband (G.722, Opus) channels. */
export function sln16Args(input: string, output: string, maxSeconds: number): string[] {
  return [...COMMON_INPUT(input), '-ar', '16000', '-c:a', 'pcm_s16le', '-t', String(maxSeconds), '-map_metadata', '-1', '-f', 's16le', output];
}

export class ToolError extends Error {
  constructor(
    readonly tool: string,
    readonly reason: 'missing' | 'timeout' | 'failed',
    message: string,
    readonly stderr = '',
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

export interface ToolResult {
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs: number;
  /** Bytes of stdout/stderr kept each; the rest is read and dropped so the child never blocks. */
  maxOutputBytes?: number;
}

/** Runs `command args…` without a shell; resolves on exit code 0, rejects with a ToolError otherwise. */
export function runTool(command: string, args: readonly string[], options: RunOptions): Promise<ToolResult> {
  const cap = options.maxOutputBytes ?? 256 * 1024;
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let outSize = 0;
    let errSize = 0;
    let timedOut = false;
    let settled = false;
    child.stdout.on('data', (c: Buffer) => {
      if (outSize < cap) out.push(c.subarray(0, cap - outSize));
      outSize += c.length;
    });
    child.stderr.on('data', (c: Buffer) => {
      if (errSize < cap) err.push(c.subarray(0, cap - errSize));
      errSize += c.length;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    child.on('error', (e: NodeJS.ErrnoException) => {
      finish(() =>
        reject(
          e.code === 'ENOENT'
            ? new ToolError(command, 'missing', `${command} is not installed on this Tandem node (Debian package 'ffmpeg')`)
            : new ToolError(command, 'failed', `${command} could not be started: ${e.message}`),
        ),
      );
    });
    child.on('close', (code, signal) => {
      const stderr = Buffer.concat(err).toString('utf8');
      finish(() => {
        if (timedOut) reject(new ToolError(command, 'timeout', `${command} did not finish within ${options.timeoutMs} ms`, stderr));
        else if (code !== 0) reject(new ToolError(command, 'failed', `${command} exited with ${code ?? signal}: ${lastLine(stderr)}`, stderr));
        else resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr });
      });
    });
  });
}

/** The last non-empty line of a tool's stderr: where ffmpeg says what went wrong. */
export function lastLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return lines.at(-1)?.slice(0, 300) ?? '(no message)';
}
