// A customer's web site on its own origin with Tandem's snippet pasted in (?key=<website key>): where
// every browser story of web chat starts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CustomerSite {
  origin: string;
  close(): Promise<void>;
}

export async function startCustomerSite(tandemUrl: string): Promise<CustomerSite> {
  const server = createServer((req, res) => {
    const key = new URL(req.url ?? '/', 'http://x').searchParams.get('key') ?? '';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title></head><body><h1>Shop</h1>
<script src="${tandemUrl}/chat/tandem-chat.js" data-tandem-key="${key.replace(/[^A-Za-z0-9_-]/g, '')}" async></script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve())),
  };
}
