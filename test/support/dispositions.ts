// Dispositions for tests that set up a chat website: before the catalogue a website carried its own
// list; now the list is the website's first-level dispositions, created through the catalogue's API.
import { expect } from 'chai';
import type { ApiClient, ApiResponse } from './tandem.ts';

/** Creates `names` as first-level dispositions of the website, in order. */
export async function websiteDispositions(client: ApiClient, token: string, websiteId: number, names: readonly string[]): Promise<void> {
  for (const name of names) {
    const r = await client.post('/api/dispositions', { name, scope: 'website', websiteId }, token);
    expect(r.status, r.text).to.equal(201);
  }
}

/** POST /api/chat/websites with a body that may list `dispositions`: they go to the catalogue once the website exists. */
export async function postWebsite<T extends { id: number }>(client: ApiClient, token: string, body: Record<string, unknown>): Promise<ApiResponse<T>> {
  const { dispositions, ...website } = body;
  const created = await client.post<T>('/api/chat/websites', website, token);
  if (created.status === 201 && Array.isArray(dispositions)) await websiteDispositions(client, token, created.body.id, dispositions as string[]);
  return created;
}
