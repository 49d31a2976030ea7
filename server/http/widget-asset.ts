// Serves the website chat widget (designer/widget → designer/dist-widget/tandem-chat.js) at
// GET /chat/tandem-chat.js. Customers' pages on any origin load it, hence CORS `*`. The URL in the
// snippet never changes, so the file is not cached "for good": browsers keep it an hour and CDNs a
// day, then revalidate with the ETag; a new Tandem version reaches visitors within that window.
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Context, Next } from 'koa';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const widgetDir = path.join(repoRoot, 'designer', 'widget');
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

function newestMtime(dir: string): number {
  let newest = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) stack.push(full);
      else newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

export function widgetIsStale(file: string = DEFAULT_WIDGET_FILE): boolean {
  if (!existsSync(file)) return true;
  return statSync(file).mtimeMs < Math.max(newestMtime(path.join(widgetDir, 'src')), statSync(path.join(widgetDir, 'vite.config.ts')).mtimeMs);
}

/** Builds the widget when its output is missing or older than its sources (as designer/build.ts does for the app). */
export async function buildWidgetIfStale(): Promise<'built' | 'up-to-date'> {
  if (!widgetIsStale()) return 'up-to-date';
  const { build } = await import('vite');
  await build({ configFile: path.join(widgetDir, 'vite.config.ts'), logLevel: 'warn' });
  if (!existsSync(DEFAULT_WIDGET_FILE)) throw new Error(`vite build finished without ${DEFAULT_WIDGET_FILE}`);
  return 'built';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildWidgetIfStale()
    .then((r) => {
      if (r === 'built') console.error('Built the chat widget (designer/dist-widget/tandem-chat.js).');
    })
    .catch((err: unknown) => {
      if (existsSync(DEFAULT_WIDGET_FILE)) {
        console.error(`Could not rebuild the chat widget (${err instanceof Error ? err.message : String(err)}); serving the existing build.`);
        return;
      }
      console.error(`Could not build the chat widget: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
