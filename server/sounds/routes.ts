// HTTP for the sound library (permission module `voice`):
//   GET    /api/sounds?language=en            list variants
//   GET    /api/sounds/:name                  every language variant of one sound
//   GET    /api/sounds/:name/:language        one variant
//   PUT    /api/sounds/:name/:language        upload (multipart/form-data: `file`, optional `description`);
//                                             201 when new, 200 when it replaced the variant
//   DELETE /api/sounds/:name/:language        204
// and, public, for Asterisk's media cache (it sends no credentials):
//   GET|HEAD /media/sounds/:language/:name.wav   (and .sln16) with ETag, Last-Modified, Cache-Control
import { open, type FileHandle } from 'node:fs/promises';
import type { Context } from 'koa';
import { z } from 'zod';
import { newRouter, principalOf, type Services } from '../http/context.ts';
import { requirePermission } from '../http/auth-middleware.ts';
import { ApiError, notFound } from '../http/errors.ts';
import { parseQuery } from '../http/validate.ts';
import { AudioRejectedError, DEFAULT_SOUND_LIMITS, type SoundLimits } from './audio-format.ts';
import { ToolError } from './ffmpeg.ts';
import { deleteSound, getSound, getSoundVariants, listSounds, storeSound, summary, versionOf } from './library.ts';
import { cacheControlFor, CONTENT_TYPES, etagFor, isNotModified } from './media.ts';
import { filePart, readMultipartForm, textPart } from './multipart.ts';
import { checkLanguage, checkSoundName, LANGUAGE, parseMediaFileName, soundFilePath, SoundNameError } from './names.ts';

export interface SoundRouteOptions {
  limits?: SoundLimits;
  /** Called after every change (e.g. to refresh the prompt resolver's index). */
  onChange?: () => void | Promise<void>;
  tools?: { ffmpeg: string; ffprobe: string };
}

/** Room for the multipart envelope and a description around the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;
const listQuery = z.object({ language: z.string().regex(LANGUAGE, 'must be an Asterisk language code such as en, it or en_GB').optional() });

/** Domain errors of the library as catalogue errors, each naming the field at fault. */
export function toApiError(err: unknown): unknown {
  if (err instanceof SoundNameError) return new ApiError('VALIDATION_FAILED', `Invalid ${err.field}: ${err.message}`, { fields: [{ field: err.field, message: err.message }] });
  if (err instanceof AudioRejectedError) {
    if (err.reason === 'too-large') return new ApiError('PAYLOAD_TOO_LARGE', `Invalid file: ${err.message}`, { fields: [{ field: 'file', message: err.message }] });
    return new ApiError('VALIDATION_FAILED', `Invalid file: ${err.message}`, { fields: [{ field: 'file', message: err.message }], reason: err.reason });
  }
  if (err instanceof ToolError && err.reason === 'missing') return new ApiError('INTERNAL', `Sounds cannot be converted: ${err.message}`, { tool: err.tool });
  return err;
}

async function translated<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toApiError(err);
  }
}

const variantParams = (ctx: Context) =>
  translated(() => {
    const p = ctx.params as Record<string, string | undefined>;
    return { name: checkSoundName(p.name ?? ''), language: checkLanguage(p.language ?? '') };
  });

export function soundRoutes(services: Services, options: SoundRouteOptions = {}) {
  const { db } = services;
  const limits = options.limits ?? DEFAULT_SOUND_LIMITS;
  const deps = { db, dataDir: services.config.dataDir, limits, ...(options.tools ? { tools: options.tools } : {}) };
  const changed = async () => {
    try {
      await options.onChange?.();
    } catch (err) {
      services.logger.warn({ err }, 'sound library change listener failed');
    }
  };
  const router = newRouter();
  const read = requirePermission('voice', 'read');

  router.get('/api/sounds', read, async (ctx) => {
    ctx.body = await listSounds(db, { language: parseQuery(ctx, listQuery).language });
  });
  router.get('/api/sounds/:name', read, async (ctx) => {
    const name = await translated(() => checkSoundName((ctx.params as Record<string, string>).name ?? ''));
    const variants = await getSoundVariants(db, name);
    if (variants.length === 0) throw notFound('Sound', name);
    ctx.body = { name, variants };
  });
  router.get('/api/sounds/:name/:language', read, async (ctx) => {
    const { name, language } = await variantParams(ctx);
    const row = await getSound(db, name, language);
    if (!row) throw notFound('Sound', `${name} (${language})`);
    ctx.body = summary(row);
  });
  router.put('/api/sounds/:name/:language', requirePermission('voice', 'edit'), async (ctx) => {
    const { name, language } = await variantParams(ctx);
    const form = await readMultipartForm(ctx, limits.maxUploadBytes + MULTIPART_OVERHEAD);
    const description = textPart(form, 'description', 500);
    const { bytes } = await filePart(form, 'file');
    const result = await translated(() => storeSound(deps, { name, language, description, bytes, actorId: principalOf(ctx).userId }));
    await changed();
    ctx.status = result.created ? 201 : 200;
    ctx.body = result.sound;
  });
  router.delete('/api/sounds/:name/:language', requirePermission('voice', 'delete'), async (ctx) => {
    const { name, language } = await variantParams(ctx);
    if (!(await deleteSound(deps, name, language, principalOf(ctx).userId))) throw notFound('Sound', `${name} (${language})`);
    await changed();
    ctx.status = 204;
  });
  return router;
}

/**
 * The public media route Asterisk fetches (`Playback(http://tandem:8080/media/sounds/en/welcome.wav)`).
 * Mount it outside the authenticated API (and before any catch-all web app route).
 */
export function soundMediaRoutes(services: Services) {
  const router = newRouter();
  router.get('/media/sounds/:language/:file', async (ctx) => {
    const { language, name, format } = await translated(() => {
      const p = ctx.params as Record<string, string | undefined>;
      return { language: checkLanguage(p.language ?? ''), ...parseMediaFileName(p.file ?? '') };
    });
    const row = await getSound(services.db, name, language);
    // Opened once: the size sent is the size of the very file streamed, even if an upload
    // replaces it (by rename) meanwhile.
    const handle: FileHandle | undefined = row ? await open(soundFilePath(services.config.dataDir, language, name, format), 'r').catch(() => undefined) : undefined;
    if (!row || !handle) throw notFound('Sound', `${language}/${name}.${format}`);
    let streaming = false;
    try {
      const size = (await handle.stat()).size;
      const etag = etagFor(row.sha256, format);
      const requested = typeof ctx.query.v === 'string' ? ctx.query.v : undefined;
      ctx.set('ETag', etag);
      ctx.set('Last-Modified', row.updatedAt.toUTCString());
      ctx.set('Cache-Control', cacheControlFor(requested, versionOf(row.sha256)));
      if (isNotModified({ 'if-none-match': ctx.get('if-none-match') || undefined, 'if-modified-since': ctx.get('if-modified-since') || undefined }, etag, row.updatedAt)) {
        ctx.status = 304;
        return;
      }
      ctx.status = 200;
      ctx.type = CONTENT_TYPES[format];
      if (ctx.method === 'HEAD') {
        // No stream for HEAD: Koa ends a HEAD response without ever reading (or closing) a body stream.
        ctx.set('Content-Length', String(size));
        return;
      }
      ctx.length = size;
      ctx.body = handle.createReadStream(); // closes the handle when done or destroyed
      streaming = true;
    } finally {
      if (!streaming) await handle.close();
    }
  });
  return router;
}
