// The sound library end to end: real HTTP into a Koa app built like server/http/app.ts from
// soundRoutes/soundMediaRoutes, real PostgreSQL (the draft migration applied by hand until it joins
// server/db/migrations), real ffmpeg conversions of tones made by sox/ffmpeg, and the media URLs
// requested the way Asterisk's res_http_media_cache does (GET, then HEAD with If-None-Match).
import { expect } from 'chai';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { and, eq } from 'drizzle-orm';
import { loadConfig } from '../../server/config.ts';
import { users, auditLog } from '../../server/db/schema.ts';
import { createSession } from '../../server/auth/sessions.ts';
import { createMailer } from '../../server/mail/mailer.ts';
import { newRouter, type Services, type TandemState } from '../../server/http/context.ts';
import { errorMiddleware } from '../../server/http/error-middleware.ts';
import { jsonBody } from '../../server/http/body.ts';
import { authenticate } from '../../server/http/auth-middleware.ts';
import { ApiError } from '../../server/http/errors.ts';
import { soundMediaRoutes, soundRoutes } from '../../server/sounds/routes.ts';
import { sounds } from '../../server/sounds/schema.ts';
import { checkAsteriskWav, DEFAULT_SOUND_LIMITS } from '../../server/sounds/audio-format.ts';
import { PromptResolver } from '../../server/sounds/prompt-resolver.ts';
import { storeSound, sweepSoundFolder } from '../../server/sounds/library.ts';
import { createTestDatabase, quietLogger, type TestDatabase } from '../support/database.ts';
import { toneFactory, type ToneFactory } from './tones.ts';
import { eventually } from '../support/eventually.ts';

const LIMITS = { ...DEFAULT_SOUND_LIMITS, maxUploadBytes: 600 * 1024, maxDurationSeconds: 5 };

interface Summary {
  name: string;
  language: string;
  description: string;
  sourceFormat: string;
  durationMs: number;
  wavBytes: number;
  version: string;
  mediaPath: string;
}
interface ErrorBody {
  error: { code: string; message: string; details: { fields?: { field: string; message: string }[]; reason?: string } };
}

