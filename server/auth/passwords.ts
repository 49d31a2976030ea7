// Password hashing with scrypt (memory-hard, in Node's own crypto: no native add-on to build).
// The stored form carries its parameters, so raising the cost later keeps old hashes verifiable.
import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';

function scrypt(password: string, salt: Buffer, keylen: number, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

const KEY_LENGTH = 32;

/** `scrypt$<log2N>$<r>$<p>$<salt b64>$<hash b64>` */
export async function hashPassword(password: string, cost = 15): Promise<string> {
  const salt = randomBytes(16);
  const N = 2 ** cost;
  const key = await scrypt(password.normalize('NFC'), salt, KEY_LENGTH, { N, r: 8, p: 1, maxmem: 256 * N * 8 });
  return ['scrypt', cost, 8, 1, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, costS, rS, pS, saltS, hashS] = parts as [string, string, string, string, string, string];
  const cost = Number(costS);
  const r = Number(rS);
  const p = Number(pS);
  if (!Number.isInteger(cost) || cost < 10 || cost > 22 || !Number.isInteger(r) || !Number.isInteger(p)) return false;
  const expected = Buffer.from(hashS, 'base64');
  const N = 2 ** cost;
  const key = await scrypt(password.normalize('NFC'), Buffer.from(saltS, 'base64'), expected.length, { N, r, p, maxmem: 256 * N * r });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Spends the same time as a real verification, so unknown usernames cannot be told apart by timing. */
const dummyHashes = new Map<number, Promise<string>>();
export async function burnVerification(cost: number): Promise<void> {
  // One dummy per cost: a hash made at another cost would take another time.
  let dummy = dummyHashes.get(cost);
  if (!dummy) dummyHashes.set(cost, (dummy = hashPassword(randomBytes(12).toString('hex'), cost)));
  await verifyPassword('not the password', await dummy);
}

export const PASSWORD_SPECIALS = '~!@#$%^&-_=+[{]}';

/**
 * XCALLY's security-suite rules: at least 8 characters, one lower-case, one upper-case, one digit and
 * one of ~!@#$%^&-_=+[{]}. Returns every rule broken (empty when the password is acceptable).
 * With the suite off only a minimal length applies: an empty or trivial password is never accepted.
 */
export function passwordProblems(password: string, securitySuite: boolean): string[] {
  const problems: string[] = [];
  if (password.length > 256) problems.push('must be at most 256 characters');
  if (!securitySuite) {
    if (password.length < 6) problems.push('must be at least 6 characters');
    return problems;
  }
  if (password.length < 8) problems.push('must be at least 8 characters');
  if (!/[a-z]/.test(password)) problems.push('must contain a lower-case letter');
  if (!/[A-Z]/.test(password)) problems.push('must contain an upper-case letter');
  if (!/[0-9]/.test(password)) problems.push('must contain a digit');
  if (![...password].some((c) => PASSWORD_SPECIALS.includes(c))) problems.push(`must contain one of ${PASSWORD_SPECIALS}`);
  return problems;
}

/** A password that satisfies every rule, for one-time passwords printed at first start. */
export function generatePassword(): string {
  const lower = 'abcdefghijkmnopqrstuvwxyz';
  const upper = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
  const digits = '23456789';
  const pick = (set: string, n: number) => Array.from(randomBytes(n), (b) => set[b % set.length]).join('');
  const chars = (pick(lower, 6) + pick(upper, 4) + pick(digits, 3) + pick(PASSWORD_SPECIALS, 2)).split('');
  // Fisher-Yates with crypto randomness.
  const rnd = randomBytes(chars.length);
  for (let i = chars.length - 1; i > 0; i--) {
    const j = rnd[i]! % (i + 1);
    [chars[i], chars[j]] = [chars[j]!, chars[i]!];
  }
  return chars.join('');
}
