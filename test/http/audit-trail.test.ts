// GET /api/audit as the Tools → Audit trail page reads it: newest first, filtered by actor (a
// username, or 'system'), by the beginning of the action, by subject and by a time range, paged with
// X-Total-Count; a bad filter is a 400 naming it; only administrators read it. Chat websites are
// audited when created, changed and deleted.
import { expect } from 'chai';
import { startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';
import type { AuditEntry } from '../../contracts/audit.ts';

describe('audit trail API (GET /api/audit)', function () {
  this.timeout(60_000);
  let node: TestNode;
  let websiteId: number;
  const SUP = { username: `audit.sup.${process.pid}`, password: 'Audit-Sup3rvisor' };

  const trail = async (query: string) => {
    const res = await node.client.get<AuditEntry[]>(`/api/audit?${query}`, node.adminToken);
    expect(res.status, res.text).to.equal(200);
    return { entries: res.body, total: Number(res.headers.get('x-total-count')) };
  };

  before(async () => {
    node = await startTestNode('postgres');
    const site = await node.client.post<{ id: number }>('/api/chat/websites', { name: 'Audited shop' }, node.adminToken);
    expect(site.status, site.text).to.equal(201);
    websiteId = site.body.id;
    expect((await node.client.patch(`/api/chat/websites/${websiteId}`, { appearance: { color: '#004d40' } }, node.adminToken)).status).to.equal(200);
    const sup = await node.client.post('/api/users', { role: 'supervisor', username: SUP.username, fullName: 'Audit Sup', password: SUP.password, permissions: { chat: 'read-edit' } }, node.adminToken);
    expect(sup.status, sup.text).to.equal(201);
    expect((await node.client.patch('/api/settings', { maxOpenTabs: 3 }, node.adminToken)).status).to.equal(200);
  });
  after(async () => node?.stop());

  it('lists newest first, with the actor named and the total in X-Total-Count', async () => {
    const all = await trail('');
    expect(all.total).to.equal(all.entries.length);
    expect(all.entries[0]!.action).to.equal('settings.updated');
    const ids = all.entries.map((e) => e.id);
    expect(ids).to.deep.equal([...ids].sort((a, b) => b - a));
    expect(all.entries[0]!.actorName).to.equal('admin');
    expect(Number.isNaN(Date.parse(all.entries[0]!.at))).to.equal(false);
  });

  it('filters by the beginning of the action and by subject, and audits website changes', async () => {
    const sites = await trail('action=chat-website.');
    expect(sites.entries.map((e) => e.action)).to.deep.equal(['chat-website.updated', 'chat-website.created']);
    expect(sites.entries.every((e) => e.subject === `chat-website:${websiteId}`)).to.equal(true);
    expect(sites.entries[1]!.details).to.deep.equal({ name: 'Audited shop' });
    expect(sites.entries[0]!.details).to.deep.equal({ fields: ['appearance'] });
    expect(sites.total).to.equal(2);
    // A prefix, not a pattern: % and _ are plain characters.
    expect((await trail('action=%25')).total).to.equal(0);
    const bySubject = await trail(`subject=chat-website:${websiteId}`);
    expect(bySubject.total).to.equal(2);
    expect((await trail(`subject=chat-website:${websiteId + 1000}`)).total).to.equal(0);
  });

  it('filters by actor: a username in any case, or system', async () => {
    const admin = await trail('actor=ADMIN');
    expect(admin.total).to.be.greaterThan(0);
    expect(admin.entries.every((e) => e.actorName === 'admin')).to.equal(true);
    const system = await trail('actor=system');
    expect(system.entries.every((e) => e.actorId === null)).to.equal(true);
    expect(system.entries.some((e) => e.action === 'admin.bootstrap')).to.equal(true);
    expect((await trail('actor=nobody-here')).total).to.equal(0);
  });

  it('filters by a time range, and pages', async () => {
    const all = await trail('');
    const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    expect((await trail(`from=${encodeURIComponent(hourAgo)}&to=${encodeURIComponent(inAnHour)}`)).total).to.equal(all.total);
    expect((await trail(`to=${encodeURIComponent(hourAgo)}`)).total).to.equal(0);
    expect((await trail(`from=${encodeURIComponent(inAnHour)}`)).total).to.equal(0);

    const first = await trail('limit=2');
    const second = await trail('limit=2&offset=2');
    expect(first.total).to.equal(all.total);
    expect(first.entries.map((e) => e.id)).to.deep.equal(all.entries.slice(0, 2).map((e) => e.id));
    expect(second.entries.map((e) => e.id)).to.deep.equal(all.entries.slice(2, 4).map((e) => e.id));
    // Paging by id, as before, still works.
    expect((await trail(`before=${all.entries[0]!.id}&limit=1`)).entries[0]!.id).to.equal(all.entries[1]!.id);
  });

  it('refuses a bad filter with a 400 naming it, and anyone but an administrator', async () => {
    const bad = async (query: string, field: string) => {
      const res = await node.client.get<ErrorBody>(`/api/audit?${query}`, node.adminToken);
      expect(res.status, query).to.equal(400);
      expect(res.body.error.details.fields?.map((f) => f.field), query).to.include(field);
    };
    await bad('from=yesterday', 'from');
    await bad(`from=${encodeURIComponent('2026-02-01T00:00:00Z')}&to=${encodeURIComponent('2026-01-01T00:00:00Z')}`, 'to');
    await bad('limit=0', 'limit');
    await bad('offset=-1', 'offset');
    await bad('colour=red', '(body)');
    const supToken = await node.client.login(SUP.username, SUP.password);
    expect((await node.client.get('/api/audit', supToken)).status).to.equal(403);
    expect((await node.client.get('/api/audit')).status).to.equal(401);
  });
});
