import { expect } from 'chai';
import { makeProject, ops, runBlock } from './helpers.ts';
import { simulate } from '../../flows/testing/simulate.ts';
import type { DialResult, EnqueueResult } from '../../flows/call-port.ts';

describe('flows/blocks: call control', () => {
  it('Answer answers and can start music on hold', async () => {
    const sim = await runBlock({ type: 'Answer', params: { musicOnHold: 'default' } });
    expect(sim.exit).to.equal('next');
    expect(sim.call.answered).to.equal(true);
    expect(ops(sim, 'setMusicOnHold')).to.deep.equal([{ musicClass: 'default' }]);
  });

  it('Hangup ends the call as the flow’s own doing; Finally still runs', async () => {
    const sim = await simulate(
      makeProject({
        start: { type: 'Start', exits: { next: 'bye' } },
        bye: { type: 'Hangup', params: { cause: 17 } },
        fin: { type: 'Finally', exits: { next: 'note' } },
        note: { type: 'Set', params: { assignments: [{ variable: 'FINALLY_RAN', value: 'yes' }] } },
      }),
    );
    expect(sim.result).to.include({ outcome: 'completed', code: 'end', reason: 'ended at Hangup block bye' });
    expect(sim.call.hungUpBy).to.equal('flow');
    expect(ops(sim, 'hangup')).to.deep.equal([{ cause: 17 }]);
    expect(sim.result.finally).to.include({ outcome: 'completed', code: 'unwired-exit' });
    expect(sim.result.variables['FINALLY_RAN']).to.equal('yes');
  });

  describe('InternalDial / ExternalDial', () => {
    for (const [status, exit] of [
      ['answered', 'answered'],
      ['busy', 'busy'],
      ['noanswer', 'noanswer'],
      ['congestion', 'failed'],
      ['unavailable', 'failed'],
      ['failed', 'failed'],
    ] as const) {
      it(`a dial that ends ${status} leaves by ${exit}`, async () => {
        const dial = (): DialResult['status'] => status;
        const internal = await runBlock({ type: 'InternalDial', params: { destination: '{EXT}' }, variables: { EXT: { default: '201' } } }, { call: { dial } });
        expect(internal.exit).to.equal(exit);
        const external = await runBlock({ type: 'ExternalDial', params: { number: '+39 02 1234', trunk: 'eu-trunk', callerId: '{DIALED_NUMBER}' } }, { call: { dial } });
        expect(external.exit).to.equal(exit);
      });
    }

    it('passes destination, timeout, options and caller id to the transport', async () => {
      const internal = await runBlock({ type: 'InternalDial', params: { target: 'agent', destination: 'mario', timeoutSec: 15, options: 'tT' } });
      expect(ops(internal, 'dial')).to.deep.equal([{ kind: 'agent', destination: 'mario', timeoutMs: 15_000, options: 'tT' }]);
      const external = await runBlock({ type: 'ExternalDial', params: { number: '{N}', trunk: 'eu-trunk', callerId: '0212345' }, variables: { N: { default: '(02) 555-1234' } } });
      expect(ops(external, 'dial')).to.deep.equal([{ kind: 'external', destination: '025551234', trunk: 'eu-trunk', callerId: '0212345', timeoutMs: 45_000, options: '' }]);
    });

    it('refuses destinations that caller input could turn into several dial targets', async () => {
      const internal = await runBlock({ type: 'InternalDial', params: { destination: '{X}' }, variables: { X: { default: '201&SIP/evil' } } });
      expect(internal.exit).to.equal('failed');
      expect(ops(internal, 'dial')).to.deep.equal([]);
      const external = await runBlock({ type: 'ExternalDial', params: { number: '{X}', trunk: 't' }, variables: { X: { default: '123,evil' } } });
      expect(external.exit).to.equal('failed');
      expect(ops(external, 'dial')).to.deep.equal([]);
    });
  });

  describe('Queue', () => {
    for (const outcome of ['answered', 'timeout', 'full', 'unavailable', 'failed'] as const) {
      it(`leaves by ${outcome} when the queue says so`, async () => {
        const enqueue = (): EnqueueResult => ({ outcome, ...(outcome === 'answered' ? { agentId: 'a7' } : {}) });
        const sim = await runBlock({ type: 'Queue', params: { queue: 'support', timeoutSec: 60, priority: 5, announcement: 'you-are-next' } }, { call: { enqueue } });
        expect(sim.exit).to.equal(outcome);
        expect(sim.result.variables['QUEUE_OUTCOME']).to.equal(outcome);
        expect(ops(sim, 'enqueue')).to.deep.equal([{ queue: 'support', timeoutMs: 60_000, priority: 5, announcement: 'you-are-next' }]);
      });
    }

    it('with requireAgents, an empty queue is unavailable at once and a missing one failed', async () => {
      const empty = await runBlock({ type: 'Queue', params: { queue: 'night', requireAgents: true } }, { services: { queues: { night: { exists: true, agentsAvailable: 0, waiting: 3 } } } });
      expect(empty.exit).to.equal('unavailable');
      expect(ops(empty, 'enqueue')).to.deep.equal([]);
      const missing = await runBlock({ type: 'Queue', params: { queue: 'gone', requireAgents: true } }, { services: { queues: { gone: { exists: false, agentsAvailable: 0, waiting: 0 } } } });
      expect(missing.exit).to.equal('failed');
    });

    it('hands a chat over too', async () => {
      const sim = await runBlock({ type: 'Queue', channel: 'chat', params: { queue: 'chat-support' } });
      expect(sim.exit).to.equal('answered');
    });
  });

  describe('Voicemail', () => {
    it('runs VoiceMail() and reads VMSTATUS', async () => {
      const ok = await runBlock({ type: 'Voicemail', params: { mailbox: '{CALLERID(dnid)}@default' } });
      expect(ok.exit).to.equal('success');
      expect(ops(ok, 'exec')).to.deep.equal([{ application: 'VoiceMail', args: ['100@default', 'u'] }]);
      const failed = await runBlock({ type: 'Voicemail', params: { mailbox: '100' } }, { call: { exec: () => 0, channelVariables: { VMSTATUS: 'FAILED' } } });
      expect(failed.exit).to.equal('failed');
    });
  });

  describe('CallbackRequest', () => {
    it('schedules a callback on the caller number after a delay', async () => {
      const sim = await runBlock({ type: 'CallbackRequest', params: { queue: 'sales', delayMinutes: 30, note: 'from {CALLERID(num)}' } });
      expect(sim.exit).to.equal('success');
      expect(sim.services.callbacks).to.deep.equal([
        { number: '+390212345678', at: Date.UTC(2026, 0, 5, 9, 30), queue: 'sales', note: 'from +390212345678', callId: 'scripted-1' },
      ]);
      expect(sim.result.variables['CALLBACK_ID']).to.equal('cb-1');
    });

    it('takes an explicit time, and refuses bad numbers, bad dates and service failures', async () => {
      const at = await runBlock({ type: 'CallbackRequest', params: { queue: 'sales', number: '0212345678', at: '2026-01-06T10:00:00Z' } });
      expect(at.services.callbacks[0]!.at).to.equal(Date.parse('2026-01-06T10:00:00Z'));
      expect((await runBlock({ type: 'CallbackRequest', params: { queue: 'sales', number: 'call me maybe' } })).exit).to.equal('failure');
      expect((await runBlock({ type: 'CallbackRequest', params: { queue: 'sales', at: 'tomorrowish' } })).exit).to.equal('failure');
      expect((await runBlock({ type: 'CallbackRequest', params: { queue: 'sales' } }, { services: { failing: ['callbacks'] } })).exit).to.equal('failure');
    });
  });

  describe('CustomApp and Agi', () => {
    it('CustomApp runs the application with rendered arguments', async () => {
      const sim = await runBlock({ type: 'CustomApp', params: { application: 'Playtones', arguments: ['{TONE}', '500'], resultVariable: 'RC' }, variables: { TONE: { default: '440' } } });
      expect(sim.exit).to.equal('success');
      expect(ops(sim, 'exec')).to.deep.equal([{ application: 'Playtones', args: ['440', '500'] }]);
      expect(sim.result.variables['RC']).to.equal(0);
    });

    it('CustomApp fails when the application is missing (EXEC result -2)', async () => {
      const sim = await runBlock({ type: 'CustomApp', params: { application: 'NoSuchApp' } }, { call: { exec: () => -2 } });
      expect(sim.exit).to.equal('failure');
    });

    it('Agi reports success and failure', async () => {
      const ok = await runBlock({ type: 'Agi', params: { url: 'agi://10.0.0.5/lookup', arguments: ['{CALLERID(num)}'] } });
      expect(ok.exit).to.equal('success');
      expect(ops(ok, 'runAgi')).to.deep.equal([{ url: 'agi://10.0.0.5/lookup', args: ['+390212345678'] }]);
      const ko = await runBlock({ type: 'Agi', params: { url: 'lookup.sh' } }, { call: { agi: () => 'notfound' } });
      expect(ko.exit).to.equal('failure');
    });
  });
});
