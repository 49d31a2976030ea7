// The size of each chunk of the web app's build (designer/dist/assets), raw, gzipped and as the node
// serves it (brotli, koa-compress's first choice for browsers), and which
// of them the first page load fetches (those index.html names: the entry and its preloads); the rest
// load on demand (React.lazy). `npm run size:designer` after a build; the admin-shell bench prints it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants as zlib, gzipSync } from 'node:zlib';

const distDir = fileURLToPath(new URL('./dist', import.meta.url));

export interface Chunk {
  readonly file: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Brotli at koa-compress's default quality (4): the bytes a browser receives from the node. */
  readonly brotliBytes: number;
  /** Fetched by the first load of any page (named by index.html), not on demand. */
  readonly initial: boolean;
}

export function chunks(dist: string = distDir): Chunk[] {
  const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
  const named = new Set([...html.matchAll(/(?:src|href)="\/assets\/([^"]+)"/g)].map((m) => m[1]));
  const assets = path.join(dist, 'assets');
  return readdirSync(assets)
    .filter((f) => f.endsWith('.js') || f.endsWith('.css'))
    .map((file) => {
      const content = readFileSync(path.join(assets, file));
      const brotliBytes = brotliCompressSync(content, { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } }).length;
      return { file, bytes: statSync(path.join(assets, file)).size, gzipBytes: gzipSync(content).length, brotliBytes, initial: named.has(file) };
    })
    .sort((a, b) => Number(b.initial) - Number(a.initial) || b.bytes - a.bytes);
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;

export function describeChunks(list: readonly Chunk[]): string {
  const lines = list.map((c) => `${c.initial ? 'first load' : 'on demand '}  ${kb(c.bytes).padStart(9)}  gzip ${kb(c.gzipBytes).padStart(8)}  served (br) ${kb(c.brotliBytes).padStart(8)}  ${c.file}`);
  const first = list.filter((c) => c.initial);
  const sum = (l: readonly Chunk[], k: 'bytes' | 'gzipBytes' | 'brotliBytes') => l.reduce((a, c) => a + c[k], 0);
  const sizes = (l: readonly Chunk[]) => `${kb(sum(l, 'bytes'))} (gzip ${kb(sum(l, 'gzipBytes'))}, served ${kb(sum(l, 'brotliBytes'))})`;
  lines.push(`first load: ${first.length} files, ${sizes(first)}; all chunks: ${list.length} files, ${sizes(list)}`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(describeChunks(chunks()));
