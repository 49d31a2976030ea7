// A small fetch wrapper: Bearer token, JSON in and out, and the API's one error shape
// `{error:{code,message,details}}` turned into ApiError so screens can react to codes (409, 403…).
import { i18next } from '../i18n/index.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Readonly<Record<string, unknown>>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface TokenStore {
  get(): string | null;
  set(token: string | null): void;
}

const TOKEN_KEY = 'tandem.token';

export const localTokenStore: TokenStore = {
  get: () => safeStorage()?.getItem(TOKEN_KEY) ?? null,
  set: (token) => {
    const storage = safeStorage();
    if (token === null) storage?.removeItem(TOKEN_KEY);
    else storage?.setItem(TOKEN_KEY, token);
  },
};

export function safeStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null; // storage disabled by the browser's privacy settings
  }
}

export class ApiClient {
  /** Called when the server says the session is gone (401), so the app can show the login page. */
  onUnauthenticated: () => void = () => undefined;

  /** `baseUrl` is empty in the page (same origin); tests and tools running outside it name the node. */
  constructor(
    readonly tokens: TokenStore = localTokenStore,
    readonly baseUrl = '',
  ) {}

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.send<T>(method, path, body)).body;
  }

  /** One page of a paged list: the rows, and how many match in all (the X-Total-Count header). */
  async getPage<T>(path: string): Promise<{ rows: T[]; total: number }> {
    const { body, headers } = await this.send<T[]>('GET', path);
    const rows = Array.isArray(body) ? body : [];
    // A list that is not paged says nothing: its rows are all there is.
    const header = headers.get('x-total-count');
    const total = header === null ? NaN : Number(header);
    return { rows, total: Number.isInteger(total) && total >= 0 ? total : rows.length };
  }

  private async send<T>(method: string, path: string, body?: unknown, extraHeaders: Readonly<Record<string, string>> = {}): Promise<{ body: T; headers: Headers }> {
    const response = await this.fetchOk(method, path, body, extraHeaders);
    return { body: parseBody(await response.text()) as T, headers: response.headers };
  }

  /** The response when it is a success; the API's error (and the 401 hook) otherwise. */
  private async fetchOk(method: string, path: string, body: unknown, extraHeaders: Readonly<Record<string, string>>): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    const token = this.tokens.get();
    if (token !== null) headers.authorization = `Bearer ${token}`;
    let payload: string | undefined;
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await fetch(this.baseUrl + path, { method, headers, body: payload });
    } catch (error) {
      throw new ApiError(0, 'NETWORK', `The server cannot be reached (${error instanceof Error ? error.message : String(error)})`, {});
    }
    if (!response.ok) {
      const error = toApiError(response.status, parseBody(await response.text()));
      if (response.status === 401 && path !== '/api/auth/login') this.onUnauthenticated();
      throw error;
    }
    return response;
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path);
  }
  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, body);
  }
  put<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('PUT', path, body);
  }
  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** GET of an editable resource with its version (the ETag), to send back when saving it. */
  async getVersioned<T>(path: string): Promise<{ body: T; etag: string | null }> {
    const { body, headers } = await this.send<T>('GET', path);
    return { body, etag: headers.get('etag') };
  }

  /** PATCH; with `etag` the server refuses (409 CONFLICT) when someone else saved since it was read. */
  async patch<T>(path: string, body: unknown, etag?: string | null): Promise<{ body: T; etag: string | null }> {
    const answer = await this.send<T>('PATCH', path, body, etag ? { 'if-match': etag } : {});
    return { body: answer.body, etag: answer.headers.get('etag') };
  }

  /** A file the API makes (a CSV export), fetched with the session's token, which a plain link would not carry. */
  async download(path: string): Promise<Blob> {
    return (await this.fetchOk('GET', path, undefined, { accept: '*/*' })).blob();
  }
}

/** JSON when it is JSON, the text otherwise, nothing for an empty body. */
function parseBody(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export function toApiError(status: number, body: unknown): ApiError {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const e = (body as { error: unknown }).error;
    if (typeof e === 'object' && e !== null) {
      const record = e as Record<string, unknown>;
      const details = typeof record.details === 'object' && record.details !== null ? (record.details as Record<string, unknown>) : {};
      return new ApiError(status, String(record.code ?? 'ERROR'), String(record.message ?? `HTTP ${status}`), details);
    }
  }
  if (status === 413) return new ApiError(status, 'PAYLOAD_TOO_LARGE', i18next.t('common.errors.tooLarge'), {});
  return new ApiError(status, `HTTP_${status}`, i18next.t('common.errors.status', { status }), {});
}

/** A message for people, whatever was thrown. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.details.fields;
    if (Array.isArray(fields) && fields.length > 0 && error.code === 'VALIDATION_FAILED') {
      const list = fields
        .slice(0, 5)
        .map((f) => (typeof f === 'object' && f !== null ? `${String((f as { field?: unknown }).field)}: ${String((f as { message?: unknown }).message)}` : String(f)))
        .join('; ');
      return `${error.message} (${list}${fields.length > 5 ? '; …' : ''})`;
    }
    return error.message;
  }
  return error instanceof Error ? error.message : String(error);
}
