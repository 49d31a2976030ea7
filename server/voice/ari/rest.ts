/**
 * The ARI REST half: Node's fetch, HTTP Basic auth, per-request timeout, typed errors, zod-checked
 * bodies. Query strings are written the way the captures show them (`Local%2F700%40ari-test`,
 * but `channel=a,b` and `eventSource=channel:x` with `,` and `:` left as they are).
 */
import type { z } from 'zod';
import { AriProtocolError, AriTimeoutError, AriUnreachableError, errorFromHttp } from './errors.ts';
import type { VoiceLogger } from '../logger.ts';

export type QueryValue = string | number | boolean | undefined;

export interface AriRestOptions {
  /** e.g. `http://127.0.0.1:8088` (the `/ari` prefix is added here). */
  readonly baseUrl: string;
  readonly username: string;
  readonly password: string;
  readonly timeoutMs: number;
  readonly logger: VoiceLogger;
}

export function encodeQuery(query: Readonly<Record<string, QueryValue>>): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    const encoded = encodeURIComponent(String(value)).replace(/%2C/gi, ',').replace(/%3A/gi, ':');
    parts.push(`${encodeURIComponent(key)}=${encoded}`);
  }
  return parts.length > 0 ? `?${parts.join('&')}` : '';
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
}

export class AriRest {
  readonly #base: string;
  readonly #auth: string;
  readonly #timeoutMs: number;
  readonly #log: VoiceLogger;

  constructor(options: AriRestOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#auth = basicAuth(options.username, options.password);
    this.#timeoutMs = options.timeoutMs;
    this.#log = options.logger;
  }

  /** Sends one request; returns the parsed body (schema) or undefined for 204. */
  async call<S extends z.ZodType>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    path: string,
    options: { query?: Readonly<Record<string, QueryValue>>; body?: unknown; schema?: S; timeoutMs?: number } = {},
  ): Promise<z.infer<S> | undefined> {
    const target = `/ari${path}${encodeQuery(options.query ?? {})}`;
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const headers: Record<string, string> = { Authorization: this.#auth, Accept: 'application/json' };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${this.#base}${target}`, {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError')) {
        throw new AriTimeoutError(`${method} ${path}`, timeoutMs);
      }
      const cause = err instanceof Error ? (err.cause as { code?: string } | undefined) : undefined;
      throw new AriUnreachableError(`${method} ${path}`, cause?.code, { cause: err });
    }
    const text = await response.text();
    // Path only, never the query or the auth header: queries carry caller ids and variables.
    this.#log.debug({ method, path, status: response.status }, 'ARI request');
    if (!response.ok) throw errorFromHttp(response.status, method, path, text);
    if (!options.schema || response.status === 204 || text === '') return undefined;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AriProtocolError(`ARI ${method} ${path}: reply is not JSON`);
    }
    const parsed = options.schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new AriProtocolError(`ARI ${method} ${path}: unexpected reply (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})`);
    }
    return parsed.data;
  }
}
