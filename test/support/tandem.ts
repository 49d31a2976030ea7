// A whole Tandem node on an ephemeral port, over a real database, and a small HTTP client for it.
import { expect } from 'chai';
import { loadConfig, type Config } from '../../server/config.ts';
import { startTandem, type StartOptions, type Tandem } from '../../server/tandem.ts';
import type { Engine } from '../../server/db/database.ts';
import { createTestDatabase, quietLogger, type TestDatabase } from './database.ts';

export const ADMIN_PASSWORD = 'Adm1n-Passw0rd!';

export interface TestNode {
  tandem: Tandem;
  testDb: TestDatabase;
  client: ApiClient;
  /** A session token of the bootstrap administrator. */
  adminToken: string;
  stop(): Promise<void>;
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    TANDEM_PORT: '0',
    FASTAGI_PORT: '0',
    TANDEM_PASSWORD_COST: '10',
    TANDEM_ADMIN_PASSWORD: ADMIN_PASSWORD,
    LOG_LEVEL: 'silent',
    ...env,
  });
}

export async function startTestNode(engine: Engine = 'postgres', env: Record<string, string> = {}, options: Partial<StartOptions> = {}): Promise<TestNode> {
  return startNodeOn(await createTestDatabase(engine), env, options);
}

/** A node on a database that exists already: a restart keeps the data, the node's memory starts empty. */
export async function startNodeOn(testDb: TestDatabase, env: Record<string, string> = {}, options: Partial<StartOptions> = {}): Promise<TestNode> {
  const tandem = await startTandem(testConfig(env), { database: testDb.database, logger: quietLogger(), scheduler: false, ...options });
  const client = new ApiClient(tandem.url);
  const login = await client.post('/api/auth/login', { username: 'admin', password: ADMIN_PASSWORD });
  if (login.status !== 200) throw new Error(`admin login failed: ${login.status} ${JSON.stringify(login.body)}`);
  const adminToken = (login.body as { token: string }).token;
  return {
    tandem,
    testDb,
    client,
    adminToken,
    async stop() {
      await tandem.stop();
      await testDb.drop();
    },
  };
}

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  text: string;
  headers: Headers;
}

export interface ErrorBody {
  error: { code: string; message: string; details: { fields?: { field: string; message: string }[] } & Record<string, unknown> };
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T = unknown>(method: string, path: string, opts: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    let body: string | undefined;
    if (opts.raw !== undefined) {
      body = opts.raw;
      headers['content-type'] ??= 'application/json';
    } else if (opts.body !== undefined) {
      body = JSON.stringify(opts.body);
      headers['content-type'] = 'application/json';
    }
    const res = await fetch(this.baseUrl + path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    if (res.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
    return { status: res.status, body: parsed as T, text, headers: res.headers };
  }

  get<T = unknown>(path: string, token?: string) {
    return this.request<T>('GET', path, { token });
  }
  post<T = unknown>(path: string, body?: unknown, token?: string) {
    return this.request<T>('POST', path, { body, token });
  }
  patch<T = unknown>(path: string, body?: unknown, token?: string) {
    return this.request<T>('PATCH', path, { body, token });
  }
  put<T = unknown>(path: string, body?: unknown, token?: string) {
    return this.request<T>('PUT', path, { body, token });
  }
  delete<T = unknown>(path: string, token?: string) {
    return this.request<T>('DELETE', path, { token });
  }

  async login(username: string, password: string): Promise<string> {
    const res = await this.post<{ token: string }>('/api/auth/login', { username, password });
    if (res.status !== 200) throw new Error(`login of ${username} failed: ${res.status} ${res.text}`);
    return res.body.token;
  }
}

/** A valid agent body with a unique username. */
let seq = 0;
export function agentBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  seq++;
  return { fullName: `Agent ${seq}`, username: `agent.${process.pid}_${seq}`, password: 'Agent-Pass1', ...overrides };
}

/** The body of an answer that must have `status` (200 unless said); a failing check shows the answer's text. */
export function okBody<T>(res: ApiResponse<T>, status = 200): T {
  expect(res.status, res.text).to.equal(status);
  return res.body;
}
