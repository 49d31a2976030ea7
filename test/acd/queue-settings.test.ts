// A queue's settings: validated once, in seconds (the API's schema), and turned into the routing
// core's milliseconds by one conversion.
import { expect } from 'chai';
import { inMilliseconds, queueSettingsSchema, type QueueSettings } from '../../server/acd/queue-settings.ts';
import { compileQueue, STRATEGIES } from '../../server/acd/routing/index.ts';

const valid: QueueSettings = {
  strategy: 'rrmemory',
  timeoutSec: 300,
  ringTimeoutSec: 20,
  retrySec: 5,
  wrapupSec: 10,
  maxWaiting: 0,
  joinEmpty: 'yes',
  leaveWhenEmpty: 'no',
  mohClass: 'default',
  announcement: null,
  announcePosition: false,
  announceFrequencySec: 0,
  serviceLevelSec: 20,
  dispositionRequired: false,
};

/** The first problem the schema finds with one setting changed: its field and message. */
function problem(patch: Record<string, unknown>): string {
  const parsed = queueSettingsSchema.safeParse({ ...valid, ...patch });
  if (parsed.success) return 'accepted';
  const issue = parsed.error.issues[0]!;
  return `${issue.path.join('.')}: ${issue.message}`;
}

describe('acd: queue settings', () => {
  it('accepts every strategy the core routes by, and the settings as given', () => {
    for (const strategy of STRATEGIES) expect(problem({ strategy }), strategy).to.equal('accepted');
    expect(queueSettingsSchema.parse(valid)).to.deep.equal(valid);
  });

  it('refuses a bad setting with a message naming the field and what it must be', () => {
    expect(problem({ strategy: 'roundrobin' })).to.equal('strategy: must be one of ringall, beepall, leastrecent, fewestcalls, random, rrmemory, linear, wrandom');
    expect(problem({ joinEmpty: 'maybe' })).to.equal('joinEmpty: must be one of yes, no, strict, loose');
    expect(problem({ leaveWhenEmpty: ['paused'] })).to.equal('leaveWhenEmpty: must be one of yes, no, strict, loose');
    expect(problem({ timeoutSec: -1 })).to.equal('timeoutSec: must be 0 (no limit) or more');
    expect(problem({ serviceLevelSec: 0 })).to.equal('serviceLevelSec: must be 1 or more');
    expect(problem({ ringTimeoutSec: 0 })).to.match(/^ringTimeoutSec: /);
    expect(problem({ retrySec: 1.5 })).to.match(/^retrySec: /);
    expect(problem({ wrapupSec: 3601 })).to.match(/^wrapupSec: /);
    expect(problem({ maxWaiting: -1 })).to.match(/^maxWaiting: /);
    expect(problem({ mohClass: 'no spaces' })).to.equal('mohClass: must be a music-on-hold class name');
  });

  it('the engine routes in milliseconds: offer ring time, retry, wrap-up and the longest wait, converted once', () => {
    const ms = inMilliseconds({ strategy: 'linear', timeoutSec: 120, ringTimeoutSec: 20, retrySec: 5, wrapupSec: 30, maxWaiting: 7, joinEmpty: 'strict', leaveWhenEmpty: 'loose' });
    expect(ms).to.deep.equal({ strategy: 'linear', timeoutMs: 20_000, retryMs: 5_000, wrapupMs: 30_000, maxWaiting: 7, joinEmpty: 'strict', leaveWhenEmpty: 'loose', waitTimeoutMs: 120_000 });
    const compiled = compileQueue({ ...ms, id: 3, channel: 'chat', members: [{ agentId: 1, penalty: 0 }] });
    expect(compiled).to.include({ strategy: 'linear', timeoutMs: 20_000, retryMs: 5_000, wrapupMs: 30_000, maxWaiting: 7 });
    expect(compiled.joinEmptyMask).to.not.equal(0);
  });
});
