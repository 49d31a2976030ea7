// Hot-desk phone selection, per XCALLY's hot-desk rules (server/acd/routing/hotdesk.ts states them).
import { expect } from 'chai';
import { hotdeskCallUserId, hotdeskChoices, RoutingInputError, type HotdeskPhone } from '../../../server/acd/routing/index.ts';
import { agent } from './helpers.ts';

const me = { id: 1, typology: 'external' as const, hotdesk: true };
const phone = (id: number, device: HotdeskPhone['device'] = 'registered', heldBy: number | null = null): HotdeskPhone => ({ id, name: `desk-${id}`, device, heldBy });
const ids = (phones: readonly HotdeskPhone[]) => phones.map((p) => p.id);

describe('acd routing: hot-desk phone selection (XCALLY rules)', () => {
  it('XCALLY "select one of the available registered telephones": free registered phones are listed, in order', () => {
    const r = hotdeskChoices([phone(501), phone(502, 'inuse'), phone(503, 'ringing')], [], me);
    expect(ids(r.phones)).to.deep.equal([501, 502, 503]);
    expect(r.noneRegistered).to.equal(false);
    expect(r.excluded).to.deep.equal([]);
  });

  it('XCALLY "It is already in use by another agent": held by, or chosen by, a logged-in agent', () => {
    const agents = [agent(2, { hotdeskPhoneId: 502 }), agent(3)];
    const r = hotdeskChoices([phone(501), phone(502), phone(503, 'registered', 3)], agents, me);
    expect(ids(r.phones)).to.deep.equal([501]);
    expect(r.excluded).to.deep.equal([
      { phoneId: 502, reason: 'used-by-another-agent', agentId: 2 },
      { phoneId: 503, reason: 'used-by-another-agent', agentId: 3 },
    ]);
  });

  it('XCALLY "marked as busy due to an agent not logging out correctly": still held by a logged-out (or unknown) agent', () => {
    const agents = [agent(4, { loggedIn: false }), agent(5, { loggedIn: false, hotdeskPhoneId: 503 })];
    const r = hotdeskChoices([phone(501), phone(502, 'registered', 4), phone(503), phone(504, 'registered', 99)], agents, me);
    expect(ids(r.phones)).to.deep.equal([501]);
    expect(r.excluded.map((x) => [x.phoneId, x.reason, x.agentId])).to.deep.equal([
      [502, 'stuck-busy', 4],
      [503, 'stuck-busy', 5],
      [504, 'stuck-busy', 99],
    ]);
  });

  it('XCALLY "not registered in the Asterisk system": unavailable, invalid and unknown phones are left out', () => {
    const r = hotdeskChoices([phone(501, 'unavailable'), phone(502, 'invalid'), phone(503, 'unknown'), phone(504)], [], me);
    expect(ids(r.phones)).to.deep.equal([504]);
    expect(r.excluded.map((x) => x.reason)).to.deep.equal(['not-registered', 'not-registered', 'not-registered']);
  });

  it('XCALLY "If no telephones are connected, the agent can view and select all telephones"', () => {
    const phones = [phone(501, 'unavailable'), phone(502, 'unknown', 7), phone(503, 'invalid')];
    const r = hotdeskChoices(phones, [agent(7)], me);
    expect(ids(r.phones)).to.deep.equal([501, 502, 503]);
    expect(r.noneRegistered).to.equal(true);
  });

  it('the agent logging in may take back the phone their lost session still holds', () => {
    const r = hotdeskChoices([phone(501, 'registered', 1)], [agent(1, { loggedIn: false, hotdeskPhoneId: 501 })], me);
    expect(ids(r.phones)).to.deep.equal([501]);
  });

  it('the first rule that applies is the one reported (in XCALLY’s order)', () => {
    const r = hotdeskChoices([phone(501), phone(502, 'unavailable', 2)], [agent(2)], me);
    expect(r.excluded).to.deep.equal([{ phoneId: 502, reason: 'used-by-another-agent', agentId: 2 }]);
  });

  it('XCALLY "must be configured with the External Typology" and "enable the Hotdesk feature": otherwise a clear error', () => {
    expect(() => hotdeskChoices([phone(501)], [], { id: 8, typology: 'phonebar', hotdesk: true })).to.throw(RoutingInputError, 'agent 8.typology: is phonebar');
    expect(() => hotdeskChoices([phone(501)], [], { id: 8, typology: 'external', hotdesk: false })).to.throw(RoutingInputError, 'agent 8.hotdesk');
    expect(() => hotdeskChoices([phone(501), phone(501)], [], me)).to.throw(RoutingInputError, 'phone 501 is listed twice');
  });

  it('XCALLY "Report Call Table": agent id when disposed from the desktop, the telephone id otherwise', () => {
    expect(hotdeskCallUserId({ agentId: 1, phoneId: 501, disposedFromDesktop: true })).to.equal(1);
    expect(hotdeskCallUserId({ agentId: 1, phoneId: 501, disposedFromDesktop: false })).to.equal(501);
  });
});
