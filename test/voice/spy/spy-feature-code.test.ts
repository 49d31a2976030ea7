// The spy feature code (*222 + the agent's extension) dialled on a supervisor's desk phone. The AGI
// side is the AGI peer (agi-session.txt format); the channel is handed to Stasis the way
// test/fixtures/asterisk/agi-to-stasis.txt shows (EXEC Stasis, AGI socket silent meanwhile,
// same uniqueid on the ARI side); the ARI side replays ari-spy-whisper-barge.txt behaviour.
import { expect } from 'chai';
import { AsteriskAgiPeer, type PeerAction } from '../../peers/asterisk-agi.ts';
import type { PeerChannel } from '../../peers/asterisk-ari-model.ts';
import { SpyWorld, type Agent } from './spy-world.ts';
import { eventually } from '../../support/eventually.ts';

describe('spy feature code from a phone (AGI → Stasis)', function () {
  const world = new SpyWorld();
  let a1: Agent;
  let a2: Agent;
  let uniq = 0;

  before(async () => {
    await world.start(2);
    [a1, a2] = world.agents as [Agent, Agent];
  });
  after(async () => world.stop());
  afterEach(async () => world.cleanUp());

  /** A call from PJSIP/<endpoint> dialling `number`; EXEC Stasis puts the same channel into the ARI app. */
  async function dial(endpoint: string, number: string) {
    const uniqueId = `1795300000.${900 + ++uniq}`;
    const channelName = `PJSIP/${endpoint}-${uniq.toString(16).padStart(8, '0')}`;
    let stasis: PeerChannel | undefined;
    const respond = (cmd: { argv: readonly string[] }, peer: AsteriskAgiPeer): PeerAction | undefined => {
      if (cmd.argv[0]?.toUpperCase() !== 'EXEC' || cmd.argv[1]?.toLowerCase() !== 'stasis') return undefined;
      const [app = '', ...args] = (cmd.argv[2] ?? '').split(',');
      const ch = world.ari.enterStasis(app, args, { channelId: uniqueId, channelName, callerNumber: endpoint });
      stasis = ch;
      void (async () => {
        await eventually(() => ch.stasisApp === undefined || !world.ari.channels.has(ch.id), 'the channel to leave Stasis');
        // Hung up over ARI: Asterisk ends the AGI with a hang-up; otherwise EXEC returns.
        if (!world.ari.channels.has(ch.id)) peer.hangup();
        else {
          peer.model.variables.set('STASISSTATUS', 'SUCCESS');
          peer.reply(['200 result=0']);
        }
      })();
      return { silent: true };
    };
    const peer = await AsteriskAgiPeer.connect({
      port: world.node.tandem.fastagi!.port,
      script: 'internal',
      args: [number, endpoint],
      env: { agi_channel: channelName, agi_uniqueid: uniqueId, agi_callerid: endpoint, agi_extension: number, agi_context: 'tandem-internal' },
      respond,
    });
    return { peer, uniqueId, channelName, stasis: () => stasis };
  }

  it('*222<ext> listens; keys 5 and 6 switch to whisper and barge; the agent hangs up → the supervisor is hung up', async () => {
    const boss = await world.supervisor({ chanspy: 'read-edit' }, [a1, a2], { kind: 'extension', value: '2001' });
    const call = await world.bridgedCall(a1);
    const mark = world.ari.requests.length;
    const { peer, uniqueId, channelName } = await dial('2001', `*222${a1.extension}`);
    const spyBridge = () => [...world.ari.bridges.values()].find((b) => b.name.startsWith('spy-') && b.channels.includes(uniqueId));
    await eventually(() => spyBridge()?.channels.length === 2, 'listening');
    expect(peer.commands.slice(0, 2)).to.deep.equal(['ANSWER', `EXEC Stasis tandem,spy,${(await world.sessionsOf(a1.id)).at(-1)!.id}`]);
    const [row] = (await world.sessionsOf(a1.id)).slice(-1);
    const id = row!.id;
    expect(row).to.include({ origin: 'feature-code', supervisorTarget: channelName, supervisorId: boss.id, status: 'active', mode: 'listen' });
    // No origination: the supervisor's own channel is used.
    expect(world.ari.requests.slice(mark).some((r) => r.method === 'POST' && r.target.startsWith('/ari/channels?'))).to.equal(false);
    expect(world.ari.requests.slice(mark).map((r) => r.target.split('?')[0] + '?' + new URL(r.target, 'http://x').searchParams.get('whisper'))).to.include(`/ari/channels/${call.agentLeg}/snoop?none`);

    world.ari.dtmf(uniqueId, '5');
    await eventually(() => world.ari.requests.some((r) => r.target.startsWith(`/ari/channels/${call.agentLeg}/snoop?`) && r.target.includes('whisper=out')), 'whisper snoop');
    world.ari.dtmf(uniqueId, '6');
    await eventually(() => world.ari.bridges.get(call.bridgeId)?.channels.includes(uniqueId) === true, 'barged');

    world.ari.farEndHangup(call.agentLeg);
    await peer.done;
    await eventually(async () => (await world.session(id)).status === 'ended', 'ended');
    expect(await world.session(id)).to.include({ endReason: 'call-ended', mode: 'barge' });
    expect(await world.modes(id)).to.deep.equal(['listen/dtmf', 'whisper/dtmf', 'barge/dtmf']);
    expect(world.ari.requests.some((r) => r.method === 'DELETE' && r.target.startsWith(`/ari/channels/${uniqueId}`))).to.equal(true);
  });

  it('the supervisor hangs up: the session ends and the call goes on', async () => {
    const boss = await world.supervisor({ chanspy: 'read-edit' }, [a2], { kind: 'extension', value: '2002' });
    const call = await world.bridgedCall(a2);
    const { peer, uniqueId } = await dial('2002', `*222${a2.extension}`);
    await eventually(() => [...world.ari.bridges.values()].some((b) => b.name.startsWith('spy-') && b.channels.includes(uniqueId)), 'listening');
    world.ari.farEndHangup(uniqueId);
    await peer.done;
    const [row] = (await world.sessionsOf(a2.id)).filter((r) => r.supervisorId === boss.id);
    await eventually(async () => (await world.session(row!.id)).status === 'ended', 'ended');
    expect((await world.session(row!.id)).endReason).to.equal('supervisor-hangup');
    expect(world.ari.bridges.get(call.bridgeId)!.channels).to.have.members([call.callerId, call.agentLeg]);
  });

  it('refuses with a tone and a hang-up: no permission (audited), unknown phone, unknown extension, no call', async () => {
    const weak = await world.supervisor({ chanspy: 'read' }, [a1], { kind: 'extension', value: '2003' });
    const call = await world.bridgedCall(a1);
    const before = (await world.sessionsOf(a1.id)).length;

    const denied = await dial('2003', `*222${a1.extension}`);
    await denied.peer.done;
    expect(denied.peer.commands).to.deep.equal(['STREAM FILE beeperr ""', 'HANGUP']);
    const rows = (await world.sessionsOf(a1.id)).slice(before);
    expect(rows.map((r) => `${r.origin}:${r.status}:${r.endReason}:${r.supervisorId}`)).to.deep.equal([`feature-code:failed:no-permission:${weak.id}`]);
    expect(rows[0]).to.include({ entryId: call.entryId, supervisorTarget: denied.channelName });

    const stranger = await dial('2999', `*222${a1.extension}`);
    await stranger.peer.done;
    expect(stranger.peer.commands).to.deep.equal(['STREAM FILE beeperr ""', 'HANGUP']);
    const boss = await world.supervisor({ chanspy: 'read-edit' }, [a1, a2], { kind: 'extension', value: '2004' });
    const nobody = await dial('2004', '*2229999');
    await nobody.peer.done;
    expect(nobody.peer.commands).to.deep.equal(['STREAM FILE beeperr ""', 'HANGUP']);
    const idle = await dial('2004', `*222${a2.extension}`);
    await idle.peer.done;
    expect(idle.peer.commands).to.deep.equal(['STREAM FILE beeperr ""', 'HANGUP']);
    expect((await world.sessionsOf(a2.id)).filter((r) => r.supervisorId === boss.id).map((r) => r.endReason)).to.deep.equal(['agent-not-on-call']);
    // Unknown supervisor or agent: no audit row can name them.
    expect((await world.sessionsOf(a1.id)).length).to.equal(before + 1);
  });

  it('the call ends before the channel reaches Stasis: failed call-ended, and the late channel is hung up', async () => {
    await world.supervisor({ chanspy: 'read-edit' }, [a2], { kind: 'extension', value: '2006' });
    const call = await world.bridgedCall(a2);
    const uniqueId = `1795300000.${900 + ++uniq}`;
    const peer = await AsteriskAgiPeer.connect({
      port: world.node.tandem.fastagi!.port,
      script: 'internal',
      args: [`*222${a2.extension}`, '2006'],
      env: { agi_channel: 'PJSIP/2006-0000000f', agi_uniqueid: uniqueId },
      respond: (cmd, p) => {
        if (cmd.argv[0]?.toUpperCase() !== 'EXEC') return undefined;
        const [app = '', ...args] = (cmd.argv[2] ?? '').split(',');
        void (async () => {
          // The agent's call ends while Asterisk is still starting Stasis on the supervisor's channel.
          await world.hangUpAgent(call);
          await eventually(async () => (await world.sessionsOf(a2.id)).at(-1)!.status === 'failed', 'the session failed');
          const ch = world.ari.enterStasis(app, args, { channelId: uniqueId, channelName: 'PJSIP/2006-0000000f' });
          await eventually(() => !world.ari.channels.has(ch.id), 'the late channel hung up');
          p.hangup();
        })();
        return { silent: true };
      },
    });
    await peer.done;
    const row = (await world.sessionsOf(a2.id)).at(-1)!;
    expect(row).to.include({ status: 'failed', endReason: 'call-ended', origin: 'feature-code' });
    expect(row.answeredAt).to.equal(null);
    expect(world.ari.requests.some((r) => r.method === 'DELETE' && r.target.startsWith(`/ari/channels/${uniqueId}`))).to.equal(true);
  });

  it('Stasis app missing on Asterisk (STASISSTATUS=FAILED): failed stasis-unavailable, error tone, DONE for the dialplan', async () => {
    await world.supervisor({ chanspy: 'read-edit' }, [a1], { kind: 'extension', value: '2007' });
    await world.bridgedCall(a1);
    const peer = await AsteriskAgiPeer.connect({
      port: world.node.tandem.fastagi!.port,
      script: 'internal',
      args: [`*222${a1.extension}`, '2007'],
      env: { agi_channel: 'PJSIP/2007-00000010', agi_uniqueid: `1795300000.${900 + ++uniq}` },
      respond: (cmd, p) => {
        if (cmd.argv[0]?.toUpperCase() !== 'EXEC') return undefined;
        // agi-to-stasis.txt: an application nobody registered returns at once, STASISSTATUS=FAILED.
        p.model.variables.set('STASISSTATUS', 'FAILED');
        return { reply: ['200 result=0'] };
      },
    });
    await peer.done;
    expect(peer.commands.slice(2)).to.deep.equal(['GET VARIABLE STASISSTATUS', 'STREAM FILE beeperr ""', 'SET VARIABLE TANDEM_STATUS DONE']);
    const row = (await world.sessionsOf(a1.id)).at(-1)!;
    expect(row).to.include({ status: 'failed', endReason: 'stasis-unavailable' });
  });

  it('a *number that is no feature code goes on to the internal routes', async () => {
    // *45 is the agent login code now (featureCodes): *99 is nothing.
    const other = await dial('2004', '*99');
    await other.peer.done;
    expect(other.peer.commands).to.include('SET VARIABLE TANDEM_STATUS NOROUTE');
  });

  it('follows the spyFeatureCode setting', async () => {
    const patched = await world.node.client.patch<{ spyFeatureCode: string }>('/api/settings', { spyFeatureCode: '*77' }, world.node.adminToken);
    expect(patched.body.spyFeatureCode).to.equal('*77');
    await world.supervisor({ chanspy: 'read-edit' }, [a1], { kind: 'extension', value: '2005' });
    await world.bridgedCall(a1);
    const { peer, uniqueId } = await dial('2005', `*77${a1.extension}`);
    await eventually(() => [...world.ari.bridges.values()].some((b) => b.name.startsWith('spy-') && b.channels.includes(uniqueId)), 'listening');
    world.ari.farEndHangup(uniqueId);
    await peer.done;
    const old = await dial('2005', `*222${a1.extension}`);
    await old.peer.done;
    expect(old.peer.commands).to.include('SET VARIABLE TANDEM_STATUS NOROUTE');
  });
});
