// HTTP caching for the media URLs Asterisk's res_http_media_cache fetches. What that module does
// (res/res_http_media_cache.c): it keeps a fetched file until the `Cache-Control` max-age (or
// `Expires`) runs out; with `no-cache`/`must-revalidate`, or once expired, it sends a HEAD with
// `If-None-Match: <ETag>` and keeps its copy on a 304, fetching again otherwise. It takes the file
// type from the URL's extension (or Content-Type, or the path without the query).
//
// So: a URL carrying the current version (`?v=…`, what the prompt resolver produces) names content
// that never changes and may be cached for a year; any other URL (hand-written in a dialplan, or a
// stale version) gets `no-cache`, i.e. one cheap HEAD revalidation per playback.
import type { SoundFormat } from './names.ts';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
export const REVALIDATE = 'no-cache';

export function cacheControlFor(requestedVersion: string | undefined, currentVersion: string): string {
  return requestedVersion === currentVersion ? IMMUTABLE : REVALIDATE;
}

/** A strong ETag per file: the `.sln16` holds other bytes than the `.wav`, so it gets its own tag. */
export function etagFor(sha256: string, format: SoundFormat): string {
  return format === 'wav' ? `"${sha256.slice(0, 32)}"` : `"${sha256.slice(0, 32)}-${format}"`;
}

export const CONTENT_TYPES: Readonly<Record<SoundFormat, string>> = {
  wav: 'audio/wav',
  // Headerless signed linear: Asterisk knows it by the `.sln16` extension of the URL.
  sln16: 'application/octet-stream',
};

/**
 * RFC 9110 conditional GET/HEAD: `If-None-Match` (any listed tag, weak or strong, or `*`) wins;
 * without it, `If-Modified-Since` at or after the last change (HTTP dates have whole seconds).
 */
export function isNotModified(headers: { 'if-none-match'?: string | undefined; 'if-modified-since'?: string | undefined }, etag: string, lastModified: Date): boolean {
  const inm = headers['if-none-match'];
  if (inm !== undefined) {
    if (inm.trim() === '*') return true;
    return inm
      .split(',')
      .map((t) => t.trim().replace(/^W\//, ''))
      .includes(etag);
  }
  const ims = headers['if-modified-since'];
  if (ims !== undefined) {
    const since = Date.parse(ims);
    if (Number.isFinite(since)) return Math.floor(lastModified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}
