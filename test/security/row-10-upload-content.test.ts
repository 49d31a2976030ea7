// Issue 22, finding 10: an executable uploaded as `invoice.pdf.exe` with a declared `text/plain` type
// was accepted. Made here through the real widget socket (visitor) and the real multipart API (agent):
// files are judged by their content against the website's allowed types, a mismatch is refused naming
// the file, and nothing is stored; real text and real images still go through.
import { expect } from 'chai';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { attachments } from '../../server/db/schema.ts';
import { TINY_PNG, type Widget } from '../channels/chat/support.ts';
import type { ErrorBody } from '../support/tandem.ts';
import { ChatWorld, type Account } from './chat-world.ts';

/** The start of a Windows executable: "MZ", the DOS stub's header, then the PE offset. */
const EXE = new Uint8Array([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0xff, 0xff, 0x00, 0x00, ...new Array<number>(112).fill(0)]);
const PDF = new TextEncoder().encode('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

type Ack = { ok: true; message: { attachment?: { name: string; type: string } } } | { ok: false; error: { code: string; message: string } };

describe('security row 10: chat files are checked by their content', function () {
  this.timeout(60_000);
  const world = new ChatWorld();
  let agent: Account;
  let visitor: Widget;
  let chatId: number;

  const stored = async () => (await world.db.select().from(attachments).where(eq(attachments.interactionId, chatId))).map((a) => `${a.name} ${a.type}`);
  // The test nodes share a data folder: files are compared with what was there before each attack.
  const filesOnDisk = async () => new Set(await readdir(path.join(world.node.tandem.services.config.dataDir, 'attachments')).catch(() => [] as string[]));
  const newFiles = async (before: Set<string>) => [...(await filesOnDisk())].filter((f) => !before.has(f));
  const agentUpload = (bytes: Uint8Array, name: string, type: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
    return fetch(`${world.c.baseUrl}/api/interactions/${chatId}/attachments`, { method: 'POST', headers: { authorization: `Bearer ${agent.token}` }, body: form });
  };

  before(async () => {
    await world.start();
    agent = await world.agent();
    const q = await world.queue([agent]);
    // The default allow-list: PNG, JPEG, PDF and plain text.
    const w = await world.website({ queueId: q.id });
    ({ visitor, chatId } = await world.connectedChat(w.key, agent));
  });
  after(() => world.stop());

  it('refuses a visitor\'s executable declared as text, and other files whose content is not their type', async () => {
    const before = await filesOnDisk();
    for (const [name, type, data, shows] of [
      ['invoice.pdf.exe', 'text/plain', EXE, /"invoice\.pdf\.exe" is application\/x-msdownload/],
      ['invoice.pdf', 'application/pdf', EXE, /"invoice\.pdf" is application\/x-msdownload/],
      ['photo.png', 'image/png', PDF, /"photo\.png" is application\/pdf/],
      ['notes.txt', 'text/plain', new Uint8Array([0x00, 0x01, 0x02, 0xfe, 0xff, 0x10]), /"notes\.txt" is not text\/plain/],
      ['scan.pdf', 'application/pdf', new TextEncoder().encode('just some text'), /"scan\.pdf" is not application\/pdf/],
    ] as const) {
      const ack = (await visitor.call('upload', { name, type, data })) as Ack;
      expect(ack.ok, name).to.equal(false);
      const error = (ack as Extract<Ack, { ok: false }>).error;
      expect(error.code, name).to.equal('FILE_CONTENT_MISMATCH');
      expect(error.message, name).to.match(shows);
    }
    expect(await stored()).to.deep.equal([]);
    expect(await newFiles(before)).to.deep.equal([]);
  });

  it('refuses the same from an agent over HTTP: 400 naming the file', async () => {
    const before = await filesOnDisk();
    const res = await agentUpload(EXE, 'invoice.pdf.exe', 'text/plain');
    expect(res.status).to.equal(400);
    const body = (await res.json()) as ErrorBody;
    expect(body.error.code).to.equal('VALIDATION_FAILED');
    expect(body.error.message).to.contain('"invoice.pdf.exe"');
    expect(body.error.details.fields?.map((f) => f.field)).to.deep.equal(['file']);
    expect((await agentUpload(PDF, 'logo.png', 'image/png')).status).to.equal(400);
    expect(await stored()).to.deep.equal([]);
    expect(await newFiles(before)).to.deep.equal([]);
  });

  it('still takes real text, images and PDFs', async () => {
    const text = (await visitor.call('upload', { name: 'order.txt', type: 'text/plain', data: new TextEncoder().encode('Order 42: 2 × café crème\r\n') })) as Ack;
    expect(text.ok, JSON.stringify(text)).to.equal(true);
    const png = (await visitor.call('upload', { name: 'photo.png', type: 'image/png', data: TINY_PNG })) as Ack;
    expect(png.ok, JSON.stringify(png)).to.equal(true);
    expect((await agentUpload(PDF, 'terms.pdf', 'application/pdf')).status).to.equal(201);
    expect((await stored()).sort()).to.deep.equal(['order.txt text/plain', 'photo.png image/png', 'terms.pdf application/pdf']);
  });
});
