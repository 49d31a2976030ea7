// server/http/web.ts on its own: files from the dist folder with the right types and caching, the
// SPA fallback, nothing outside the folder, API and socket.io paths left alone, a clear page
// when the app was not built.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { expect } from 'chai';
import Koa from 'koa';
import { webApp } from '../../server/http/web.ts';

async function serve(distDir: string): Promise<{ url: string; close: () => Promise<void> }> {
  const app = new Koa();
  app.use(webApp({ distDir }));
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = { error: { code: 'ROUTE_NOT_FOUND' } };
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * A raw request: paths with `..` reach the server unnormalised, and no header is added (fetch adds
 * `cache-control: no-cache` to conditional requests, which rightly disables 304s).
 */
function rawGet(url: string, target: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = http.request({ hostname, port, path: target, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** The bytes as sent (no decoding), with the response headers. */
function rawBytes(url: string, target: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = http.request({ hostname, port, path: target, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Some 40 KB of script shaped like a bundle (repeated identifiers and structure, as minified code has). */
const BUNDLE = Array.from({ length: 400 }, (_, i) => `function component${i}(props){return createElement("div",{className:"row-${i % 17}",onClick:()=>props.select(${i})},props.label)}\n`).join('');

describe('web app middleware (server/http/web.ts)', () => {
  let root: string;
  let dist: string;
  let server: { url: string; close: () => Promise<void> };

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'tandem-web-'));
    dist = path.join(root, 'dist');
    mkdirSync(path.join(dist, 'assets'), { recursive: true });
    writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>app</title>');
    writeFileSync(path.join(dist, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dist, 'assets', 'index-abc123.css'), 'body{}');
    writeFileSync(path.join(dist, 'assets', 'bundle-def456.js'), BUNDLE);
    writeFileSync(path.join(root, 'secret.txt'), 'not for the web');
    server = await serve(dist);
  });
  after(async () => {
    await server?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves hashed assets with their type, cached for good', async () => {
    const js = await fetch(`${server.url}/assets/index-abc123.js`);
    expect(js.status).to.equal(200);
    expect(js.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(js.headers.get('cache-control')).to.equal('public, max-age=31536000, immutable');
    expect(await js.text()).to.equal('console.log(1)');
    const css = await fetch(`${server.url}/assets/index-abc123.css`);
    expect(css.headers.get('content-type')).to.equal('text/css; charset=utf-8');
  });

  it('compresses a script for a browser that accepts it, and keeps the file\'s validator', async () => {
    const plain = await rawBytes(server.url, '/assets/bundle-def456.js', {});
    expect(plain.headers['content-encoding']).to.equal(undefined);
    expect(plain.bytes.toString()).to.equal(BUNDLE);
    expect(Number(plain.headers['content-length'])).to.equal(Buffer.byteLength(BUNDLE));

    const br = await rawBytes(server.url, '/assets/bundle-def456.js', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).to.equal(200);
    expect(br.headers['content-encoding']).to.equal('br');
    expect(br.headers.vary).to.match(/accept-encoding/i);
    expect(br.headers['cache-control']).to.equal('public, max-age=31536000, immutable');
    expect(br.headers.etag).to.equal(plain.headers.etag);
    expect(br.bytes.length).to.be.below(Buffer.byteLength(BUNDLE) / 4);
    expect(brotliDecompressSync(br.bytes).toString()).to.equal(BUNDLE);

    const gzip = await rawBytes(server.url, '/assets/bundle-def456.js', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).to.equal('gzip');
    expect(gzip.bytes.length).to.be.below(Buffer.byteLength(BUNDLE) / 4);
    expect(gunzipSync(gzip.bytes).toString()).to.equal(BUNDLE);

    // The browser revalidates with the validator it was given: unchanged, whatever the encoding.
    const again = await rawBytes(server.url, '/assets/bundle-def456.js', { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    expect(again.status).to.equal(304);
    expect(again.bytes.length).to.equal(0);
  });

  it('answers app routes with index.html (revalidated, with a CSP), and 304 when unchanged', async () => {
    for (const route of ['/', '/ivr', '/ivr/projects/5f0c0e5e-0000-4000-8000-000000000000', '/login?next=/ivr']) {
      const res = await fetch(server.url + route);
      expect(res.status, route).to.equal(200);
      expect(res.headers.get('content-type')).to.equal('text/html; charset=utf-8');
      expect(res.headers.get('cache-control')).to.equal('no-cache');
      expect(res.headers.get('content-security-policy')).to.contain("script-src 'self'");
      expect(await res.text()).to.contain('<title>app</title>');
    }
    const first = await fetch(`${server.url}/ivr`);
    const again = await rawGet(server.url, '/ivr', { 'if-none-match': first.headers.get('etag')! });
    expect(again.status).to.equal(304);
    expect(again.body).to.equal('');
    const head = await fetch(`${server.url}/ivr`, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(await head.text()).to.equal('');
  });

  it('leaves /api, /socket.io, other methods and missing assets to the next handler', async () => {
    for (const route of ['/api/anything', '/api', '/socket.io/?EIO=4', '/assets/gone-123.js', '/favicon.ico']) {
      const res = await fetch(server.url + route);
      expect(res.status, route).to.equal(404);
      expect(await res.json()).to.deep.equal({ error: { code: 'ROUTE_NOT_FOUND' } });
    }
    expect((await fetch(`${server.url}/ivr`, { method: 'POST' })).status).to.equal(404);
  });

  it('never serves a file outside the dist folder', async () => {
    for (const target of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/assets/%2e%2e%2f%2e%2e%2fsecret.txt', '/%00', '/%E0%A4%A']) {
      const res = await rawGet(server.url, target);
      expect(res.body, target).to.not.contain('not for the web');
    }
  });

  it('says clearly that the app is not built when dist is missing', async () => {
    const empty = await serve(path.join(root, 'no-dist'));
    try {
      const res = await fetch(`${empty.url}/ivr`);
      expect(res.status).to.equal(503);
      expect(await res.text()).to.contain('npm run build:designer');
      expect((await fetch(`${empty.url}/api/x`)).status).to.equal(404);
    } finally {
      await empty.close();
    }
  });
});
