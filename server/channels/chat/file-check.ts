// What a chat attachment really is. The declared type (the browser's, or whatever a client sends) is
// only a claim: the bytes are identified by their signature with `file-type` (magic numbers of
// hundreds of formats, kept up to date by its maintainers), and that is what the website's allow-list
// is checked against. Text has no signature: a text type is accepted only when the bytes are text
// (valid UTF-8 without control characters), so `invoice.pdf.exe` declared as text/plain is refused.
import { fileTypeFromBuffer } from 'file-type';

export type FileVerdict = { ok: true; type: string } | { ok: false; code: 'FILE_TYPE_NOT_ALLOWED' | 'FILE_CONTENT_MISMATCH'; message: string };

/** Types whose content is plain text (no signature to look for). */
export function isTextType(type: string): boolean {
  return type.startsWith('text/') || type === 'application/json' || type === 'application/xml' || type.endsWith('+json') || type.endsWith('+xml');
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
/** Control characters that occur in text: tab, line feed, form feed, carriage return. */
const TEXT_CONTROLS = new Set([0x09, 0x0a, 0x0c, 0x0d]);

/** Valid UTF-8 with no control character other than tab, line feed, form feed and carriage return. */
export function isText(bytes: Uint8Array): boolean {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return false;
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if ((code < 0x20 && !TEXT_CONTROLS.has(code)) || code === 0x7f) return false;
  }
  return true;
}

/** For messages: a file name as the visitor gave it, quoted and bounded. */
const quoted = (name: string) => JSON.stringify(name.replace(/\p{Cc}/gu, '').slice(0, 100));

/**
 * Checks a file against a website's allowed types: the declared type must be allowed, and the content
 * must be that type (by signature, or by being text for a text type). `ok.type` is what to store.
 */
export async function checkFile(file: { name: string; declaredType: string; bytes: Uint8Array }, allowed: readonly string[]): Promise<FileVerdict> {
  const declared = file.declaredType.split(';')[0]!.trim().toLowerCase();
  if (!allowed.includes(declared)) return { ok: false, code: 'FILE_TYPE_NOT_ALLOWED', message: `Files of type ${declared.slice(0, 100) || 'unknown'} are not accepted here` };
  const detected = await fileTypeFromBuffer(file.bytes);
  // XML is recognised by its text (`<?xml`): an allowed XML-based text type (SVG, text/xml…) is checked as text.
  if (detected && !(detected.mime === 'application/xml' && isTextType(declared))) {
    if (detected.mime === declared) return { ok: true, type: declared };
    return { ok: false, code: 'FILE_CONTENT_MISMATCH', message: `The file ${quoted(file.name)} is ${detected.mime} (.${detected.ext}), not ${declared}` };
  }
  if (isTextType(declared) && isText(file.bytes)) return { ok: true, type: declared };
  return { ok: false, code: 'FILE_CONTENT_MISMATCH', message: `The content of the file ${quoted(file.name)} is not ${declared}` };
}
