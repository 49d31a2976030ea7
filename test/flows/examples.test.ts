import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ops, repoRoot, traceIds } from './helpers.ts';
import { loadProject } from '../../flows/project/load.ts';
import type { Project } from '../../flows/project/schema.ts';
import { simulate } from '../../flows/testing/simulate.ts';

function example(name: string): Project {
  return loadProject(readFileSync(path.join(repoRoot, 'flows/examples', `${name}.json`), 'utf8'));
}

// Monday 2026-01-05 10:00 in Rome (09:00 UTC), a Sunday, and Christmas.
const MONDAY_OPEN = Date.UTC(2026, 0, 5, 9);
const SUNDAY = Date.UTC(2026, 0, 4, 11);
const CHRISTMAS = Date.UTC(2026, 11, 25, 10);

describe('flows/examples', () => {
  describe('auto-attendant', () => {
    const project = example('auto-attendant');

    it('open hours: 1 → tagged and queued to sales; the agent answers', async () => {
      const sim = await simulate(project, { now: MONDAY_OPEN, call: { script: ['1'] } });
      expect(traceIds(sim.result)).to.deep.equal(['start', 'hours', 'menu', 'tag', 'department', 'sales', 'hangup']);
      expect(sim.result).to.include({ outcome: 'completed', code: 'end' });
      expect(ops(sim, 'enqueue')[0]).to.include({ queue: 'sales' });
      expect(sim.services.tags.get('scripted-1')).to.deep.equal(['ivr-menu-1']);
    });

    it('open hours: a wrong key is retried, then 0 reaches the operator; busy → voicemail', async () => {
      const sim = await simulate(project, { now: MONDAY_OPEN, call: { script: ['7', '0'], dial: () => 'busy' } });
      expect(traceIds(sim.result)).to.deep.equal(['start', 'hours', 'menu', 'operator', 'voicemail', 'hangup']);
      expect(ops(sim, 'play')).to.deep.equal([{ prompts: ['custom/invalid-option'], escapeDigits: '' }]);
      expect(ops(sim, 'exec')[0]).to.deep.equal({ application: 'VoiceMail', args: ['100@default', 'u'] });
    });

    it('no agents in sales → voicemail', async () => {
      const sim = await simulate(project, { now: MONDAY_OPEN, call: { script: ['1'] }, services: { queues: { sales: { exists: true, agentsAvailable: 0, waiting: 0 } } } });
      expect(traceIds(sim.result)).to.include('voicemail');
      expect(ops(sim, 'enqueue')).to.deep.equal([]);
    });

    it('closed on Sunday and on holidays, each with its message', async () => {
      const sunday = await simulate(project, { now: SUNDAY });
      expect(traceIds(sunday.result)).to.deep.equal(['start', 'hours', 'closed', 'voicemail', 'hangup']);
      const christmas = await simulate(project, { now: CHRISTMAS });
      expect(traceIds(christmas.result)).to.deep.equal(['start', 'hours', 'holiday', 'voicemail', 'hangup']);
    });

    it('a caller who never answers the menu: three tries, then the flow ends', async () => {
      const sim = await simulate(project, { now: MONDAY_OPEN });
      expect(ops(sim, 'collectDigits')).to.have.length(3);
      expect(sim.result.code).to.equal('unwired-exit');
    });
  });

  describe('callback-request', () => {
    const project = example('callback-request');

    it('an anonymous caller is asked for a number, which is scheduled', async () => {
      const sim = await simulate(project, { call: { script: ['1', '0212345678#'], info: { callerNumber: '' } } });
      expect(traceIds(sim.result)).to.deep.equal(['start', 'init', 'offer', 'we-call', 'say-number', 'other-number', 'schedule', 'thanks', 'hangup']);
      expect(sim.services.callbacks).to.deep.equal([{ number: '0212345678', at: null, queue: 'sales', note: 'IVR callback request from ', callId: 'scripted-1' }]);
    });

    it('2 at the confirmation asks for another number', async () => {
      const sim = await simulate(project, { call: { script: ['1', '2', '0698765432#'] } });
      expect(traceIds(sim.result)).to.deep.equal(['start', 'init', 'offer', 'we-call', 'say-number', 'confirm', 'other-number', 'schedule', 'thanks', 'hangup']);
      expect(sim.services.callbacks[0]!.number).to.equal('0698765432');
    });

    it('the caller confirms their own number', async () => {
      const sim = await simulate(project, { call: { script: ['1', '1'] } });
      expect(traceIds(sim.result)).to.deep.equal(['start', 'init', 'offer', 'we-call', 'say-number', 'confirm', 'schedule', 'thanks', 'hangup']);
      expect(ops(sim, 'say')[0]).to.include({ kind: 'digits', value: '390212345678' });
      expect(sim.services.callbacks[0]!.number).to.equal('+390212345678');
    });

    it('if scheduling fails the caller is queued instead', async () => {
      const sim = await simulate(project, { call: { script: ['1', '1'] }, services: { failing: ['callbacks'] } });
      expect(traceIds(sim.result).slice(-3)).to.deep.equal(['sorry', 'queue', 'hangup']);
    });

    it('2 = wait in the queue', async () => {
      const sim = await simulate(project, { call: { script: ['2'] } });
      expect(traceIds(sim.result)).to.deep.equal(['start', 'init', 'offer', 'queue', 'hangup']);
    });
  });

  describe('survey', () => {
    const project = example('survey');

    it('posts all answers after the call, in Finally', async () => {
      // '#' skips the (skippable) introduction; then one key per question.
      const sim = await simulate(project, { call: { script: ['#', '4', '5', '1'] } });
      expect(sim.result).to.include({ outcome: 'completed', code: 'end' });
      expect(sim.result.finally).to.include({ outcome: 'completed' });
      const post = sim.services.requests.find((r) => r.service === 'http')!.detail as { method: string; url: string; body: string; headers: Record<string, string> };
      expect(post.method).to.equal('POST');
      expect(post.headers['X-Tandem-Project']).to.equal('example-survey');
      expect(JSON.parse(post.body)).to.deep.equal({ callId: 'scripted-1', caller: '+390212345678', q1: '4', q2: '5', recommend: '1' });
      expect(sim.result.variables['POST_STATUS']).to.equal(200);
    });

    it('a caller hanging up half way still gets the partial survey posted', async () => {
      const sim = await simulate(project, { call: { script: ['#', '3', { hangup: true }] } });
      expect(sim.result.outcome).to.equal('hangup');
      const post = sim.services.requests.find((r) => r.service === 'http')!.detail as { body: string };
      expect(JSON.parse(post.body)).to.include({ q1: '3', q2: '', recommend: '' });
    });

    it('a failing results service is logged as an error in the trace', async () => {
      const sim = await simulate(project, { call: { script: ['#', '1', '1', '2'] }, services: { http: () => ({ status: 500, headers: {}, body: 'oops' }) } });
      const failed = sim.result.trace.find((e) => e.blockId === 'post-failed')!;
      expect(failed.logs).to.deep.equal(['error: survey NOT posted (HTTP 500)']);
    });
  });

  describe('remote-agent', () => {
    const project = example('remote-agent');
    const agents = [{ id: 'ag-1', extension: '101', username: 'ada', pin: '2468' }];

    it('logs in, pauses, unpauses and logs out by keypad', async () => {
      const sim = await simulate(project, { call: { script: ['101#', '2468#', '1', '2', '3'] }, services: { agents } });
      expect(sim.services.requests.map((r) => r.action)).to.deep.equal(['login', 'pause', 'unpause', 'logout']);
      expect(sim.services.agents.get('ag-1')!.state).to.equal('logged-out');
      expect(traceIds(sim.result).slice(-3)).to.deep.equal(['logged-out', 'bye', 'hangup']);
    });

    it('three wrong PINs end the call', async () => {
      const sim = await simulate(project, { call: { script: ['101#', '1111#', '101#', '2222#', '101#', '3333#'] }, services: { agents } });
      expect(sim.result.variables['ATTEMPTS']).to.equal(3);
      expect(traceIds(sim.result).slice(-2)).to.deep.equal(['bye', 'hangup']);
      expect(sim.services.agents.get('ag-1')!.state).to.equal('logged-out');
    });

    it('pausing keeps the agent paused with the reason until unpaused', async () => {
      const sim = await simulate(project, { call: { script: ['101#', '2468#', '1', '9'] }, services: { agents } });
      expect(sim.services.agents.get('ag-1')).to.include({ state: 'paused', pauseReason: 'Remote break', phone: '+390212345678' });
    });
  });

  describe('chat-bot', () => {
    const project = example('chat-bot');

    it('answers opening hours itself, then says goodbye', async () => {
      const sim = await simulate(project, { call: { script: [{ message: 'opening' }, { message: 'no' }] } });
      expect(sim.call.sent.map((m) => m.text)).to.deep.equal([
        'Hi Scripted Caller! I am the Tandem assistant.',
        'How can I help you?',
        'We are open Monday to Friday 9:00-18:00 and Saturday 9:00-13:00 (Rome time).',
        'Anything else?',
        'Thank you, goodbye!',
      ]);
      expect(sim.call.hungUpBy).to.equal('flow');
    });

    it('looks up an order over HTTP', async () => {
      const sim = await simulate(project, {
        call: { script: [{ message: 'x', quickReplyId: 'order' }, { message: 'A-17' }, { message: 'no' }] },
        services: { http: (r) => ({ status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: r.url.endsWith('/A-17') ? 'shipped' : '?' }) }) },
      });
      expect(sim.call.sent.map((m) => m.text)).to.include('Order A-17: shipped.');
    });

    it('hands over to the chat queue on request', async () => {
      const sim = await simulate(project, { call: { script: [{ message: 'agent' }] } });
      expect(ops(sim, 'enqueue')).to.deep.equal([{ queue: 'chat-support', timeoutMs: 900_000, priority: 0 }]);
      expect(sim.result).to.include({ outcome: 'completed', code: 'end', blockId: 'end' });
    });

    it('hands over when it does not understand, and apologises when nobody is there', async () => {
      const sim = await simulate(project, {
        call: { script: [{ message: 'I want to speak about my bill' }] },
        services: { queues: { 'chat-support': { exists: true, agentsAvailable: 0, waiting: 0 } } },
      });
      expect(traceIds(sim.result)).to.deep.equal(['start', 'greet', 'ask', 'handover-msg', 'queue', 'no-agent', 'tag-missed', 'end']);
      expect(sim.services.tags.get('scripted-1')).to.deep.equal(['chat-no-agent']);
    });
  });
});
