// Naming rules, the prompt resolver and the HTTP caching rules: pure functions.
import { expect } from 'chai';
import { checkLanguage, checkSoundName, parseMediaFileName, soundFilePath, soundMediaPath, SoundNameError } from '../../server/sounds/names.ts';
import { buildSoundIndex, pickLanguage, PromptError, resolvePrompt } from '../../server/sounds/resolver.ts';
import { cacheControlFor, etagFor, IMMUTABLE, isNotModified, REVALIDATE } from '../../server/sounds/media.ts';
import { PromptResolver } from '../../server/sounds/prompt-resolver.ts';

function nameError(fn: () => unknown): SoundNameError {
  try {
    fn();
  } catch (err) {
    if (err instanceof SoundNameError) return err;
    throw err;
  }
  throw new Error('expected a SoundNameError');
}

describe('sounds: naming rules', () => {
  it('accepts plain names and Asterisk language codes', () => {
    for (const n of ['welcome', 'menu-1', 'out_of_hours', '9am', 'a'.repeat(64)]) expect(checkSoundName(n)).to.equal(n);
    for (const l of ['en', 'it', 'fil', 'en_GB', 'pt_BR']) expect(checkLanguage(l)).to.equal(l);
  });

  it('refuses names that could leave the folder, need escaping, or break Asterisk arguments', () => {
    for (const bad of ['', '../etc/passwd', 'a/b', 'Welcome', 'with space', 'a,b', 'a&b', '-dash', '.hidden', 'x.wav', 'é', 'a'.repeat(65), 'nul\0']) {
      const err = nameError(() => checkSoundName(bad));
      expect(err.field).to.equal('name');
    }
    expect(nameError(() => checkSoundName('bad\nname')).message).to.contain('bad\\x0aname');
    for (const bad of ['EN', 'english', 'en-GB', 'en_gb', '', '../en']) expect(nameError(() => checkLanguage(bad)).field).to.equal('language');
  });

  it('maps a variant to its file and its URL path, and URL file names back', () => {
    expect(soundFilePath('/data', 'it', 'welcome', 'wav')).to.equal('/data/sounds/it/welcome.wav');
    expect(soundFilePath('/data', 'en_GB', 'welcome', 'sln16')).to.equal('/data/sounds/en_GB/welcome.sln16');
    expect(soundMediaPath('en', 'welcome')).to.equal('/media/sounds/en/welcome.wav');
    expect(parseMediaFileName('welcome.wav')).to.deep.equal({ name: 'welcome', format: 'wav' });
    expect(parseMediaFileName('welcome.sln16')).to.deep.equal({ name: 'welcome', format: 'sln16' });
    expect(nameError(() => parseMediaFileName('welcome.mp3')).field).to.equal('file');
    expect(nameError(() => parseMediaFileName('welcome')).field).to.equal('file');
    expect(nameError(() => parseMediaFileName('../x.wav')).field).to.equal('name');
    expect(() => soundFilePath('/data', '..', 'x', 'wav')).to.throw(SoundNameError);
  });
});

