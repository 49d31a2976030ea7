// The small pure rules of listen / whisper / barge: snoop directions per mode (from
// test/fixtures/asterisk/ari-spy-whisper-barge.txt: listen = whisper none, whisper = whisper
// out, never in), ChanSpy's keys, the supervisor's dial target and endpoint, the feature code.
import { expect } from 'chai';
import { modeOfDigit, snoopDirections } from '../../../server/voice/spy/spy-mode.ts';
import { dialTargetOf, endpointOfChannel, supervisorPhoneSchema } from '../../../server/voice/spy/supervisor-phone.ts';
import { agentExtensionOf } from '../../../server/voice/spy/feature-code.ts';

describe('spy rules', function () {
  it('snoops spy=both, and whispers only towards the agent', () => {
    expect(snoopDirections('listen')).to.deep.equal({ spy: 'both', whisper: 'none' });
    expect(snoopDirections('whisper')).to.deep.equal({ spy: 'both', whisper: 'out' });
  });

  it("maps ChanSpy's keys 4/5/6 and ignores the others", () => {
    expect(['4', '5', '6', '7', '#', '*'].map((d) => modeOfDigit(d) ?? null)).to.deep.equal(['listen', 'whisper', 'barge', null, null, null]);
  });

  it("dials an extension's endpoint, and an external number through tandem-outbound", () => {
    expect(dialTargetOf({ kind: 'extension', value: '2001' })).to.equal('PJSIP/2001');
    expect(dialTargetOf({ kind: 'external', value: '+33612345678' })).to.equal('Local/+33612345678@tandem-outbound');
    expect(supervisorPhoneSchema.safeParse({ kind: 'external', value: '06 12' }).success).to.equal(false);
    expect(supervisorPhoneSchema.safeParse({ kind: 'extension', value: '2001@evil' }).success).to.equal(false);
    expect(supervisorPhoneSchema.safeParse({ kind: 'browser', value: 'x' }).success).to.equal(false);
  });

  it('reads the endpoint from the channel name, never from a Local channel', () => {
    expect(endpointOfChannel('PJSIP/2001-0000001a')).to.equal('2001');
    expect(endpointOfChannel('PJSIP/desk-lobby-00000003')).to.equal('desk-lobby');
    expect(endpointOfChannel('SIP/2002-000000ff')).to.equal('2002');
    expect(endpointOfChannel('Local/120@agi2-00000004;2')).to.equal(undefined);
    expect(endpointOfChannel('PJSIP/2001')).to.equal(undefined);
  });

  it('splits the feature code from the agent extension', () => {
    expect(agentExtensionOf('*2221001', '*222')).to.equal('1001');
    expect(agentExtensionOf('*222', '*222')).to.equal('');
    expect(agentExtensionOf('*45', '*222')).to.equal(undefined);
    expect(agentExtensionOf('1001', '*222')).to.equal(undefined);
  });
});
