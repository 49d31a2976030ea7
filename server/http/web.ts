// The web app (designer/dist, built by Vite) served by the same Koa app as the API, so one
// `npm start` serves both. Files are looked up under the dist folder only; any other GET that is not
// an API or socket.io path gets index.html (the app routes in the browser). Hashed assets are cached
// for good; index.html is revalidated on every load so a new build is picked up at once. Text files
// (scripts, styles, the page) go out compressed (brotli or gzip, as the browser accepts) by
// koa-compress: the app's scripts shrink to about a third, which is most of a first load.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { constants as zlibConstants } from 'node:zlib';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Next } from 'koa';
import compress from 'koa-compress';

export const DEFAULT_DIST_DIR = fileURLToPath(new URL('../../designer/dist/', import.meta.url));

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
};

/** Paths the web app must never answer: they belong to the API and the realtime server. */
const RESERVED = /^\/(api|socket\.io)(\/|$)/;

/**
 * Never served, even when a build left them in the folder: source maps publish the whole source,
 * comments included. Production builds do not emit them (designer/vite.config.ts).
 */
const NEVER_SERVED = /\.map$/i;

/** Vite puts every hashed build output here (`assets/index-4f3a9c2b.js`). */
const HASHED_ASSET = /^\/assets\//;

/**
 * Inline styles are needed by React Flow (node positions are style attributes); scripts only ever
 * come from this origin, so text in a project (labels, prompts) can never run as script; and the
 * pages talk to this origin only (API and socket.io), so injected code could not send data away.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  // Same origin only; 'self' covers ws:/wss: to this host (CSP Level 3, every current browser),
  // which is all socket.io needs. The chat widget runs on customers' pages under their policy.
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

export interface WebAppOptions {
  /** Folder holding the built app (index.html and assets/). */
  distDir?: string;
}

/**
 * Compressed on the fly for text types only (images and fonts are compressed already). Brotli at
 * quality 5 (the built app: 1.1 MB → 0.32 MB) costs far less CPU than the top qualities; the hashed
 * assets are cached for good by browsers, so each is compressed about once per user. The ETag stays the file's:
 * the same weak validator for every encoding, so a revalidation answers 304 whatever was sent.
 */
const compressed = compress({ threshold: 1024, br: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } } });

export function webApp(options: WebAppOptions = {}) {
  const root = path.resolve(options.distDir ?? DEFAULT_DIST_DIR);
  const indexFile = path.join(root, 'index.html');

  return async function serveWebApp(ctx: Context, next: Next): Promise<void> {
    if ((ctx.method !== 'GET' && ctx.method !== 'HEAD') || RESERVED.test(ctx.path)) return next();

    const requested = resolveInside(root, ctx.path);
    if (requested === null) return next(); // malformed or escaping path: the final 404 answers
    if (NEVER_SERVED.test(requested)) return next();
    const file = requested === root ? null : await fileStat(requested);
    if (file !== null) {
      await compressed(ctx, () => sendFile(ctx, requested, file, HASHED_ASSET.test(ctx.path)));
      return;
    }
    // A missing file with an extension (a stale asset URL) is a real 404, not the app's page:
    // answering HTML to a script request hides the problem behind a MIME error.
    if (path.extname(ctx.path) !== '' && !ctx.path.endsWith('.html')) return next();

    const index = await fileStat(indexFile);
    if (index === null) {
      missingBuildPage(ctx);
      return;
    }
    await compressed(ctx, () => sendFile(ctx, indexFile, index, false));
  };
}

/** The absolute file for a URL path, or null when it is malformed or leaves `root`. */
function resolveInside(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const target = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (target !== root && !target.startsWith(root + path.sep)) return null;
  return target;
}

async function fileStat(file: string): Promise<{ size: number; mtime: Date } | null> {
  try {
    const s = await stat(file);
    return s.isFile() ? { size: s.size, mtime: s.mtime } : null;
  } catch {
    return null;
  }
}

async function sendFile(ctx: Context, file: string, info: { size: number; mtime: Date }, immutable: boolean): Promise<void> {
  const ext = path.extname(file).toLowerCase();
  ctx.type = CONTENT_TYPES[ext] ?? 'application/octet-stream';
  ctx.set('Cache-Control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  ctx.set('ETag', `W/"${info.size.toString(16)}-${info.mtime.getTime().toString(16)}"`);
  ctx.lastModified = info.mtime;
  if (ext === '.html') {
    ctx.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    ctx.set('X-Frame-Options', 'DENY');
  }
  ctx.status = 200;
  if (ctx.fresh) {
    ctx.status = 304;
    return;
  }
  ctx.length = info.size;
  // Koa sends no body for HEAD (and closes the stream); headers stay those of the GET.
  ctx.body = createReadStream(file);
}

function missingBuildPage(ctx: Context): void {
  ctx.status = 503;
  ctx.type = 'text/html; charset=utf-8';
  ctx.set('Cache-Control', 'no-store');
  ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
  ctx.body = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Tandem: web app not built</title>
<style>body{font:15px/1.5 system-ui,sans-serif;color:#1e293b;max-width:40rem;margin:4rem auto;padding:0 1rem}
code{background:#f1f5f9;padding:.1rem .35rem;border-radius:4px}h1{font-size:1.3rem}</style></head>
<body><h1>The Tandem web app has not been built</h1>
<p>The API is running, but the designer's files are missing from <code>designer/dist</code>.</p>
<p>Build them once with <code>npm run build:designer</code> and reload this page.</p></body></html>`;
}
