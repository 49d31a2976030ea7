// Fixture: ami-session.txt (every unsolicited event of the recorded session), ami-actions.txt.
import { expect } from 'chai';
import { AmiParser } from '../../../server/voice/ami/codec.ts';
import type { AmiEvent } from '../../../server/voice/ami/events.ts';
import { normaliseAmiEvent } from '../../../server/voice/ami/events.ts';
import { toWire, unsolicitedEvents } from '../../peers/asterisk-ami-transcript.ts';

function normalised(file: string): AmiEvent[] {
  const parser = new AmiParser();
  const frames = parser.push(`Asterisk Call Manager/11.0.0\r\n${unsolicitedEvents(file).map(toWire).join('')}`);
  return frames.flatMap((f) => (f.kind === 'message' ? [normaliseAmiEvent(f.message)] : [])).filter((e): e is AmiEvent => e !== undefined);
}

function only<K extends AmiEvent['kind']>(events: AmiEvent[], kind: K): Array<Extract<AmiEvent, { kind: K }>> {
  return events.filter((e): e is Extract<AmiEvent, { kind: K }> => e.kind === kind);
}

describe('AMI event normalisation (ami-session.txt)', () => {
  const events = normalised('ami-session.txt');

  it('types every recorded event and loses none', () => {
    expect(events).to.have.length(unsolicitedEvents('ami-session.txt').length);
    const counts = new Map<string, number>();
    for (const e of events) counts.set(e.kind, (counts.get(e.kind) ?? 0) + 1);
    expect(Object.fromEntries(counts)).to.include({
      'channel.new': 10,
      'channel.state': 8,
      'channel.hangup': 10,
      'channel.hangupRequest': 8,
      'channel.varset': 63,
      'channel.dialplan': 18,
      'dial.begin': 4,
      'dial.end': 4,
      'bridge.create': 2,
      'bridge.enter': 4,
      'bridge.leave': 4,
      'bridge.destroy': 2,
      'device.state': 21,
      'originate.response': 2,
      'queue.caller': 2,
      'queue.agent': 3,
      'queue.member': 2,
      'channel.moh': 2,
      'system.fullyBooted': 1,
    });
    // The rest (Cdr, LocalBridge, NewCallerid, NewConnectedLine, SuccessfulAuth) stay available raw.
    const others = new Set(only(events, 'other').map((e) => e.name));
    expect([...others].sort()).to.deep.equal(['Cdr', 'LocalBridge', 'NewCallerid', 'NewConnectedLine', 'SuccessfulAuth']);
  });

  it('reads channel snapshots, with <unknown> as absent', () => {
    const first = only(events, 'channel.new')[0];
    expect(first?.channel).to.deep.equal({
      channel: 'Local/500@ami-test-00000003;1',
      uniqueId: '1795294560.6',
      linkedId: '1795294560.6',
      state: 0,
      stateDesc: 'Down',
      callerIdNum: undefined,
      callerIdName: undefined,
      connectedLineNum: undefined,
      connectedLineName: undefined,
      context: 'ami-test',
      exten: '500',
      priority: 1,
      accountCode: undefined,
      language: 'en',
    });
  });

  it('reads hangups with cause, soft hangup requests, and dial outcomes', () => {
    const hangup = only(events, 'channel.hangup')[0];
    expect(hangup?.cause).to.equal(16);
    expect(hangup?.causeText).to.equal('Normal Clearing');
    const soft = only(events, 'channel.hangupRequest').filter((e) => e.soft);
    expect(soft).to.have.length(4);
    expect(soft[0]?.cause).to.equal(16);
    const answered = only(events, 'dial.end').find((e) => e.dialStatus === 'ANSWER');
    expect(answered?.dest.channel).to.equal('Local/200@agent-leg-00000004;1');
    expect(answered?.caller?.channel).to.equal('Local/500@ami-test-00000003;2');
    // The first DialBegin of a Local originate has no calling channel, only Dest… fields.
    const begin = only(events, 'dial.begin')[0];
    expect(begin?.caller).to.equal(undefined);
    expect(begin?.dialString).to.equal('500@ami-test');
  });

  it('reads device states, originate outcomes and queue events', () => {
    expect(only(events, 'device.state')[0]).to.include({ device: 'Local/200@agent-leg', state: 'INUSE' });
    const [ok, bad] = only(events, 'originate.response');
    expect(ok).to.include({ actionId: 'orig-600', success: true, reason: 4, channel: 'Local/600@ami-test-00000005;1' });
    expect(bad).to.include({ actionId: 'orig-bad', success: false, reason: 0, channel: 'Local/999@ami-test' });

    const [join, leave] = only(events, 'queue.caller');
    expect(join).to.include({ phase: 'join', queue: 'support', position: 1, count: 1 });
    expect(leave).to.include({ phase: 'leave', count: 0 });
    const agent = only(events, 'queue.agent');
    expect(agent.map((a) => a.phase)).to.deep.equal(['called', 'connect', 'complete']);
    expect(agent[2]).to.include({ talkTime: 4, reason: 'agent', memberName: 'Agent300', interface: 'Local/300@agent-leg' });
    expect(agent[2]?.agent?.channel).to.equal('Local/300@agent-leg-00000007;1');
    const member = only(events, 'queue.member')[0];
    expect(member?.change).to.equal('status');
    expect(member?.member).to.include({ queue: 'support', name: 'Agent300', interface: 'Local/300@agent-leg', status: 2, paused: false });
    const varset = only(events, 'channel.varset')[0];
    expect(varset).to.include({ variable: 'PROBE_VAR', value: 'hello' });
  });

  it('falls back to `other` for a known event missing its channel, without throwing', () => {
    const e = normaliseAmiEvent({ headers: [['Event', 'Hangup'], ['Cause', '16']] });
    expect(e?.kind).to.equal('other');
    expect(normaliseAmiEvent({ headers: [['Response', 'Success']] })).to.equal(undefined);
  });

  it('reads DTMF and peer status events (not captured; field names of the AMI docs)', () => {
    const dtmf = normaliseAmiEvent({
      headers: [['Event', 'DTMFEnd'], ['Channel', 'PJSIP/100-00000001'], ['Uniqueid', '1.1'], ['Digit', '5'], ['DurationMs', '120'], ['Direction', 'Received']],
    });
    expect(dtmf).to.include({ kind: 'channel.dtmf', digit: '5', phase: 'end', durationMs: 120, direction: 'Received' });
    const peer = normaliseAmiEvent({
      headers: [['Event', 'PeerStatus'], ['ChannelType', 'PJSIP'], ['Peer', 'PJSIP/agent-12'], ['PeerStatus', 'Reachable']],
    });
    expect(peer).to.include({ kind: 'peer.status', peer: 'PJSIP/agent-12', status: 'Reachable', channelType: 'PJSIP' });
  });
});
