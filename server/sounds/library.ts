// The sound library's I/O shell: an upload is checked (size, magic bytes), probed (duration),
// converted by ffmpeg into what Asterisk plays (8 kHz mono 16-bit `.wav`, plus 16 kHz `.sln16` for
// wideband channels), verified, moved into `<dataDir>/sounds/<lang>/<name>.*`, and recorded in
// PostgreSQL. The decisions all live in the pure modules beside this one.
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { and, asc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Db } from '../db/database.ts';
import { audit } from '../db/audit.ts';
import { AudioRejectedError, checkAsteriskWav, checkProbe, checkUpload, parseProbe, type SoundLimits, type SourceFormat } from './audio-format.ts';
import { probeArgs, runTool, sln16Args, ToolError, wavArgs } from './ffmpeg.ts';
import { checkLanguage, checkSoundName, SOUND_FORMATS, soundFilePath, soundMediaPath, soundsRoot, type SoundFormat } from './names.ts';
import { buildSoundIndex, type SoundIndex } from './resolver.ts';
import { sounds, type SoundRow } from './schema.ts';

export interface SoundLibraryDeps {
  db: Db;
  dataDir: string;
  limits: SoundLimits;
  /** Executables; overridable so a node can point at its own builds. */
  tools?: { ffmpeg: string; ffprobe: string };
}

export interface SoundSummary {
  name: string;
  language: string;
  description: string;
  sourceFormat: SourceFormat;
  sourceBytes: number;
  durationMs: number;
  wavBytes: number;
  /** Content version: changes whenever the audio does. */
  version: string;
  formats: SoundFormat[];
  /** Path of the media URL (prefix Tandem's address for Asterisk). */
  mediaPath: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The version in media URLs: enough of the SHA-256 to never collide within one sound's history. */
export const versionOf = (sha256: string) => sha256.slice(0, 16);

export function summary(row: SoundRow): SoundSummary {
  return {
    name: row.name,
    language: row.language,
    description: row.description,
    sourceFormat: row.sourceFormat,
    sourceBytes: row.sourceBytes,
    durationMs: row.durationMs,
    wavBytes: row.wavBytes,
    version: versionOf(row.sha256),
    formats: [...SOUND_FORMATS],
    mediaPath: soundMediaPath(row.language, row.name),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

export interface StoreInput {
  name: string;
  language: string;
  description?: string | undefined;
  bytes: Uint8Array;
  actorId: number | null;
}

// Uploads of the same variant are serialised on this node, so the files on disk and the row always
// describe the same upload (the last one).
const locks = new Map<string, Promise<unknown>>();
async function withLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(fn);
  locks.set(key, run);
  try {
    return await run;
  } finally {
    if (locks.get(key) === run) locks.delete(key);
  }
}

// ffmpeg is CPU-bound: a burst of uploads queues here instead of starving the calls' event loop.
let conversions = 0;
const waitingForConversion: (() => void)[] = [];
async function withConversionSlot<T>(max: number, fn: () => Promise<T>): Promise<T> {
  while (conversions >= Math.max(1, max)) await new Promise<void>((resolve) => waitingForConversion.push(resolve));
  conversions++;
  try {
    return await fn();
  } finally {
    conversions--;
    waitingForConversion.shift()?.();
  }
}

/** Checks, converts and stores one language variant; replaces it when it exists. */
export async function storeSound(deps: SoundLibraryDeps, input: StoreInput): Promise<{ sound: SoundSummary; created: boolean }> {
  const name = checkSoundName(input.name);
  const language = checkLanguage(input.language);
  const sourceFormat = checkUpload(input.bytes, deps.limits);
  const tools = deps.tools ?? { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' };
  const work = path.join(soundsRoot(deps.dataDir), '.incoming', randomUUID());
  await fs.mkdir(work, { recursive: true });
  try {
    const source = path.join(work, `source.${sourceFormat}`);
    await fs.writeFile(source, input.bytes);
    const converted: Record<SoundFormat, string> = { wav: path.join(work, 'out.wav'), sln16: path.join(work, 'out.sln16') };
    await withConversionSlot(deps.limits.maxConcurrentConversions, async () => {
      const probe = parseProbe((await decode(() => runTool(tools.ffprobe, probeArgs(source), { timeoutMs: deps.limits.toolTimeoutMs }))).stdout);
      checkProbe(probe, deps.limits);
      await decode(() => runTool(tools.ffmpeg, wavArgs(source, converted.wav, deps.limits.maxDurationSeconds), { timeoutMs: deps.limits.toolTimeoutMs }));
      await decode(() => runTool(tools.ffmpeg, sln16Args(source, converted.sln16, deps.limits.maxDurationSeconds), { timeoutMs: deps.limits.toolTimeoutMs }));
    });
    const wav = await fs.readFile(converted.wav);
    const info = checkAsteriskWav(wav);
    if (info.dataBytes === 0) throw new AudioRejectedError('undecodable', 'the file contains no audio samples');
    const sha256 = createHash('sha256').update(wav).digest('hex');
    const description = input.description ?? '';

    return await withLock(`${language}/${name}`, async () => {
      const replaced = await installFiles(deps.dataDir, language, name, converted);
      try {
        const [row] = await deps.db
          .insert(sounds)
          .values({ name, language, description, sourceFormat, sourceBytes: input.bytes.length, durationMs: info.durationMs, wavBytes: wav.length, sha256, createdBy: input.actorId, updatedBy: input.actorId })
          .onConflictDoUpdate({
            target: [sounds.name, sounds.language],
            set: {
              // An upload without a description keeps the one the variant had.
              description: input.description === undefined ? sql`${sounds.description}` : description,
              sourceFormat,
              sourceBytes: input.bytes.length,
              durationMs: info.durationMs,
              wavBytes: wav.length,
              sha256,
              updatedBy: input.actorId,
              updatedAt: sql`now()`,
            },
          })
          .returning({ ...getTableColumns(sounds), created: sql<boolean>`(xmax = 0)` });
        if (!row) throw new Error('storing the sound returned no row');
        await replaced.commit();
        const { created, ...stored } = row;
        await audit(deps.db, input.actorId, created ? 'sound.created' : 'sound.replaced', `sound:${language}/${name}`, { sourceFormat, durationMs: info.durationMs });
        return { sound: summary(stored), created };
      } catch (err) {
        await replaced.rollback();
        throw err;
      }
    });
  } finally {
    await fs.rm(work, { recursive: true, force: true });
  }
}

/** A tool failing on the input is the file's fault (400), except a missing tool (the node's fault). */
async function decode<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ToolError && err.reason === 'failed') throw new AudioRejectedError('undecodable', `the file could not be decoded as audio (${err.message})`);
    if (err instanceof ToolError && err.reason === 'timeout') throw new AudioRejectedError('undecodable', `decoding the file took too long (${err.message})`);
    throw err;
  }
}

