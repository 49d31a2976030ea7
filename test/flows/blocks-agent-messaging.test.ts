import { expect } from 'chai';
import { makeProject, ops, runBlock } from './helpers.ts';
import { simulate } from '../../flows/testing/simulate.ts';

const agents = [{ id: 'ag-7', extension: '107', username: 'mario', pin: '4321' }];

describe('flows/blocks: agent management', () => {
  it('AgentLogin by extension + PIN, to be called on the caller’s phone', async () => {
    const sim = await runBlock({ type: 'AgentLogin', params: { identity: '{E}', pin: '{P}' }, variables: { E: { default: '107' }, P: { default: '4321' } } }, { services: { agents } });
    expect(sim.exit).to.equal('success');
    expect(sim.result.variables).to.include({ AGENT_ID: 'ag-7', AGENT_RESULT: 'ok' });
    expect(sim.services.agents.get('ag-7')).to.include({ state: 'ready', phone: '+390212345678' });
  });

  it('AgentLogin by username; wrong PIN and unknown agent fail with the reason', async () => {
    const byName = await runBlock({ type: 'AgentLogin', params: { identifyBy: 'username', identity: 'mario', pin: '4321', phone: '3331234567' } }, { services: { agents } });
    expect(byName.exit).to.equal('success');
    expect(byName.services.agents.get('ag-7')!.phone).to.equal('3331234567');
    const badPin = await runBlock({ type: 'AgentLogin', params: { identity: '107', pin: '0000' } }, { services: { agents } });
    expect(badPin.exit).to.equal('failure');
    expect(badPin.result.variables['AGENT_RESULT']).to.equal('bad-pin');
    const unknown = await runBlock({ type: 'AgentLogin', params: { identity: '999', pin: '0000' } }, { services: { agents } });
    expect(unknown.result.variables['AGENT_RESULT']).to.equal('unknown-agent');
    const down = await runBlock({ type: 'AgentLogin', params: { identity: '107', pin: '4321' } }, { services: { agents, failing: ['agents'] } });
    expect(down.exit).to.equal('failure');
    expect(down.result.variables['AGENT_RESULT']).to.equal('failed');
  });

  it('login, pause with reason, unpause, logout in one call', async () => {
    const project = makeProject({
      start: { type: 'Start', exits: { next: 'login' } },
      login: { type: 'AgentLogin', params: { identity: '107', pin: '4321' }, exits: { success: 'pause', failure: 'end' } },
      pause: { type: 'AgentPause', params: { reason: 'Lunch' }, exits: { success: 'unpause', failure: 'end' } },
      unpause: { type: 'AgentUnpause', exits: { success: 'logout', failure: 'end' } },
      logout: { type: 'AgentLogout', exits: { success: 'again', failure: 'end' } },
      again: { type: 'AgentPause', exits: { success: 'end', failure: 'end' } },
      end: { type: 'End' },
    });
    const sim = await simulate(project, { services: { agents } });
    expect(sim.result.trace.map((e) => `${e.blockId}:${e.exit}`)).to.deep.equal([
      'start:next',
      'login:success',
      'pause:success',
      'unpause:success',
      'logout:success',
      'again:failure',
      'end:@end',
    ]);
    expect(sim.services.requests.map((r) => r.action)).to.deep.equal(['login', 'pause', 'unpause', 'logout', 'pause']);
    expect(sim.services.requests[1]!.detail).to.deep.equal({ agentId: 'ag-7', reason: 'Lunch' });
    expect(sim.result.variables['AGENT_RESULT']).to.equal('not-logged-in');
  });

  it('pause without a logged-in agent fails without asking the service', async () => {
    const sim = await runBlock({ type: 'AgentPause', params: {} }, { services: { agents } });
    expect(sim.exit).to.equal('failure');
    expect(sim.services.requests).to.deep.equal([]);
  });
});

describe('flows/blocks: messaging', () => {
  it('SendMessage sends rendered text', async () => {
    const sim = await runBlock({ type: 'SendMessage', channel: 'chat', params: { text: 'Hello {CALLER_NAME}' } });
    expect(sim.exit).to.equal('next');
    expect(sim.call.sent).to.deep.equal([{ text: 'Hello Scripted Caller' }]);
  });

  it('WaitForMessage: received and timeout', async () => {
    const got = await runBlock({ type: 'WaitForMessage', channel: 'sms', params: { timeoutSec: 60 } }, { call: { script: [{ wait: 30_000 }, { message: 'A123' }] } });
    expect(got.exit).to.equal('received');
    expect(got.result.variables['MESSAGE']).to.equal('A123');
    const none = await runBlock({ type: 'WaitForMessage', channel: 'chat', params: { timeoutSec: 60 } }, { call: { script: [{ wait: 61_000 }, { message: 'late' }] } });
    expect(none.exit).to.equal('timeout');
    expect(none.call.remaining).to.equal(2); // 1 s of silence left, then the late message
  });

  describe('QuickReplyMenu', () => {
    const params = {
      text: 'Pick one',
      choices: [
        { id: 'sales', label: 'Sales', keywords: ['buy'] },
        { id: 'support', label: 'Support' },
      ],
      retries: 1,
      variable: 'PICK',
    };

    it('matches a button, a number, a label or a keyword', async () => {
      for (const [message, exit] of [
        [{ message: 'whatever', quickReplyId: 'support' }, 'support'],
        [{ message: '1' }, 'sales'],
        [{ message: ' SUPPORT ' }, 'support'],
        [{ message: 'Buy' }, 'sales'],
      ] as const) {
        const sim = await runBlock({ type: 'QuickReplyMenu', channel: 'chat', params }, { call: { script: [message] } });
        expect(sim.exit, JSON.stringify(message)).to.equal(exit);
      }
    });

    it('sends the question with quick replies', async () => {
      const sim = await runBlock({ type: 'QuickReplyMenu', channel: 'chat', params }, { call: { script: [{ message: '2' }] } });
      expect(sim.call.sent).to.deep.equal([{ text: 'Pick one', quickReplies: [{ id: 'sales', label: 'Sales' }, { id: 'support', label: 'Support' }] }]);
      expect(sim.result.variables['PICK']).to.equal('2');
    });

    it('invalid: wired exit first; unwired, says so and asks again', async () => {
      const wired = await runBlock({ type: 'QuickReplyMenu', channel: 'chat', params }, { call: { script: [{ message: 'pizza' }] } });
      expect(wired.exit).to.equal('invalid');
      const retried = await runBlock({ type: 'QuickReplyMenu', channel: 'chat', params, unwired: ['invalid'] }, { call: { script: [{ message: 'pizza' }, { message: 'sales' }] } });
      expect(retried.exit).to.equal('sales');
      expect(retried.call.sent.map((m) => m.text)).to.deep.equal(['Pick one', 'Sorry, please choose one of the options.', 'Pick one']);
    });

    it('timeout', async () => {
      const sim = await runBlock({ type: 'QuickReplyMenu', channel: 'chat', params: { ...params, timeoutSec: 10 } }, { call: { script: [] } });
      expect(sim.exit).to.equal('timeout');
    });
  });

  it('a messaging block on a voice call is refused by capability', async () => {
    const sim = await simulate(
      makeProject({ start: { type: 'Start', exits: { next: 'msg' } }, msg: { type: 'SendMessage', params: { text: 'hi' }, exits: { next: null } } }),
    );
    expect(sim.result.outcome).to.equal('error');
    expect(sim.result.code).to.equal('capability');
    expect(sim.result.reason).to.equal('SendMessage block msg failed: this channel cannot do "messaging"');
    expect(ops(sim)).to.deep.equal([]);
  });
});
