import { expect } from 'chai';
import { makeProject } from './helpers.ts';
import { canonicalJson, contentHash, deepFreeze, draftFromVersion, publishVersion, sha256Hex, verifyPublishedVersion } from '../../flows/versioning.ts';
import { simulate } from '../../flows/testing/simulate.ts';

const draft = () =>
  makeProject({
    start: { type: 'Start', exits: { next: 'set' } },
    set: { type: 'Set', params: { assignments: [{ variable: 'V', value: 'one' }] }, exits: { next: 'end' } },
    end: { type: 'End' },
  });

describe('flows/versioning: published versions are immutable', () => {
  it('SHA-256 matches the standard test vectors', () => {
    const hex = (s: string) => sha256Hex(new TextEncoder().encode(s));
    expect(hex('')).to.equal('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex('abc')).to.equal('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).to.equal('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
    expect(hex('a'.repeat(1000))).to.equal('41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3');
  });

  it('the content hash ignores key order and changes with content', () => {
    expect(canonicalJson({ b: 1, a: [2, { d: null, c: 'x' }] })).to.equal('{"a":[2,{"c":"x","d":null}],"b":1}');
    expect(contentHash({ a: 1, b: 2 })).to.equal(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1 })).to.not.equal(contentHash({ a: 2 }));
  });

  it('publishing freezes a deep copy: the version cannot be changed, the draft still can', () => {
    const project = draft();
    const version = publishVersion(project, { version: 3, publishedAt: new Date(Date.UTC(2026, 0, 5)), publishedBy: 'ada', message: 'new greeting' });
    expect(version).to.include({ projectId: 'test-project', version: 3, publishedAt: '2026-01-05T00:00:00.000Z', publishedBy: 'ada', message: 'new greeting' });
    expect(Object.isFrozen(version.project.blocks['set']!.params)).to.equal(true);
    expect(() => {
      (version.project.blocks['set']!.params as Record<string, unknown>)['assignments'] = [];
    }).to.throw(TypeError);
    expect(() => {
      (version as { version: number }).version = 4;
    }).to.throw(TypeError);
    project.blocks['set']!.params = { assignments: [{ variable: 'V', value: 'two' }] };
    expect(verifyPublishedVersion(version)).to.equal(true);
    expect(version.project.blocks['set']!.params).to.deep.equal({ assignments: [{ variable: 'V', value: 'one' }] });
  });

  it('detects a stored version altered behind its back', () => {
    const version = publishVersion(draft(), { version: 1, publishedAt: '2026-01-05T00:00:00.000Z' });
    const tampered = { ...version, project: { ...version.project, name: 'changed' } };
    expect(verifyPublishedVersion(tampered)).to.equal(false);
  });

  it('calls run the frozen version; a new draft starts from a mutable copy', async () => {
    const version = publishVersion(draft(), { version: 1, publishedAt: '2026-01-05T00:00:00.000Z' });
    const sim = await simulate(version.project);
    expect(sim.result.variables['V']).to.equal('one');
    const next = draftFromVersion(version);
    next.blocks['set']!.params = { assignments: [{ variable: 'V', value: 'two' }] };
    expect((await simulate(next)).result.variables['V']).to.equal('two');
    expect((await simulate(version.project)).result.variables['V']).to.equal('one');
  });

  it('refuses nonsense version numbers', () => {
    expect(() => publishVersion(draft(), { version: 0, publishedAt: '2026-01-05' })).to.throw(RangeError);
  });

  it('deepFreeze copes with deep structures without recursion', () => {
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 50_000; i++) {
      const next = {};
      deep['n'] = next;
      deep = next;
    }
    deepFreeze(root);
    expect(Object.isFrozen(deep)).to.equal(true);
  });
});
