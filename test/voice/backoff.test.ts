import { expect } from 'chai';
import fc from 'fast-check';
import { backoffDelay, resolveBackoff } from '../../server/voice/backoff.ts';

describe('reconnect backoff', () => {
  const policy = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.5 };

  it('grows exponentially up to the cap', () => {
    const top = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((n) => backoffDelay(n, policy, () => 1));
    expect(top).to.deep.equal([500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });

  it('keeps every jittered delay within [base × (1 − jitter), base]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.double({ min: 0, max: 0.999999, noNaN: true }), (attempt, r) => {
        const base = Math.min(policy.maxMs, policy.initialMs * 2 ** (attempt - 1));
        const d = backoffDelay(attempt, policy, () => r);
        expect(d).to.be.within(Math.floor(base * 0.5), base);
      }),
    );
  });

  it('refuses a nonsensical policy at configuration time', () => {
    expect(() => resolveBackoff({ initialMs: 0 })).to.throw(RangeError);
    expect(() => resolveBackoff({ initialMs: 1000, maxMs: 10 })).to.throw(RangeError);
    expect(() => resolveBackoff({ factor: 0.5 })).to.throw(RangeError);
    expect(resolveBackoff({ initialMs: 10 })).to.include({ initialMs: 10, maxMs: 30_000 });
  });
});
