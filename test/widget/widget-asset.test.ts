// GET /chat/tandem-chat.js as the Tandem server answers it (server/http/widget-asset.ts).
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { request, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { widgetAsset } from '../../server/http/widget-asset.ts';

async function serve(file: string): Promise<{ url: string; server: Server }> {
  const app = new Koa();
  app.use(widgetAsset({ file }));
  app.use((ctx) => {
    ctx.status = 404;
    ctx.body = 'next';
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

/** A plain GET: fetch() adds `Cache-Control: no-cache` to conditional requests, which defeats the 304. */
function get(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('widget asset route', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-widget-'));
  const file = path.join(dir, 'tandem-chat.js');
  let server: Server;
  let url: string;
  before(async () => {
    writeFileSync(file, '(function(){})();\n');
    ({ server, url } = await serve(file));
  });
  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the script to any origin with cache validators', async () => {
    const res = await fetch(`${url}/chat/tandem-chat.js`, { headers: { Origin: 'https://shop.example' } });
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('text/javascript; charset=utf-8');
    expect(res.headers.get('access-control-allow-origin')).to.equal('*');
    expect(res.headers.get('cache-control')).to.match(/max-age=3600/);
    expect(await res.text()).to.equal('(function(){})();\n');
    expect(await get(`${url}/chat/tandem-chat.js`, { 'If-None-Match': res.headers.get('etag') ?? '' })).to.equal(304);
  });

  it('leaves other paths and methods to the next middleware', async () => {
    expect((await fetch(`${url}/chat/other.js`)).status).to.equal(404);
    expect((await fetch(`${url}/chat/tandem-chat.js`, { method: 'POST' })).status).to.equal(404);
  });

  it('says the widget is not built instead of a bare 404', async () => {
    const missing = await serve(path.join(dir, 'missing.js'));
    try {
      const res = await fetch(`${missing.url}/chat/tandem-chat.js`);
      expect(res.status).to.equal(503);
      expect(await res.text()).to.match(/not built/);
    } finally {
      await new Promise((resolve) => missing.server.close(resolve));
    }
  });
});