/**
 * Moves the converted files into place, keeping the previous ones aside until the database agrees:
 * rollback puts them back, commit drops them. Renames within one folder are atomic, so Asterisk's
 * media cache never fetches half a file.
 */
async function installFiles(dataDir: string, language: string, name: string, converted: Record<SoundFormat, string>) {
  const moved: { final: string; backup: string | undefined }[] = [];
  await fs.mkdir(path.dirname(soundFilePath(dataDir, language, name, 'wav')), { recursive: true });
  for (const format of SOUND_FORMATS) {
    const final = soundFilePath(dataDir, language, name, format);
    const backup = `${final}.${randomUUID()}.old`;
    const hadOld = await fs.rename(final, backup).then(
      () => true,
      (e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return false;
        throw e;
      },
    );
    moved.push({ final, backup: hadOld ? backup : undefined });
    // The staged file sits on the same file system (under <dataDir>/sounds/.incoming).
    await fs.rename(converted[format], final);
  }
  return {
    async commit() {
      for (const m of moved) if (m.backup) await fs.rm(m.backup, { force: true });
    },
    async rollback() {
      for (const m of moved) {
        if (m.backup) await fs.rename(m.backup, m.final);
        else await fs.rm(m.final, { force: true });
      }
    },
  };
}

export async function listSounds(db: Db, filter: { language?: string | undefined } = {}): Promise<SoundSummary[]> {
  const rows = await db
    .select()
    .from(sounds)
    .where(filter.language ? eq(sounds.language, filter.language) : undefined)
    .orderBy(asc(sounds.name), asc(sounds.language));
  return rows.map(summary);
}

export async function getSoundVariants(db: Db, name: string): Promise<SoundSummary[]> {
  const rows = await db.select().from(sounds).where(eq(sounds.name, name)).orderBy(asc(sounds.language));
  return rows.map(summary);
}

export async function getSound(db: Db, name: string, language: string): Promise<SoundRow | undefined> {
  const [row] = await db
    .select()
    .from(sounds)
    .where(and(eq(sounds.name, name), eq(sounds.language, language)));
  return row;
}

/** Removes one variant; false when there was none. */
export async function deleteSound(deps: Pick<SoundLibraryDeps, 'db' | 'dataDir'>, name: string, language: string, actorId: number | null): Promise<boolean> {
  return withLock(`${language}/${name}`, async () => {
    const deleted = await deps.db
      .delete(sounds)
      .where(and(eq(sounds.name, name), eq(sounds.language, language)))
      .returning({ id: sounds.id });
    if (deleted.length === 0) return false;
    for (const format of SOUND_FORMATS) await fs.rm(soundFilePath(deps.dataDir, language, name, format), { force: true });
    await audit(deps.db, actorId, 'sound.deleted', `sound:${language}/${name}`);
    return true;
  });
}

/** The index the prompt resolver works from: every variant with its content version. */
export async function loadSoundIndex(db: Db): Promise<SoundIndex> {
  const rows = await db.select({ name: sounds.name, language: sounds.language, sha256: sounds.sha256 }).from(sounds);
  return buildSoundIndex(rows.map((r) => ({ name: r.name, language: r.language, version: versionOf(r.sha256) })));
}

/**
 * Removes what an interrupted upload can leave behind (work folders, set-aside previous files).
 * Call it once at start, before the routes take uploads.
 */
export async function sweepSoundFolder(dataDir: string): Promise<void> {
  const root = soundsRoot(dataDir);
  await fs.rm(path.join(root, '.incoming'), { recursive: true, force: true });
  const languages = await fs.readdir(root, { withFileTypes: true }).catch(() => []);
  for (const dir of languages) {
    if (!dir.isDirectory() || dir.name.startsWith('.')) continue;
    for (const file of await fs.readdir(path.join(root, dir.name))) {
      if (file.endsWith('.old')) await fs.rm(path.join(root, dir.name, file), { force: true });
    }
  }
}
