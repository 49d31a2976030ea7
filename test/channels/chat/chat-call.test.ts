// The pure parts of the chat channel: the rate limiter's window, chat references, and the ChatCall
// port's contract (capabilities, message waits, hangup) with a recording host.
import { expect } from 'chai';
import { RateLimiter } from '../../../server/channels/chat/rate-limit.ts';
import { interactionIdOf } from '../../../server/channels/chat/chat-service.ts';
import { ChatCall, type ChatCallHost } from '../../../server/channels/chat/chat-call.ts';
import { CallHungUpError, CapabilityError, type OutboundMessage } from '../../../flows/call-port.ts';

class Host implements ChatCallHost {
  sent: OutboundMessage[] = [];
  closed = 0;
  async sendBotMessage(_id: number, m: OutboundMessage) {
    this.sent.push(m);
  }
  async enqueue() {
    return { outcome: 'timeout' as const };
  }
  async closeByFlow() {
    this.closed++;
  }
}

describe('chat channel parts', () => {
  it('rate limiter: at most max events in any window, per key', () => {
    let t = 0;
    const r = new RateLimiter(3, 1000, () => t);
    expect([r.take('a'), r.take('a'), r.take('a'), r.take('a')]).to.deep.equal([true, true, true, false]);
    expect(r.take('b')).to.equal(true);
    t = 999;
    expect(r.take('a')).to.equal(false);
    t = 1000;
    expect(r.take('a')).to.equal(true);
  });

  it('reads chat interaction refs and nothing else', () => {
    expect(interactionIdOf('chat:42')).to.equal(42);
    for (const bad of ['chat:0', 'chat:-1', 'chat:1a', 'voice:1', '1234.5', 'chat:']) expect(interactionIdOf(bad)).to.equal(undefined);
  });

  it('ChatCall: messaging works, voice operations are capability errors, waits end on hangup', async () => {
    const host = new Host();
    const call = new ChatCall(7, { callerNumber: '', callerName: 'Ann', dialed: 'key', variables: { email: 'a@b.c' } }, host);
    const signal = new AbortController().signal;
    expect(call.info).to.include({ callId: 'chat:7', channel: 'chat' });
    expect([...call.capabilities].sort()).to.deep.equal(['hangup', 'messaging', 'queue']);
    try {
      await call.play(['hello'], { escapeDigits: '' }, signal);
      expect.fail('play should throw');
    } catch (err) {
      expect(err).to.be.instanceOf(CapabilityError);
      expect((err as CapabilityError).message).to.equal('play needs the "audio" capability, which a chat call does not have');
    }
    await call.sendMessage({ text: 'hi' }, signal);
    expect(host.sent).to.deep.equal([{ text: 'hi' }]);
    call.deliver({ text: 'early' });
    expect(await call.waitForMessage(1000, signal)).to.deep.equal({ text: 'early' });
    expect(await call.waitForMessage(10, signal)).to.equal(null);
    const waiting = call.waitForMessage(5000, signal);
    call.deliver({ text: 'later', quickReplyId: 'x' });
    expect(await waiting).to.deep.equal({ text: 'later', quickReplyId: 'x' });
    expect(await call.getVariable('email')).to.equal('a@b.c');
    const pending = call.waitForMessage(5000, signal);
    let ended = 0;
    call.onHangup(() => ended++);
    call.markHungUp();
    try {
      await pending;
      expect.fail('the wait should reject');
    } catch (err) {
      expect(err).to.be.instanceOf(CallHungUpError);
    }
    expect(ended).to.equal(1);
    try {
      await call.sendMessage({ text: 'x' }, signal);
      expect.fail('send after hangup should reject');
    } catch (err) {
      expect(err).to.be.instanceOf(CallHungUpError);
    }
  });

  it('ChatCall: an aborted wait rejects with the reason', async () => {
    const call = new ChatCall(8, { callerNumber: '', callerName: '', dialed: '', variables: {} }, new Host());
    const ctl = new AbortController();
    const p = call.waitForMessage(5000, ctl.signal);
    ctl.abort(new Error('block timeout'));
    try {
      await p;
      expect.fail('should reject');
    } catch (err) {
      expect((err as Error).message).to.equal('block timeout');
    }
  });
});
