// The admin kit's pure parts: the menu and page rules (admin/nav.ts), Intl formatting, and the form helpers against a real node's refusals: the browser's check
// with the contracts' schema and the server's answer put the same message on the same field.
import { expect } from 'chai';
import { ApiClient, ApiError } from '../../designer/src/api/client.ts';
import { adminPageAt, allows, menuFor } from '../../designer/src/admin/nav.ts';
import { formatDateTime, formatNumber } from '../../designer/src/admin/kit/format.ts';
import { checkAgainst, formErrorsOf } from '../../designer/src/admin/kit/forms.tsx';
import { pauseReasonCreateSchema } from '../../contracts/staff.ts';
import { startTestNode, type TestNode } from '../support/tandem.ts';

const admin = { role: 'admin' as const, permissions: {} };
const supervisor = (permissions: Record<string, 'none' | 'read' | 'read-edit' | 'read-edit-delete'>) => ({ role: 'supervisor' as const, permissions });

describe('admin kit', () => {
  describe('navigation rules', () => {
    it('gives an admin every area, and a supervisor only the areas with a page they may read', () => {
      expect(menuFor(admin).map((a) => a.area)).to.deep.equal(['staff', 'voice', 'chat', 'tools']);
      expect(menuFor(supervisor({ realtime: 'read' })).map((a) => a.area)).to.deep.equal(['staff']);
      expect(menuFor(supervisor({ ivr: 'read', settings: 'read' })).map((a) => ({ area: a.area, pages: a.pages.map((p) => p.id) }))).to.deep.equal([
        { area: 'voice', pages: ['voiceIvr'] },
        { area: 'chat', pages: ['chatFlows'] },
        // Settings opens with the settings module; the audit trail is the administrators' only.
        { area: 'tools', pages: ['settings', 'dispositions', 'featureCodes', 'pauseReasons'] },
      ]);
      expect(menuFor({ role: 'agent', permissions: { realtime: 'read' } })).to.deep.equal([]);
    });

    it('resolves /admin addresses to Home, a page or nothing, with or without a trailing slash', () => {
      expect(adminPageAt('/admin')).to.deep.equal({ kind: 'home' });
      expect(adminPageAt('/admin/')).to.deep.equal({ kind: 'home' });
      const page = adminPageAt('/admin/tools/pause-reasons/');
      expect(page.kind === 'page' && page.page.id).to.equal('pauseReasons');
      expect(adminPageAt('/admin/tools')).to.deep.equal({ kind: 'not-found' });
      expect(adminPageAt('/admin/tools/pause-reasons/1')).to.deep.equal({ kind: 'not-found' });
    });

    it('checks a role need and a module need', () => {
      expect(allows(supervisor({ settings: 'read-edit-delete' }), { role: 'admin' })).to.equal(false);
      expect(allows(admin, { role: 'admin' })).to.equal(true);
      expect(allows(supervisor({ settings: 'read' }), { module: 'settings', action: 'edit' })).to.equal(false);
      expect(allows(supervisor({ settings: 'read-edit' }), { module: 'settings', action: 'edit' })).to.equal(true);
    });
  });

  describe('formatting', () => {
    it('formats in the given locale and time zone, and leaves nothing for a missing or invalid date', () => {
      const at = '2026-03-29T00:30:00Z';
      expect(formatDateTime(at, { locale: 'en-GB', timeZone: 'Europe/Rome' })).to.equal('29 Mar 2026, 01:30');
      // Summer time started at 01:00 UTC that night: same instant, other offset an hour later.
      expect(formatDateTime('2026-03-29T01:30:00Z', { locale: 'en-GB', timeZone: 'Europe/Rome' })).to.equal('29 Mar 2026, 03:30');
      expect(formatDateTime(at, { locale: 'en-US', timeZone: 'America/New_York' })).to.equal('Mar 28, 2026, 8:30 PM');
      expect(formatDateTime(null)).to.equal('');
      expect(formatDateTime('not a date')).to.equal('');
      expect(formatNumber(1234567.5, { locale: 'de-DE' })).to.equal('1.234.567,5');
      expect(formatNumber(1234567.5, { locale: 'en-US' })).to.equal('1,234,567.5');
    });
  });

  describe('form errors against a real node', function () {
    this.timeout(60_000);
    let node: TestNode;
    let api: ApiClient;

    before(async () => {
      node = await startTestNode('pglite');
      api = new ApiClient({ get: () => node.adminToken, set: () => undefined }, node.tandem.url);
    });
    after(() => node?.stop());

    const refusal = async (body: unknown): Promise<ApiError> => {
      try {
        await api.post('/api/pause-reasons', body);
      } catch (error) {
        if (error instanceof ApiError) return error;
        throw error;
      }
      throw new Error(`the server accepted ${JSON.stringify(body)}`);
    };

    it('puts the server’s validation message on the field the browser’s check puts it on', async () => {
      const body = { name: '   ', description: 'x'.repeat(501) };
      const server = formErrorsOf(await refusal(body), ['name', 'description']);
      const browser = checkAgainst(pauseReasonCreateSchema, body);
      expect(browser.ok).to.equal(false);
      expect(server.fields).to.have.keys('name', 'description');
      expect(server.form).to.equal(null);
      if (!browser.ok) expect(browser.errors.fields).to.deep.equal(server.fields);
    });

    it('puts a conflict on its field, and what names no field of the form above it', async () => {
      await api.post('/api/pause-reasons', { name: 'Coffee' });
      expect(formErrorsOf(await refusal({ name: 'COFFEE' }), ['name']).fields).to.deep.equal({ name: 'a pause reason with this name already exists' });
      const unknownKey = formErrorsOf(await refusal({ name: 'Tea', colour: 'green' }), ['name']);
      expect(unknownKey.fields).to.deep.equal({});
      expect(unknownKey.form).to.match(/colour|\(body\)/);
      const page = await api.getPage<{ name: string }>('/api/pause-reasons');
      expect(page).to.deep.equal({ rows: [page.rows[0]], total: 1 });
      expect(formErrorsOf(new ApiError(0, 'NETWORK', 'The server cannot be reached', {}), ['name'])).to.deep.equal({ fields: {}, form: 'The server cannot be reached' });
    });
  });
});
