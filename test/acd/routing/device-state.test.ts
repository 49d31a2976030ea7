// AMI device states → reachability. The states Asterisk 22.10.1 actually sent are read from the
// captured transcripts test/fixtures/asterisk/ami-session.txt (DeviceStateChange events) and
// ami-actions.txt (DeviceStateList).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { reachabilityFromDeviceState } from '../../../server/acd/routing/index.ts';
import { asteriskFixture } from '../../support/fixtures.ts';

/** `State:` values of DeviceStateChange messages in a transcript (`A> ` lines, blank `A>` ends a message). */
function deviceStates(file: string): string[] {
  const states: string[] = [];
  let inDeviceState = false;
  for (const raw of readFileSync(asteriskFixture(file), 'utf8').split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (!line.startsWith('A>')) continue;
    const body = line.slice(2).trim();
    if (body === '') inDeviceState = false;
    else if (body === 'Event: DeviceStateChange') inDeviceState = true;
    else if (inDeviceState && body.startsWith('State: ')) states.push(body.slice('State: '.length));
  }
  return states;
}

describe('acd routing: device states from AMI', () => {
  it('maps every state in the captured transcripts to a known reachability (ami-session.txt, ami-actions.txt)', () => {
    const seen = new Set([...deviceStates('ami-session.txt'), ...deviceStates('ami-actions.txt')]);
    expect([...seen].sort()).to.deep.equal(['INUSE', 'INVALID', 'NOT_INUSE', 'RINGING']);
    expect(reachabilityFromDeviceState('NOT_INUSE')).to.equal('registered');
    // ami-session.txt: Local/999@ami-test, an extension that does not exist, reads INVALID.
    expect(reachabilityFromDeviceState('INVALID')).to.equal('invalid');
    expect(reachabilityFromDeviceState('INUSE')).to.equal('inuse');
    expect(reachabilityFromDeviceState('RINGING')).to.equal('ringing');
  });

  it("maps the rest of Asterisk's ast_device_state names", () => {
    expect(['BUSY', 'ONHOLD', 'RINGINUSE', 'UNAVAILABLE', 'UNKNOWN'].map(reachabilityFromDeviceState)).to.deep.equal(['inuse', 'inuse', 'ringing', 'unavailable', 'unknown']);
  });

  it('tolerates case and blanks; an unheard-of state is unknown (still ringable, as in Asterisk)', () => {
    expect(reachabilityFromDeviceState(' not_inuse ')).to.equal('registered');
    expect(reachabilityFromDeviceState('FROBNICATED')).to.equal('unknown');
  });
});