describe('sounds: prompt resolver', () => {
  const index = buildSoundIndex([
    { name: 'welcome', language: 'en', version: 'aaaa' },
    { name: 'welcome', language: 'it', version: 'bbbb' },
    { name: 'beep', language: 'en', version: 'cccc' }, // the library shadows Asterisk's beep
    { name: 'promo', language: 'it', version: 'dddd' },
  ]);
  const options = { baseUrl: 'http://tandem.example:8080/', defaultLanguage: 'en' };
  const resolve = (p: string, lang = 'en') => resolvePrompt(p, lang, index, options);

  it("plays Asterisk's own sounds by name", () => {
    expect(resolve('digits/1')).to.deep.equal({ kind: 'asterisk', file: 'digits/1' });
    expect(resolve('vm-intro', 'it')).to.deep.equal({ kind: 'asterisk', file: 'vm-intro' });
    expect(resolve('asterisk:beep')).to.deep.equal({ kind: 'asterisk', file: 'beep' });
    expect(resolve('silence/1')).to.deep.equal({ kind: 'asterisk', file: 'silence/1' });
  });

  it('plays library sounds from Tandem over HTTP, in the caller language, with the content version in the URL', () => {
    expect(resolve('welcome', 'it')).to.deep.equal({ kind: 'tandem', url: 'http://tandem.example:8080/media/sounds/it/welcome.wav?v=bbbb', name: 'welcome', language: 'it', fallback: false });
    expect(resolve('tandem:welcome')).to.include({ language: 'en', url: 'http://tandem.example:8080/media/sounds/en/welcome.wav?v=aaaa' });
    expect(resolve('beep')).to.include({ kind: 'tandem' });
  });

  it('falls back from a missing variant to the base language, the default, then any', () => {
    expect(resolve('welcome', 'en_GB')).to.include({ language: 'en', fallback: true });
    expect(resolve('welcome', 'fr')).to.include({ language: 'en', fallback: true });
    expect(resolve('promo', 'fr')).to.include({ language: 'it', fallback: true });
    expect(resolve('welcome', 'not a language')).to.include({ language: 'en' });
    expect(pickLanguage('de', ['it', 'es'], 'en')).to.equal('es');
    expect(() => pickLanguage('en', [], 'en')).to.throw();
  });

  it('refuses URLs, paths that climb, absolute paths and unknown library sounds', () => {
    for (const bad of ['http://evil.example/x.wav', 'HTTPS://x/y', '../../etc/passwd', '/etc/passwd', 'digits/../x', 'a b', '', 'tandem:nothing', 'tandem:../x', 'asterisk:', 'x;y']) {
      expect(() => resolve(bad), bad).to.throw(PromptError);
    }
    expect(() => resolve('tandem:nothing')).to.throw("the sound library has no sound 'nothing'");
  });

  it('gives AgiCall the string STREAM FILE takes, from an index it can refresh', () => {
    const r = new PromptResolver({ baseUrl: 'http://t:8080', defaultLanguage: 'en' });
    expect(r.streamTarget('welcome', 'en')).to.equal('welcome'); // empty index: Asterisk's file name
    r.setIndex(index);
    expect(r.streamTarget('welcome', 'en')).to.equal('http://t:8080/media/sounds/en/welcome.wav?v=aaaa');
    expect(r.streamTarget('digits/2', 'en')).to.equal('digits/2');
  });
});

describe('sounds: HTTP caching for res_http_media_cache', () => {
  it('caches a versioned URL for good and revalidates anything else', () => {
    expect(cacheControlFor('abc', 'abc')).to.equal(IMMUTABLE);
    expect(IMMUTABLE).to.match(/max-age=\d+/); // what res_http_media_cache reads
    expect(cacheControlFor(undefined, 'abc')).to.equal(REVALIDATE);
    expect(cacheControlFor('old', 'abc')).to.equal(REVALIDATE);
    expect(REVALIDATE).to.contain('no-cache'); // makes res_http_media_cache send If-None-Match
  });

  it('answers conditional requests by ETag first, then by date', () => {
    const sha = 'f'.repeat(64);
    const etag = etagFor(sha, 'wav');
    expect(etag).to.equal(`"${'f'.repeat(32)}"`);
    expect(etagFor(sha, 'sln16')).to.not.equal(etag);
    const changed = new Date('2026-11-21T10:00:00.500Z');
    expect(isNotModified({ 'if-none-match': etag }, etag, changed)).to.equal(true);
    expect(isNotModified({ 'if-none-match': `"other", W/${etag}` }, etag, changed)).to.equal(true);
    expect(isNotModified({ 'if-none-match': '*' }, etag, changed)).to.equal(true);
    expect(isNotModified({ 'if-none-match': '"other"', 'if-modified-since': changed.toUTCString() }, etag, changed)).to.equal(false);
    expect(isNotModified({ 'if-modified-since': changed.toUTCString() }, etag, changed)).to.equal(true); // same second
    expect(isNotModified({ 'if-modified-since': new Date('2026-11-21T09:59:59Z').toUTCString() }, etag, changed)).to.equal(false);
    expect(isNotModified({ 'if-modified-since': 'garbage' }, etag, changed)).to.equal(false);
    expect(isNotModified({}, etag, changed)).to.equal(false);
  });
});
