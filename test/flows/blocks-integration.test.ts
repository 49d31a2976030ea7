import { expect } from 'chai';
import { ops, runBlock } from './helpers.ts';
import type { HttpRequest } from '../../flows/services.ts';

function lastHttp(sim: Awaited<ReturnType<typeof runBlock>>): HttpRequest {
  return sim.services.requests.filter((r) => r.service === 'http').at(-1)!.detail as HttpRequest;
}

describe('flows/blocks: integration', () => {
  describe('HttpRequest', () => {
    const json = (body: unknown, status = 200) => () => ({ status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    it('GETs, parses JSON and maps fields into variables', async () => {
      const sim = await runBlock(
        {
          type: 'HttpRequest',
          params: {
            url: 'https://crm.example.com/customers?phone={CALLERID(num)}',
            statusVariable: 'STATUS',
            responseVariable: 'BODY',
            mappings: [
              { variable: 'NAME', path: 'customer.name' },
              { variable: 'FIRST_ORDER', path: 'orders[0].id' },
              { variable: 'MISSING', path: 'customer.__proto__' },
            ],
          },
        },
        { services: { http: json({ customer: { name: 'Ada' }, orders: [{ id: 'o-1' }] }) } },
      );
      expect(sim.exit).to.equal('success');
      expect(lastHttp(sim).url).to.equal('https://crm.example.com/customers?phone=%2B390212345678');
      expect(sim.result.variables).to.deep.include({ STATUS: 200, NAME: 'Ada', FIRST_ORDER: 'o-1', MISSING: null });
      expect(sim.result.variables['BODY']).to.deep.equal({ customer: { name: 'Ada' }, orders: [{ id: 'o-1' }] });
    });

    it('escapes variables inside a JSON body so caller input cannot change its structure', async () => {
      const sim = await runBlock({
        type: 'HttpRequest',
        params: { method: 'POST', url: 'https://x.example.com/r', body: '{"note": "{NOTE}", "n": {N}}' },
        variables: { NOTE: { default: 'a", "admin": true, "x": "\n' }, N: { default: 5 } },
      });
      const request = lastHttp(sim);
      expect(JSON.parse(request.body!)).to.deep.equal({ note: 'a", "admin": true, "x": "\n', n: 5 });
      expect(request.headers).to.deep.equal({ 'content-type': 'application/json' });
    });

    it('non-2xx is error; the status is still kept', async () => {
      const sim = await runBlock({ type: 'HttpRequest', params: { url: 'https://x.example.com', statusVariable: 'S' } }, { services: { http: json({}, 503) } });
      expect(sim.exit).to.equal('error');
      expect(sim.result.variables['S']).to.equal(503);
    });

    it('a slow service leaves by timeout (on the flow clock)', async () => {
      const slow = () => ({ status: 200, headers: {}, body: '', delayMs: 10_000 });
      const sim = await runBlock({ type: 'HttpRequest', params: { url: 'https://x.example.com', timeoutSec: 2 } }, { services: { http: slow } });
      expect(sim.exit).to.equal('timeout');
      expect(sim.entry!.durationMs).to.equal(2000);
    });

    it('a failing service is error, with the reason in the trace', async () => {
      const sim = await runBlock({ type: 'HttpRequest', params: { url: 'https://x.example.com' } }, { services: { failing: ['http'] } });
      expect(sim.exit).to.equal('error');
      expect(sim.entry!.logs).to.deep.equal(['warn: HTTP request failed: http service unavailable (simulated)']);
    });

    it('refuses non-http URLs and header values with line breaks', async () => {
      const file = await runBlock({ type: 'HttpRequest', params: { url: '{U}' }, variables: { U: { default: 'file:///etc/passwd' } } });
      expect(file.exit).to.equal('error');
      const header = await runBlock({ type: 'HttpRequest', params: { url: 'https://x.example.com', headers: [{ name: 'X-Caller', value: '{V}' }] }, variables: { V: { default: 'a\r\nX-Admin: 1' } } });
      expect(header.exit).to.equal('error');
      expect(header.services.requests).to.deep.equal([]);
    });

    it('without an http service the block fails through its error exit', async () => {
      const sim = await runBlock({ type: 'HttpRequest', params: { url: 'https://x.example.com' } }, { services: { missing: ['http'] } });
      expect(sim.exit).to.equal('error');
    });
  });

  describe('Database', () => {
    it('runs parameterised SQL and stores rows as a matrix with a row count', async () => {
      const sim = await runBlock(
        { type: 'Database', params: { connection: 'crm', sql: 'select name, tier from customers where phone = $1', params: ['{CALLERID(num)}'], columnsVariable: 'COLS' } },
        { services: { database: () => ({ columns: ['name', 'tier'], rows: [['Ada', 'gold'], ['Bob', 'silver']] }) } },
      );
      expect(sim.exit).to.equal('success');
      expect(sim.result.variables).to.deep.include({ DB_ROWS: [['Ada', 'gold'], ['Bob', 'silver']], DB_ROWCOUNT: 2, COLS: ['name', 'tier'] });
      expect(sim.services.requests[0]!.detail).to.deep.include({ connection: 'crm', params: ['+390212345678'] });
    });

    it('a failing query is error', async () => {
      const sim = await runBlock({ type: 'Database', params: { connection: 'crm', sql: 'select 1' } }, { services: { failing: ['database'] } });
      expect(sim.exit).to.equal('error');
    });
  });

  describe('SendMail and SendSms', () => {
    it('sends mail with variables', async () => {
      const sim = await runBlock({ type: 'SendMail', params: { account: 'support', to: 'a@example.com; b@example.com', subject: 'Call from {CALLERID(num)}', text: 'Menu: {M}' }, variables: { M: { default: '2' } } });
      expect(sim.exit).to.equal('success');
      expect(sim.services.mails).to.deep.equal([{ account: 'support', to: ['a@example.com', 'b@example.com'], cc: [], subject: 'Call from +390212345678', text: 'Menu: 2' }]);
    });

    it('refuses bad addresses and header injection; service failures are error', async () => {
      expect((await runBlock({ type: 'SendMail', params: { account: 'a', to: 'not-an-address' } })).exit).to.equal('error');
      expect((await runBlock({ type: 'SendMail', params: { account: 'a', to: 'a@example.com', subject: '{S}' }, variables: { S: { default: 'x\nBcc: all@example.com' } } })).exit).to.equal('error');
      expect((await runBlock({ type: 'SendMail', params: { account: 'a', to: 'a@example.com' } }, { services: { failing: ['mail'] } })).exit).to.equal('error');
    });

    it('sends an SMS to the caller by default', async () => {
      const sim = await runBlock({ type: 'SendSms', params: { account: 'twilio', text: 'Your code is {CODE}' }, variables: { CODE: { default: '1234' } } });
      expect(sim.exit).to.equal('success');
      expect(sim.services.sms).to.deep.equal([{ account: 'twilio', to: '+390212345678', text: 'Your code is 1234' }]);
      expect((await runBlock({ type: 'SendSms', params: { account: 'twilio', to: 'x', text: 'hi' } })).exit).to.equal('error');
    });
  });

  describe('Tag', () => {
    it('tags the interaction; a failure is logged and the flow goes on', async () => {
      const sim = await runBlock({ type: 'Tag', params: { tags: ['ivr', 'lang-{L}', '{EMPTY}'] }, variables: { L: { default: 'it' }, EMPTY: { default: '' } } });
      expect(sim.exit).to.equal('next');
      expect(sim.services.tags.get('scripted-1')).to.deep.equal(['ivr', 'lang-it']);
      const failing = await runBlock({ type: 'Tag', params: { tags: ['x'] } }, { services: { failing: ['interactions'] } });
      expect(failing.exit).to.equal('next');
      expect(failing.entry!.logs![0]).to.contain('tagging failed');
    });
  });

  describe('ContactLookup', () => {
    const contacts = [{ id: 'c1', fields: { phone: '+390212345678', name: 'Ada', tier: 'gold' } }];

    it('finds the caller and copies fields', async () => {
      const sim = await runBlock({ type: 'ContactLookup', params: { read: [{ field: 'name', variable: 'NAME' }, { field: 'missing', variable: 'M' }] } }, { services: { contacts } });
      expect(sim.exit).to.equal('found');
      expect(sim.result.variables).to.deep.include({ CONTACT_ID: 'c1', NAME: 'Ada', M: null });
    });

    it('updates fields of the found contact', async () => {
      const sim = await runBlock({ type: 'ContactLookup', params: { mode: 'update', update: [{ field: 'lastIvr', value: '{PROJECT_ID}' }] } }, { services: { contacts } });
      expect(sim.exit).to.equal('found');
      expect(sim.services.contacts.get('c1')!.fields['lastIvr']).to.equal('test-project');
    });

    it('notfound and error', async () => {
      expect((await runBlock({ type: 'ContactLookup', params: { phone: '999' } }, { services: { contacts } })).exit).to.equal('notfound');
      expect((await runBlock({ type: 'ContactLookup', params: {} }, { services: { failing: ['contacts'] } })).exit).to.equal('error');
    });
  });

  describe('System', () => {
    it('is disabled unless an admin enabled it', async () => {
      const sim = await runBlock({ type: 'System', params: { command: 'lookup' } });
      expect(sim.exit).to.equal('failure');
      expect(sim.entry!.logs).to.deep.equal(['warn: System block is disabled on this server (an admin must enable it)']);
      expect(sim.services.requests).to.deep.equal([]);
    });

    it('passes caller input as one argv entry, never through a shell', async () => {
      const sim = await runBlock(
        { type: 'System', params: { command: 'lookup', args: ['--number', '{N}'], outputVariable: 'OUT', exitCodeVariable: 'RC' }, variables: { N: { default: '1; rm -rf / #' } } },
        { services: { systemEnabled: true, system: (c) => ({ exitCode: c.args.length === 2 ? 0 : 1, stdout: c.args[1]! }) } },
      );
      expect(sim.exit).to.equal('success');
      expect(sim.services.requests[0]!.detail).to.deep.include({ command: 'lookup', args: ['--number', '1; rm -rf / #'] });
      expect(sim.result.variables).to.deep.include({ OUT: '1; rm -rf / #', RC: 0 });
    });

    it('a non-zero exit code is failure', async () => {
      const sim = await runBlock({ type: 'System', params: { command: 'x' } }, { services: { systemEnabled: true, system: () => ({ exitCode: 3, stdout: '' }) } });
      expect(sim.exit).to.equal('failure');
    });
  });

  it('integration blocks never touch the call', async () => {
    const sim = await runBlock({ type: 'HttpRequest', params: { url: 'https://x.example.com' } });
    expect(ops(sim)).to.deep.equal([]);
  });
});
