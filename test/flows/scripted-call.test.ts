import { expect } from 'chai';
import { CallHungUpError, CapabilityError } from '../../flows/call-port.ts';
import { ScriptedCall } from '../../flows/testing/scripted-call.ts';
import { VirtualClock } from '../../flows/testing/virtual-clock.ts';

const signal = new AbortController().signal;

describe('flows/testing: scripted call and virtual clock', () => {
  it('collects digits with GET DATA semantics: per-digit timeout, terminator, max digits', async () => {
    const call = new ScriptedCall({ script: ['1', { wait: 2000 }, '2#', '34567'] });
    const start = call.clock.now();
    expect(await call.collectDigits({ prompts: [], timeoutMs: 3000, maxDigits: 5, terminator: '#' }, signal)).to.deep.equal({ digits: '12', reason: 'terminator' });
    expect(call.clock.now() - start).to.equal(2000);
    expect(await call.collectDigits({ prompts: [], timeoutMs: 3000, maxDigits: 3, terminator: '#' }, signal)).to.deep.equal({ digits: '345', reason: 'max' });
    expect(await call.collectDigits({ prompts: [], timeoutMs: 3000, maxDigits: 5, terminator: '#' }, signal)).to.deep.equal({ digits: '67', reason: 'timeout' });
    expect(call.clock.now() - start).to.equal(5000);
  });

  it('silence counts against the remaining timeout, across several waits', async () => {
    const call = new ScriptedCall({ script: [{ wait: 2000 }, { wait: 2000 }, '1'] });
    expect(await call.waitForDigit(3000, signal)).to.equal(null);
    expect(call.remaining).to.equal(2); // 1 s of the second silence is left, then the key
    expect(await call.waitForDigit(3000, signal)).to.equal('1');
  });

  it('playback is interrupted only by an escape digit that is the caller’s next action', async () => {
    const call = new ScriptedCall({ script: ['5', '#'] });
    expect(await call.play(['a'], { escapeDigits: '#' }, signal)).to.deep.equal({ digit: null });
    expect(await call.play(['a'], { escapeDigits: '0123456789' }, signal)).to.deep.equal({ digit: '5' });
    expect(await call.say('digits', '12', { escapeDigits: '#' }, signal)).to.deep.equal({ digit: '#' });
  });

  it('a scripted hangup ends the call at the next operation; variables still work afterwards', async () => {
    const call = new ScriptedCall({ script: [{ hangup: true }], channelVariables: { A: '1' } });
    let notified = 0;
    call.onHangup(() => notified++);
    let error: unknown;
    try {
      await call.waitForDigit(1000, signal);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(CallHungUpError);
    expect(call.hungUpBy).to.equal('caller');
    expect(notified).to.equal(1);
    expect(await call.getVariable('A', signal)).to.equal('1');
    await call.setVariable('B', '2', signal);
    let second: unknown;
    try {
      await call.play(['x'], { escapeDigits: '' }, signal);
    } catch (e) {
      second = e;
    }
    expect(second).to.be.instanceOf(CallHungUpError);
  });

  it('hangs up after a virtual time, interrupting a wait', async () => {
    const call = new ScriptedCall({ hangup: { afterMs: 1500 } });
    const controller = new AbortController();
    call.onHangup(() => controller.abort(new CallHungUpError()));
    let error: unknown;
    try {
      await call.waitForDigit(5000, controller.signal);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(CallHungUpError);
    expect(call.clock.now() - Date.UTC(2026, 0, 5, 9)).to.equal(1500);
  });

  it('refuses operations outside the channel’s capabilities, and non-DTMF script keys', async () => {
    const chat = new ScriptedCall({ channel: 'chat' });
    let error: unknown;
    try {
      await chat.play(['x'], { escapeDigits: '' }, signal);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(CapabilityError);
    expect((error as CapabilityError).channel).to.equal('chat');
    expect((error as CapabilityError).message).to.equal('play needs the "audio" capability, which a chat call does not have');
    expect(() => new ScriptedCall({ script: ['1a'] })).to.throw('"a" is not a DTMF key');
  });

  it('the virtual clock fires timers in order and stops a sleep at an abort', async () => {
    const clock = new VirtualClock(0);
    const fired: number[] = [];
    clock.setTimer(300, () => fired.push(300));
    const cancel = clock.setTimer(100, () => fired.push(100));
    clock.setTimer(200, () => fired.push(200));
    cancel();
    await clock.sleep(250);
    expect(fired).to.deep.equal([200]);
    expect(clock.now()).to.equal(250);
    const controller = new AbortController();
    clock.setTimer(10, () => controller.abort('stop'));
    let reason: unknown;
    await clock.sleep(1000, controller.signal).catch((e: unknown) => (reason = e));
    expect(reason).to.equal('stop');
    expect(clock.now()).to.equal(260);
  });
});
