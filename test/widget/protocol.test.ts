// Pure parts of the widget: what it accepts from the server (designer/widget/src/protocol.ts) and
// what it checks before sending (designer/widget/src/validate.ts).
import { expect } from 'chai';
import { ackChatId, parseAck, parseConfig, parseMessage, parseSession, parseState, safeColor, safeUrl } from '../../designer/widget/src/protocol.ts';
import { fileTypeAllowed, formatBytes, validateFile, validateForm, validateText } from '../../designer/widget/src/validate.ts';

describe('widget protocol parsing', () => {
  it('reads a full config and fills defaults for a sparse one', () => {
    const c = parseConfig({
      title: 'Help', greeting: 'Hi', color: '#123abc', position: 'left',
      proactive: { afterSeconds: 5, onMouseOver: true },
      onlineForm: [{ name: 'email', label: 'E-mail', type: 'email', required: true }, { label: 'no name' }],
      offlineForm: { enabled: true, title: 'Leave a note', fields: [{ name: 'n', label: 'Name', type: 'bogus', required: false }] },
      maxFileBytes: 1024, allowedFileTypes: ['image/png', 3],
    });
    expect(c).to.deep.equal({
      title: 'Help', greeting: 'Hi', color: '#123abc', position: 'left',
      proactive: { afterSeconds: 5, onMouseOver: true },
      onlineForm: [{ name: 'email', label: 'E-mail', type: 'email', required: true }],
      offlineForm: { enabled: true, title: 'Leave a note', fields: [{ name: 'n', label: 'Name', type: 'text', required: false }] },
      maxFileBytes: 1024, allowedFileTypes: ['image/png'],
    });
    const sparse = parseConfig({});
    expect(sparse?.title).to.equal('Chat');
    expect(sparse?.proactive.afterSeconds).to.equal(null);
    expect(sparse?.offlineForm.enabled).to.equal(false);
    expect(parseConfig('nope')).to.equal(null);
  });

  it('never lets a colour carry CSS', () => {
    expect(safeColor('#fff')).to.equal('#fff');
    expect(safeColor('rgb(1, 2, 3)')).to.equal('rgb(1, 2, 3)');
    expect(safeColor('red;} .x{background:url(//evil)}')).to.equal('#2563eb');
    expect(safeColor(undefined)).to.equal('#2563eb');
  });

  it('keeps message text as data and drops malformed messages', () => {
    const m = parseMessage({ id: 'm1', from: 'bot', text: '<img src=x onerror=alert(1)>', quickReplies: [{ id: 'a', label: 'Yes' }, { label: 'no id' }], at: '2026-01-01T00:00:00Z' });
    expect(m?.text).to.equal('<img src=x onerror=alert(1)>');
    expect(m?.quickReplies).to.deep.equal([{ id: 'a', label: 'Yes' }]);
    expect(m?.attachment).to.equal(null);
    expect(parseMessage({ id: 'm2', from: 'hacker', text: 'x' })).to.equal(null);
    // The PostgreSQL-backed server sends numeric ids.
    const n = parseMessage({ id: 12, from: 'visitor', text: '', attachment: { id: 7, name: 'a.txt', size: 5, type: 'text/plain', url: '/api/attachments/7' }, at: 'x' });
    expect(n?.id).to.equal('12');
    expect(n?.attachment?.id).to.equal('7');
    expect(parseMessage({ from: 'bot', text: 'x' })).to.equal(null);
  });

  it('reads state, session and acks', () => {
    expect(parseState({ status: 'connected', agentName: 'Ann' })).to.deep.equal({ status: 'connected', agentName: 'Ann' });
    expect(parseState({ status: 'dancing' })).to.equal(null);
    expect(parseSession({ visitorToken: 't', chatId: null })).to.deep.equal({ visitorToken: 't', chatId: null });
    expect(parseSession({ visitorToken: '' })).to.equal(null);
    expect(parseSession({ visitorToken: 't', chatId: 42 })).to.deep.equal({ visitorToken: 't', chatId: '42' });
    expect(ackChatId({ ok: true, chatId: 42 })).to.equal('42');
    expect(parseAck({ ok: true, message: {} })).to.deep.equal({ ok: true });
    expect(parseAck({ ok: false, error: { code: 'RATE_LIMITED', message: 'Slow down' } })).to.deep.equal({ ok: false, error: { code: 'RATE_LIMITED', message: 'Slow down' } });
    expect(parseAck(undefined)).to.deep.equal({ ok: false, error: { code: 'ERROR', message: 'Something went wrong' } });
  });

  it('only makes http(s) links for attachments', () => {
    expect(safeUrl('/api/attachments/1', 'https://t.example')).to.equal('https://t.example/api/attachments/1');
    expect(safeUrl('javascript:alert(1)', 'https://t.example')).to.equal(null);
    expect(safeUrl('data:text/html,<script>', 'https://t.example')).to.equal(null);
  });
});

describe('widget validation', () => {
  const fields = [
    { name: 'name', label: 'Name', type: 'text' as const, required: true },
    { name: 'email', label: 'E-mail', type: 'email' as const, required: false },
    { name: 'phone', label: 'Phone', type: 'tel' as const, required: false },
  ];

  it('names each wrong field', () => {
    expect(validateForm(fields, { name: ' ', email: 'not-an-email', phone: 'call me' })).to.deep.equal({
      name: 'Name is required',
      email: 'E-mail must be an e-mail address',
      phone: 'Phone must be a phone number',
    });
    expect(validateForm(fields, { name: 'Ann', email: 'ann@example.com', phone: '+39 06 1234 5678' })).to.deep.equal({});
    expect(validateForm(fields, { name: 'x'.repeat(201) })).to.have.property('name').that.matches(/too long/);
  });

  it('checks message text', () => {
    expect(validateText('   ')).to.equal('Type a message first');
    expect(validateText('x'.repeat(4001))).to.match(/too long/);
    expect(validateText('x'.repeat(4000))).to.equal(null);
  });

  it('checks file size and type, with wildcards', () => {
    expect(fileTypeAllowed('image/png', ['image/*'])).to.equal(true);
    expect(fileTypeAllowed('application/pdf', ['image/*'])).to.equal(false);
    expect(validateFile({ name: 'a.png', size: 10, type: 'image/png' }, 100, ['image/png'])).to.equal(null);
    expect(validateFile({ name: 'a.png', size: 2 * 1024 * 1024, type: 'image/png' }, 1024 * 1024, ['image/png'])).to.equal('a.png is too large (2 MB; 1 MB at most)');
    expect(validateFile({ name: 'a.exe', size: 10, type: 'application/x-msdownload' }, 100, ['image/png'])).to.match(/a\.exe: this file type \(application\/x-msdownload\) is not allowed/);
    expect(validateFile({ name: 'a.png', size: 10, type: 'image/png' }, 0, [])).to.match(/not enabled/);
    expect(formatBytes(1536)).to.equal('2 KB');
  });
});
