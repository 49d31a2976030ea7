// Global settings carry their version: GET sends it as an ETag, a PATCH made from an older one is
// refused (409, stale) and changes nothing, one without If-Match applies as before. Real node on
// PostgreSQL and on the embedded engine (the advisory lock and the version query run on both).
import { expect } from 'chai';
import { okBody, startTestNode, type ErrorBody, type TestNode } from '../support/tandem.ts';

for (const engine of ['postgres', 'pglite'] as const) {
  describe(`settings versions on ${engine}`, function () {
    this.timeout(60_000);
    let node: TestNode;
    before(async () => {
      node = await startTestNode(engine);
    });
    after(async () => node?.stop());

    const read = async () => {
      const res = await node.client.get<{ maxOpenTabs: number; maxFailedLogins: number }>('/api/settings', node.adminToken);
      return { body: okBody(res), etag: res.headers.get('etag') };
    };
    const patch = (body: unknown, etag?: string | null) =>
      node.client.request<ErrorBody & { maxOpenTabs: number }>('PATCH', '/api/settings', { body, token: node.adminToken, ...(etag ? { headers: { 'if-match': etag } } : {}) });

    it('sends an ETag that each save moves on; a save from an older one is a 409 that changes nothing', async () => {
      const first = await read();
      expect(first.etag).to.match(/^"\d+"$/);
      const saved = await patch({ maxOpenTabs: 4 }, first.etag);
      expect(saved.status, saved.text).to.equal(200);
      const second = saved.headers.get('etag');
      expect(second).to.match(/^"\d+"$/).and.not.equal(first.etag);
      expect((await read()).etag).to.equal(second);

      const stale = await patch({ maxFailedLogins: 9 }, first.etag);
      expect(stale.status).to.equal(409);
      expect(stale.body.error.details.reason).to.equal('stale');
      expect((await read()).body.maxFailedLogins).to.equal(5);

      // Two saves at once from the same version: exactly one wins.
      const racing = await Promise.all([patch({ maxOpenTabs: 5 }, second), patch({ maxOpenTabs: 6 }, second)]);
      expect(racing.map((r) => r.status).sort()).to.deep.equal([200, 409]);

      // Without If-Match (API clients that never read first) the save applies.
      okBody(await patch({ maxOpenTabs: 2 }));
      expect((await read()).body.maxOpenTabs).to.equal(2);
      expect((await patch({ maxOpenTabs: 3 }, 'not-a-version')).status).to.equal(400);
    });

    it('validates with the shared schema and names the field', async () => {
      const res = await patch({ maxFailedLogins: 500 });
      expect(res.status).to.equal(400);
      expect(res.body.error.details.fields?.map((f) => f.field)).to.deep.equal(['maxFailedLogins']);
    });
  });
}
