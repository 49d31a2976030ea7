// Serves the website chat widget (designer/widget → designer/dist-widget/tandem-chat.js) at
// GET /chat/tandem-chat.js. Building it is not the server's business: `npm start`'s prestart
// (designer/build.ts) builds it when stale; the server only serves the file. Customers' pages on any origin load it, hence CORS `*`. The URL in the
// snippet never changes, so the file is not cached "for good": browsers keep it an hour and CDNs a
// day, then revalidate with the ETag; a new Tandem version reaches visitors within that window.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Next } from 'koa';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const WIDGET_PATH = '/chat/tandem-chat.js';
export const DEFAULT_WIDGET_FILE = path.join(repoRoot, 'designer', 'dist-widget', 'tandem-chat.js');

export interface WidgetAssetOptions {
  /** The built script; designer/dist-widget/tandem-chat.js by default. */
  file?: string;
}

export function widgetAsset(options: WidgetAssetOptions = {}) {
  const file = options.file ?? DEFAULT_WIDGET_FILE;
  return async function serveWidget(ctx: Context, next: Next): Promise<void> {
    if (ctx.path !== WIDGET_PATH) return next();
    ctx.set('Access-Control-Allow-Origin', '*');
    if (ctx.method === 'OPTIONS') {
      ctx.set('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS');
      ctx.status = 204;
      return;
    }
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    let info: { size: number; mtime: Date };
    try {
      const s = await stat(file);
      if (!s.isFile()) throw new Error('not a file');
      info = { size: s.size, mtime: s.mtime };
    } catch {
      // Plain JS comment body: a page loading the snippet gets a readable reason in devtools.
      ctx.status = 503;
      ctx.type = 'text/javascript; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = '/* Tandem chat widget is not built: run `npm run build:widget` on the server */\n';
      return;
    }
    ctx.type = 'text/javascript; charset=utf-8';
    ctx.set('Cache-Control', 'public, max-age=3600, s-maxage=86400');
    ctx.set('ETag', `W/"${info.size.toString(16)}-${info.mtime.getTime().toString(16)}"`);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
    ctx.lastModified = info.mtime;
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.length = info.size;
    ctx.body = createReadStream(file);
  };
}
