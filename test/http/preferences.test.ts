// Each account's language, locale and time zone: set by its owner (any role, only their own), by an
// administrator for anyone, checked against the shared schema, and returned with the account.
import { expect } from 'chai';
import { okBody, startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';
import { agent } from '../support/world.ts';

interface Me {
  id: number;
  preferences: { language?: string; locale?: string; timeZone?: string };
}

describe('user preferences API', function () {
  let node: TestNode;
  before(async () => {
    node = await startTestNode('postgres');
  });
  after(async () => node?.stop());

  it('an agent sets their own preferences, returned by GET /api/me, and can clear them', async () => {
    const a = await agent(node);
    expect(okBody(await node.client.get<Me>('/api/me', a.token)).preferences).to.deep.equal({});
    const saved = okBody(await node.client.put<{ preferences: Me['preferences'] }>('/api/me/preferences', { language: 'EN', locale: 'en-gb', timeZone: 'Asia/Tokyo' }, a.token));
    expect(saved.preferences).to.deep.equal({ language: 'en', locale: 'en-GB', timeZone: 'Asia/Tokyo' });
    expect(okBody(await node.client.get<Me>('/api/me', a.token)).preferences).to.deep.equal(saved.preferences);
    okBody(await node.client.put('/api/me/preferences', {}, a.token));
    expect(okBody(await node.client.get<Me>('/api/me', a.token)).preferences).to.deep.equal({});
  });

  it('only the caller\'s own account changes: no id is taken from the request', async () => {
    const a = await agent(node);
    const b = await agent(node);
    const refused = await node.client.put<ErrorBody>('/api/me/preferences', { timeZone: 'Europe/Rome', id: b.id }, a.token);
    expect(refused.status).to.equal(400);
    okBody(await node.client.put('/api/me/preferences', { timeZone: 'Europe/Rome' }, a.token));
    expect(okBody(await node.client.get<Me>('/api/me', b.token)).preferences).to.deep.equal({});
    expect((await node.client.put('/api/me/preferences', { timeZone: 'Europe/Rome' })).status).to.equal(401);
  });

  it('a time zone that is not an IANA name is a 400 naming it', async () => {
    const a = await agent(node);
    const res = await node.client.put<ErrorBody>('/api/me/preferences', { timeZone: 'Mars/Olympus_Mons' }, a.token);
    expect(res.status).to.equal(400);
    expect(res.body.error.code).to.equal('VALIDATION_FAILED');
    const field = res.body.error.details.fields?.find((f) => f.field === 'timeZone');
    expect(field?.message).to.contain('Mars/Olympus_Mons');
    const badLocale = await node.client.put<ErrorBody>('/api/me/preferences', { locale: 'not a locale' }, a.token);
    expect(badLocale.body.error.details.fields?.map((f) => f.field)).to.deep.equal(['locale']);
  });

  it('an administrator edits another user\'s preferences; a supervisor cannot', async () => {
    const sup = okBody(await node.client.post<Me>('/api/users', { role: 'supervisor', username: 'prefs.sup', fullName: 'Sup', password: 'Sup-Passw0rd' }, node.adminToken), 201);
    const changed = okBody(await node.client.patch<Me>(`/api/users/${sup.id}`, { preferences: { locale: 'it-IT', timeZone: 'Europe/Rome' } }, node.adminToken));
    expect(changed.preferences).to.deep.equal({ locale: 'it-IT', timeZone: 'Europe/Rome' });
    const supToken = await node.client.login('prefs.sup', 'Sup-Passw0rd');
    expect(okBody(await node.client.get<Me>('/api/me', supToken)).preferences).to.deep.equal({ locale: 'it-IT', timeZone: 'Europe/Rome' });
    const bad = await node.client.patch<ErrorBody>(`/api/users/${sup.id}`, { preferences: { timeZone: 'Nowhere/Land' } }, node.adminToken);
    expect(bad.status).to.equal(400);
    expect(bad.body.error.details.fields?.[0]?.field).to.equal('preferences.timeZone');
    const admin = okBody(await node.client.get<Me>('/api/me', node.adminToken));
    expect((await node.client.patch(`/api/users/${admin.id}`, { preferences: { timeZone: 'UTC' } }, supToken)).status).to.equal(403);
    // The supervisor's own change keeps the session: preferences are no credential.
    okBody(await node.client.put('/api/me/preferences', { language: 'en' }, supToken));
    expect(okBody(await node.client.get<Me>('/api/me', supToken)).preferences).to.deep.equal({ language: 'en' });
  });
});
