// Fixtures: ari-events.jsonl, ari-handoff-events.jsonl, ari-queue-bridge-events.jsonl, ari-spy-events.jsonl.
import { expect } from 'chai';
import type { AriEvent } from '../../../server/voice/ari/events.ts';
import { channelIdsOf, parseAriEvent } from '../../../server/voice/ari/events.ts';
import { jsonlLines } from '../../peers/asterisk-ari-model.ts';

const FILES = ['ari-events.jsonl', 'ari-handoff-events.jsonl', 'ari-queue-bridge-events.jsonl', 'ari-spy-events.jsonl'];

function parsed(file: string): AriEvent[] {
  return jsonlLines(file).map(parseAriEvent);
}

describe('ARI event typing (captured .jsonl)', () => {
  it('types every captured event; none falls back to Other', () => {
    for (const file of FILES) {
      const events = parsed(file);
      const fallbacks = events.filter((e) => e.type === 'Other');
      expect(fallbacks, `${file}: ${JSON.stringify(fallbacks[0])}`).to.deep.equal([]);
    }
  });

  it('reads StasisStart args, DTMF digits, hangup causes and talk detection', () => {
    const probe = parsed('ari-events.jsonl');
    const start = probe[0];
    if (start?.type !== 'StasisStart') throw new Error('expected StasisStart first');
    expect(start.args).to.deep.equal(['inbound', '700']);
    expect(start.channel).to.include({ id: '1795294579.17', name: 'Local/700@ari-test-00000008;2', state: 'Ring' });
    expect(start.application).to.equal('probe');
    const digits = probe.flatMap((e) => (e.type === 'ChannelDtmfReceived' ? [`${e.digit}/${e.duration_ms}`] : []));
    expect(digits).to.deep.equal(['4/100', '5/100']);
    const snoop = probe.find((e) => e.type === 'StasisStart' && e.channel.name.startsWith('Snoop/'));
    expect(snoop?.type === 'StasisStart' && snoop.args).to.deep.equal(['snoop']);
    const destroyed = probe.filter((e) => e.type === 'ChannelDestroyed');
    expect(destroyed.map((e) => e.type === 'ChannelDestroyed' && `${e.cause} ${e.cause_txt}`)).to.deep.equal(['16 Normal Clearing', '16 Normal Clearing']);

    const spy = parsed('ari-spy-events.jsonl');
    const finished = spy.filter((e) => e.type === 'ChannelTalkingFinished');
    expect(finished.map((e) => e.type === 'ChannelTalkingFinished' && e.duration)).to.deep.equal([4981, 4942]);
    const soft = spy.find((e) => e.type === 'ChannelHangupRequest' && e.soft === true);
    expect(soft?.type === 'ChannelHangupRequest' && soft.cause).to.equal(32);
    // Bridge membership with technology switching to softmix at three members.
    const barge = spy.find((e) => e.type === 'ChannelEnteredBridge' && e.bridge.channels.length === 3);
    expect(barge?.type === 'ChannelEnteredBridge' && barge.bridge.technology).to.equal('simple_bridge');
    const left = spy.find((e) => e.type === 'ChannelLeftBridge' && e.bridge.technology === 'softmix');
    expect(left?.type === 'ChannelLeftBridge' && left.bridge.channels).to.have.length(2);
  });

  it('reads Dial progress of an originated agent and the failure causes', () => {
    const events = parsed('ari-queue-bridge-events.jsonl');
    const dials = events.filter((e) => e.type === 'Dial');
    expect(dials.slice(0, 3).map((e) => e.type === 'Dial' && e.dialstatus)).to.deep.equal(['', 'RINGING', 'ANSWER']);
    const first = dials[0];
    expect(first?.type === 'Dial' && first.peer.id).to.equal('1795294868.12');
    expect(first?.type === 'Dial' && first.caller).to.equal(undefined);
    const causes = events.flatMap((e) => (e.type === 'ChannelDestroyed' ? [e.cause] : []));
    expect(causes).to.deep.equal([16, 16, 19, 19, 0, 0, 0, 0]);
    const varsets = events.filter((e) => e.type === 'ChannelVarset');
    expect(varsets.every((e) => e.type === 'ChannelVarset' && typeof e.value === 'string')).to.equal(true);
    expect(events[events.length - 1]?.type).to.equal('BridgeDestroyed');
  });

  it('names the channels an event concerns (Dial: the dialed peer)', () => {
    const events = parsed('ari-queue-bridge-events.jsonl');
    const dial = events.find((e) => e.type === 'Dial');
    if (!dial) throw new Error('no Dial');
    expect(channelIdsOf(dial)).to.deep.equal(['1795294868.12']);
    const bridgeGone = events.find((e) => e.type === 'BridgeDestroyed');
    if (!bridgeGone) throw new Error('no BridgeDestroyed');
    expect(channelIdsOf(bridgeGone)).to.deep.equal([]);
  });

  it('keeps unknown events and known events of unexpected shape as Other; refuses non-JSON', () => {
    const playback = parseAriEvent('{"type":"PlaybackStarted","timestamp":"t","application":"acd","playback":{"id":"p"}}');
    expect(playback).to.deep.include({ type: 'Other', eventType: 'PlaybackStarted' });
    const broken = parseAriEvent('{"type":"StasisStart","timestamp":"t","application":"acd","args":"not-an-array"}');
    expect(broken.type).to.equal('Other');
    expect(broken.type === 'Other' && broken.problem).to.be.a('string');
    expect(() => parseAriEvent('not json')).to.throw(SyntaxError);
    expect(() => parseAriEvent('[1,2]')).to.throw(SyntaxError);
    expect(() => parseAriEvent('{"no":"type"}')).to.throw(SyntaxError);
  });

  it('passes fields a later Asterisk adds through untouched', () => {
    const line = jsonlLines('ari-handoff-events.jsonl')[0] ?? '';
    const withExtra = JSON.stringify({ ...JSON.parse(line), new_field: 1 });
    const event = parseAriEvent(withExtra);
    expect(event.type).to.equal('StasisStart');
    expect((event as unknown as Record<string, unknown>)['new_field']).to.equal(1);
  });
});
