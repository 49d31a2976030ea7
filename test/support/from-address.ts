// Requests from another client address: every 127.x.y.z is loopback on Linux, so binding the
// client socket to 127.0.0.2 makes the server see a second machine, with no proxy and no header.
import http from 'node:http';
import type { ApiResponse } from './tandem.ts';

export interface FromAddressOptions {
  token?: string;
  headers?: Record<string, string>;
}

export function requestFrom<T = unknown>(localAddress: string, baseUrl: string, method: string, path: string, body?: unknown, opts: FromAddressOptions = {}): Promise<ApiResponse<T>> {
  const url = new URL(path, baseUrl);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (payload !== undefined) headers['content-type'] = 'application/json';
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, localAddress, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
        const parsed = h.get('content-type')?.includes('json') && text ? (JSON.parse(text) as T) : (text as T);
        resolve({ status: res.statusCode ?? 0, body: parsed, text, headers: h });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** A client bound to one source address. */
export function clientFrom(localAddress: string, baseUrl: string) {
  return {
    post: <T = unknown>(path: string, body?: unknown, opts?: FromAddressOptions) => requestFrom<T>(localAddress, baseUrl, 'POST', path, body, opts),
    get: <T = unknown>(path: string, opts?: FromAddressOptions) => requestFrom<T>(localAddress, baseUrl, 'GET', path, undefined, opts),
    login: (username: string, password: string, opts?: FromAddressOptions) => requestFrom<{ token: string }>(localAddress, baseUrl, 'POST', '/api/auth/login', { username, password }, opts),
  };
}