describe('sounds: library over HTTP and PostgreSQL', function () {
  this.timeout(60_000);
  let testDb: TestDatabase;
  let dataDir: string;
  let server: http.Server;
  let base: string;
  let tones: ToneFactory;
  let admin: string;
  let reader: string;
  let outsider: string;
  let adminId: number;
  let changes = 0;
  let resolver: PromptResolver;

  before(async () => {
    tones = await toneFactory();
    dataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'tandem-sounds-'));
    testDb = await createTestDatabase('postgres');
    const { database } = testDb;
    await database.migrate();
    const made = await database.db
      .insert(users)
      .values([
        { role: 'admin', username: 'boss', fullName: 'Boss' },
        { role: 'supervisor', username: 'reader', fullName: 'Reader', permissions: { voice: 'read' } },
        { role: 'supervisor', username: 'outsider', fullName: 'Outsider', permissions: { chat: 'read-edit-delete' } },
      ])
      .returning({ id: users.id });
    adminId = made[0]!.id;
    admin = (await createSession(database.db, made[0]!.id, 1)).token;
    reader = (await createSession(database.db, made[1]!.id, 1)).token;
    outsider = (await createSession(database.db, made[2]!.id, 1)).token;

    const config = loadConfig({ TANDEM_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
    const services: Services = { config, database, db: database.db, logger: quietLogger(), mailer: createMailer(undefined, config.mail.from) };
    // Built as server/http/app.ts builds the real app; the JSON body parser lets multipart through
    // (the change server/http/body.ts needs for uploads).
    const app = new Koa<TandemState>();
    app.silent = true;
    app.use(errorMiddleware(services.logger));
    app.use(async (ctx, next) => {
      ctx.set('Cache-Control', 'no-store');
      await next();
    });
    const json = jsonBody(config.http.bodyLimitBytes);
    app.use(async (ctx, next) => (ctx.is('multipart/form-data') ? next() : json(ctx, next)));
    const allowed = { throw: true, methodNotAllowed: () => new ApiError('METHOD_NOT_ALLOWED'), notImplemented: () => new ApiError('METHOD_NOT_ALLOWED') };
    const media = soundMediaRoutes(services);
    app.use(media.routes());
    app.use(media.allowedMethods(allowed));
    const api = newRouter();
    api.use(authenticate(services));
    const routes = soundRoutes(services, {
      limits: LIMITS,
      onChange: async () => {
        changes++;
        await resolver.refresh(database.db);
      },
    });
    api.use(routes.routes(), routes.allowedMethods(allowed));
    app.use(api.routes());
    server = http.createServer(app.callback());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // The voice runtime's resolver, pointed at where "Asterisk" reaches this Tandem.
    resolver = new PromptResolver({ baseUrl: base, defaultLanguage: 'en' });
    await resolver.refresh(database.db);
  });

  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    await testDb?.drop();
    await tones?.cleanup();
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
  });

  const upload = async (name: string, language: string, bytes: Uint8Array | undefined, token = admin, extra: Record<string, string> = {}) => {
    const form = new FormData();
    if (bytes) form.append('file', new Blob([new Uint8Array(bytes)]), 'upload.bin');
    for (const [k, v] of Object.entries(extra)) form.append(k, v);
    const res = await fetch(`${base}/api/sounds/${name}/${language}`, { method: 'PUT', body: form, headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : undefined) as unknown, text };
  };
  const get = async (p: string, token?: string, headers: Record<string, string> = {}, method = 'GET') => {
    const res = await fetch(base + p, { method, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const exists = (p: string) => fs.stat(p).then(
    () => true,
    () => false,
  );
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

  it('converts an uploaded 44.1 kHz stereo WAV into what Asterisk plays, and records it', async () => {
    const wav = await tones.wav('welcome.wav', { seconds: 1, rate: 44100, channels: 2 });
    const res = await upload('welcome', 'en', wav, admin, { description: 'Main greeting' });
    expect(res.status, res.text).to.equal(201);
    const s = res.body as Summary;
    expect(s).to.include({ name: 'welcome', language: 'en', description: 'Main greeting', sourceFormat: 'wav', durationMs: 1000, mediaPath: '/media/sounds/en/welcome.wav' });
    const stored = await fs.readFile(path.join(dataDir, 'sounds/en/welcome.wav'));
    expect(checkAsteriskWav(stored)).to.include({ sampleRate: 8000, channels: 1, bitsPerSample: 16, durationMs: 1000 });
    expect(s.wavBytes).to.equal(stored.length);
    expect(s.version).to.equal(sha(stored).slice(0, 16));
    expect((await fs.stat(path.join(dataDir, 'sounds/en/welcome.sln16'))).size).to.equal(32000); // 1 s at 16 kHz, 16 bits
    const [row] = await testDb.database.db.select().from(sounds).where(and(eq(sounds.name, 'welcome'), eq(sounds.language, 'en')));
    expect(row).to.include({ sha256: sha(stored), createdBy: adminId, sourceFormat: 'wav' });
    const audited = await testDb.database.db.select().from(auditLog).where(eq(auditLog.subject, 'sound:en/welcome'));
    expect(audited.map((a) => a.action)).to.deep.equal(['sound.created']);
    expect(await fs.readdir(path.join(dataDir, 'sounds/.incoming'))).to.deep.equal([]); // work files cleaned
  });

  it('takes an MP3 as another language variant, and lists variants', async () => {
    const res = await upload('welcome', 'it', await tones.mp3('benvenuto.mp3', { seconds: 2 }));
    expect(res.status, res.text).to.equal(201);
    expect((res.body as Summary).sourceFormat).to.equal('mp3');
    expect((res.body as Summary).durationMs).to.be.closeTo(2000, 80);
    const one = await fetch(`${base}/api/sounds/welcome`, { headers: { authorization: `Bearer ${reader}` } });
    const body = (await one.json()) as { name: string; variants: Summary[] };
    expect(body.variants.map((v) => v.language)).to.deep.equal(['en', 'it']);
    const list = await fetch(`${base}/api/sounds?language=it`, { headers: { authorization: `Bearer ${reader}` } });
    expect(((await list.json()) as Summary[]).map((v) => `${v.name}/${v.language}`)).to.deep.equal(['welcome/it']);
    const variant = await fetch(`${base}/api/sounds/welcome/it`, { headers: { authorization: `Bearer ${reader}` } });
    expect(((await variant.json()) as Summary).language).to.equal('it');
  });

  it('serves the media URL as res_http_media_cache expects: format by extension, ETag, Last-Modified, 304 on revalidation', async () => {
    const stored = await fs.readFile(path.join(dataDir, 'sounds/en/welcome.wav'));
    const res = await get('/media/sounds/en/welcome.wav'); // no credentials: Asterisk sends none
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('audio/wav');
    expect(Number(res.headers.get('content-length'))).to.equal(stored.length);
    expect(res.bytes.equals(stored)).to.equal(true);
    const etag = res.headers.get('etag')!;
    expect(etag).to.equal(`"${sha(stored).slice(0, 32)}"`);
    expect(res.headers.get('cache-control')).to.equal('no-cache');
    const lastModified = res.headers.get('last-modified')!;
    expect(Number.isNaN(Date.parse(lastModified))).to.equal(false);
    // res_http_media_cache's revalidation: HEAD with If-None-Match.
    const head = await get('/media/sounds/en/welcome.wav', undefined, { 'if-none-match': etag }, 'HEAD');
    expect(head.status).to.equal(304);
    expect(head.headers.get('etag')).to.equal(etag);
    const plainHead = await get('/media/sounds/en/welcome.wav', undefined, {}, 'HEAD');
    expect(plainHead.status).to.equal(200);
    expect(plainHead.headers.get('content-length')).to.equal(String(stored.length));
    expect(plainHead.bytes.length).to.equal(0);
    expect((await get('/media/sounds/en/welcome.wav', undefined, { 'if-modified-since': lastModified })).status).to.equal(304);
    expect((await get('/media/sounds/en/welcome.wav', undefined, { 'if-none-match': '"stale"' })).status).to.equal(200);
    const versioned = await get(`/media/sounds/en/welcome.wav?v=${sha(stored).slice(0, 16)}`);
    expect(versioned.headers.get('cache-control')).to.match(/max-age=31536000/);
    const sln = await get('/media/sounds/en/welcome.sln16');
    expect(sln.status).to.equal(200);
    expect(sln.bytes.length).to.equal(32000);
    expect(sln.headers.get('etag')).to.not.equal(etag);
    expect((await get('/media/sounds/fr/welcome.wav')).status).to.equal(404);
    expect((await get('/media/sounds/en/nothing.wav')).status).to.equal(404);
    const traversal = await get('/media/sounds/en/..%2F..%2Fetc%2Fpasswd.wav');
    expect(traversal.status).to.equal(400);
    expect((await get('/media/sounds/en/welcome.mp3')).status).to.equal(400);
  });

  it('resolves prompts to URLs that play, refreshed after every change', async () => {
    expect(changes).to.be.greaterThanOrEqual(2);
    const it = resolver.resolve('welcome', 'it');
    expect(it.kind).to.equal('tandem');
    const url = new URL((it as { url: string }).url);
    expect(url.pathname).to.equal('/media/sounds/it/welcome.wav');
    const res = await fetch(url);
    expect(res.status).to.equal(200);
    expect(res.headers.get('cache-control')).to.match(/immutable/);
    expect(checkAsteriskWav(new Uint8Array(await res.arrayBuffer())).durationMs).to.be.closeTo(2000, 80);
    expect(resolver.resolve('welcome', 'fr')).to.include({ language: 'en', fallback: true });
    expect(resolver.resolve('digits/1', 'it')).to.deep.equal({ kind: 'asterisk', file: 'digits/1' });
  });

  it('replaces a variant: new version, same description, old media revalidates to the new file', async () => {
    const before = await get('/media/sounds/en/welcome.wav');
    const res = await upload('welcome', 'en', await tones.wav('longer.wav', { seconds: 3, rate: 8000, channels: 1 }));
    expect(res.status, res.text).to.equal(200);
    const s = res.body as Summary;
    expect(s.durationMs).to.equal(3000);
    expect(s.description).to.equal('Main greeting');
    const after = await get('/media/sounds/en/welcome.wav', undefined, { 'if-none-match': before.headers.get('etag')! });
    expect(after.status).to.equal(200); // the cached copy is stale: Asterisk fetches the new one
    expect(checkAsteriskWav(after.bytes).durationMs).to.equal(3000);
    expect((await fs.readdir(path.join(dataDir, 'sounds/en'))).sort()).to.deep.equal(['welcome.sln16', 'welcome.wav']); // no backups left
    const audited = await testDb.database.db.select().from(auditLog).where(eq(auditLog.subject, 'sound:en/welcome'));
    expect(audited.map((a) => a.action)).to.deep.equal(['sound.created', 'sound.replaced']);
  });

  it('keeps files and row in step when two uploads of the same variant race', async () => {
    const a = await tones.wav('race-a.wav', { seconds: 1, rate: 8000, channels: 1 });
    const b = await tones.mp3('race-b.mp3', { seconds: 2 });
    const results = await Promise.all([upload('race', 'en', a), upload('race', 'en', b)]);
    expect(results.map((r) => r.status).sort()).to.deep.equal([200, 201]);
    const stored = await fs.readFile(path.join(dataDir, 'sounds/en/race.wav'));
    const [row] = await testDb.database.db.select().from(sounds).where(and(eq(sounds.name, 'race'), eq(sounds.language, 'en')));
    expect(row!.sha256).to.equal(sha(stored));
  });

  it('refuses bad uploads with a clear error naming the field', async () => {
    const notAudio = await upload('bad', 'en', Buffer.from('this is a text file, not audio'));
    expect(notAudio.status).to.equal(400);
    expect((notAudio.body as ErrorBody).error.details.fields![0]!.field).to.equal('file');
    expect((notAudio.body as ErrorBody).error.message).to.contain('neither a WAV');

    const corrupt = Buffer.concat([Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt ', 'latin1'), Buffer.alloc(200, 0x41)]);
    const broken = await upload('bad', 'en', corrupt);
    expect(broken.status).to.equal(400);
    expect((broken.body as ErrorBody).error.details.reason).to.equal('undecodable');

    const long = await upload('bad', 'en', await tones.wav('six.wav', { seconds: 6, rate: 8000, channels: 1 }));
    expect(long.status).to.equal(400);
    expect((long.body as ErrorBody).error.message).to.contain('limit is 5 s');

    const big = await upload('bad', 'en', await tones.wav('big.wav', { seconds: 4, rate: 48000, channels: 2 })); // 768 KB
    expect(big.status).to.equal(413);
    expect((big.body as ErrorBody).error.code).to.equal('PAYLOAD_TOO_LARGE');

    const noFile = await upload('bad', 'en', undefined, admin, { description: 'x' });
    expect(noFile.status).to.equal(400);
    expect((noFile.body as ErrorBody).error.details.fields![0]).to.deep.equal({ field: 'file', message: 'a file is required' });

    const wav = await tones.wav('ok.wav', { seconds: 1, rate: 8000, channels: 1 });
    const badName = await upload('Bad%20Name', 'en', wav);
    expect(badName.status).to.equal(400);
    expect((badName.body as ErrorBody).error.details.fields![0]!.field).to.equal('name');
    const badLang = await upload('ok', 'english', wav);
    expect((badLang.body as ErrorBody).error.details.fields![0]!.field).to.equal('language');
    const longDescription = await upload('ok', 'en', wav, admin, { description: 'x'.repeat(501) });
    expect((longDescription.body as ErrorBody).error.details.fields![0]!.field).to.equal('description');

    const twoFiles = new FormData();
    twoFiles.append('file', new Blob([new Uint8Array(wav)]), 'a.wav');
    twoFiles.append('file', new Blob([new Uint8Array(wav)]), 'b.wav');
    const two = await fetch(`${base}/api/sounds/ok/en`, { method: 'PUT', body: twoFiles, headers: { authorization: `Bearer ${admin}` } });
    expect(two.status).to.equal(400);

    const asJson = await fetch(`${base}/api/sounds/ok/en`, { method: 'PUT', body: JSON.stringify({ file: 'x' }), headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' } });
    expect(asJson.status).to.equal(415);
    const malformed = await fetch(`${base}/api/sounds/ok/en`, { method: 'PUT', body: 'garbage', headers: { authorization: `Bearer ${admin}`, 'content-type': 'multipart/form-data; boundary=zzz' } });
    expect(malformed.status).to.equal(400);

    const rows = await testDb.database.db.select().from(sounds).where(eq(sounds.name, 'bad'));
    expect(rows).to.deep.equal([]);
    expect(await exists(path.join(dataDir, 'sounds/en/bad.wav'))).to.equal(false);
  });

  it('needs the voice permission: read to list, edit to upload, delete to remove', async () => {
    const wav = await tones.wav('perm.wav', { seconds: 1, rate: 8000, channels: 1 });
    expect((await fetch(`${base}/api/sounds`)).status).to.equal(401);
    expect((await upload('perm', 'en', wav, reader)).status).to.equal(403);
    expect((await fetch(`${base}/api/sounds`, { headers: { authorization: `Bearer ${outsider}` } })).status).to.equal(403);
    expect((await fetch(`${base}/api/sounds/welcome/en`, { method: 'DELETE', headers: { authorization: `Bearer ${reader}` } })).status).to.equal(403);
  });

  it('deletes a variant with its files; its media URL is gone', async () => {
    const del = await fetch(`${base}/api/sounds/welcome/it`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } });
    expect(del.status).to.equal(204);
    expect((await get('/media/sounds/it/welcome.wav')).status).to.equal(404);
    expect(await exists(path.join(dataDir, 'sounds/it/welcome.sln16'))).to.equal(false);
    expect(await exists(path.join(dataDir, 'sounds/it/welcome.wav'))).to.equal(false);
    expect((await fetch(`${base}/api/sounds/welcome/it`, { method: 'DELETE', headers: { authorization: `Bearer ${admin}` } })).status).to.equal(404);
    expect(resolver.resolve('welcome', 'it')).to.include({ language: 'en', fallback: true });
  });

  it('sweeps what an interrupted upload left behind, and nothing else', async () => {
    await fs.mkdir(path.join(dataDir, 'sounds/.incoming/dead'), { recursive: true });
    await fs.writeFile(path.join(dataDir, 'sounds/.incoming/dead/source.wav'), 'x');
    await fs.writeFile(path.join(dataDir, 'sounds/en/welcome.wav.1234.old'), 'x');
    await sweepSoundFolder(dataDir);
    expect(await exists(path.join(dataDir, 'sounds/.incoming'))).to.equal(false);
    expect((await fs.readdir(path.join(dataDir, 'sounds/en'))).sort()).to.deep.equal(['race.sln16', 'race.wav', 'welcome.sln16', 'welcome.wav']);
  });

  it('picks up changes made through another node on its refresh timer', async () => {
    const other = new PromptResolver({ baseUrl: base, defaultLanguage: 'en' });
    await other.refresh(testDb.database.db);
    expect(other.resolve('elsewhere', 'en').kind).to.equal('asterisk');
    // Another node's upload, seen only through the database.
    await testDb.database.db.insert(sounds).values({ name: 'elsewhere', language: 'en', sourceFormat: 'wav', sourceBytes: 1, durationMs: 1, wavBytes: 46, sha256: 'e'.repeat(64) });
    const stop = other.refreshEvery(testDb.database.db, 20, (err) => {
      throw err;
    });
    try {
      await eventually(() => other.resolve('elsewhere', 'en'), (r) => r.kind === 'tandem', 'the other node to see the uploaded sound');
      expect(other.resolve('elsewhere', 'en')).to.include({ kind: 'tandem', url: `${base}/media/sounds/en/elsewhere.wav?v=${'e'.repeat(16)}` });
    } finally {
      stop();
    }
  });

  it('runs at most maxConcurrentConversions conversions at once; the others wait their turn', async () => {
    // Wrappers around the real tools that log when each run starts and ends, by upload work folder.
    const log = path.join(tones.dir, 'tools.log');
    const wrap = async (tool: string) => {
      const file = path.join(tones.dir, `logged-${tool}`);
      await fs.writeFile(file, `#!/bin/sh\nwork=$(printf '%s\\n' "$@" | grep -o '/.incoming/[^/]*' | head -n1)\necho "start $work" >> '${log}'\n${tool} "$@"\ncode=$?\necho "end $work" >> '${log}'\nexit $code\n`, { mode: 0o755 });
      return file;
    };
    const tools = { ffmpeg: await wrap('ffmpeg'), ffprobe: await wrap('ffprobe') };
    const wav = await tones.wav('queued.wav', { seconds: 1, rate: 8000, channels: 1 });
    const deps = { db: testDb.database.db, dataDir, limits: { ...LIMITS, maxConcurrentConversions: 1 }, tools };
    const stored = await Promise.all(['q1', 'q2', 'q3'].map((name) => storeSound(deps, { name, language: 'en', bytes: wav, actorId: null })));
    expect(stored.map((r) => r.created)).to.deep.equal([true, true, true]);
    const lines = (await fs.readFile(log, 'utf8')).trim().split('\n');
    expect(lines).to.have.length(3 * 3 * 2); // probe + wav + sln16, start and end, three uploads
    // With one slot, each upload's three runs are contiguous: no other upload starts in between.
    const order = lines.map((l) => l.split(' ')[1]);
    const blocks = order.filter((w, i) => i === 0 || w !== order[i - 1]);
    expect(blocks).to.have.length(3);
    expect(new Set(blocks).size).to.equal(3);
  });
});
