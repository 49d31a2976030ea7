import { expect } from 'chai';
import { generatePassword, hashPassword, passwordProblems, verifyPassword, PASSWORD_SPECIALS } from '../../server/auth/passwords.ts';

describe('password rules of the security suite', () => {
  const cases: [string, string][] = [
    ['Ab1-xyz', 'must be at least 8 characters'],
    ['AB1-XYZW', 'must contain a lower-case letter'],
    ['ab1-xyzw', 'must contain an upper-case letter'],
    ['Abc-xyzw', 'must contain a digit'],
    ['Abc1xyzw', `must contain one of ${PASSWORD_SPECIALS}`],
  ];
  for (const [password, rule] of cases) {
    it(`rejects '${password}': ${rule}`, () => {
      expect(passwordProblems(password, true)).to.deep.equal([rule]);
    });
  }
  it('accepts each listed special character', () => {
    for (const c of PASSWORD_SPECIALS) expect(passwordProblems(`Abcdef1${c}`, true), c).to.deep.equal([]);
  });
  it('does not count other symbols as special', () => {
    expect(passwordProblems('Abcdef1*', true)).to.deep.equal([`must contain one of ${PASSWORD_SPECIALS}`]);
  });
  it('lists every broken rule at once', () => {
    expect(passwordProblems('abc', true)).to.have.length(4);
  });
  it('keeps a minimal length when the suite is off', () => {
    expect(passwordProblems('abc', false)).to.deep.equal(['must be at least 6 characters']);
    expect(passwordProblems('abcdef', false)).to.deep.equal([]);
  });
  it('generates one-time passwords that pass every rule and differ', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(passwordProblems(p, true), p).to.deep.equal([]);
      seen.add(p);
    }
    expect(seen.size).to.equal(50);
  });
});

describe('password hashing (scrypt)', () => {
  it('verifies the right password, refuses a wrong one, salts every hash', async () => {
    const a = await hashPassword('Secret-Pass1', 10);
    const b = await hashPassword('Secret-Pass1', 10);
    expect(a).to.match(/^scrypt\$10\$8\$1\$/);
    expect(a).to.not.equal(b);
    expect(await verifyPassword('Secret-Pass1', a)).to.equal(true);
    expect(await verifyPassword('Secret-Pass2', a)).to.equal(false);
  });
  it('treats unicode in its NFC form', async () => {
    const h = await hashPassword('Café-Pass1', 10);
    expect(await verifyPassword('Cafe\u0301-Pass1', h)).to.equal(true);
  });
  it('refuses malformed stored hashes instead of throwing', async () => {
    for (const bad of ['', 'plain', 'scrypt$99$8$1$x$y', 'bcrypt$1$2$3$4$5']) expect(await verifyPassword('x', bad)).to.equal(false);
  });
});
