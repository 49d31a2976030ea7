// Checks done in the browser before anything is sent, so the visitor sees a clear message at once.
// The server checks the same limits again (contract: FILE_TOO_LARGE, FILE_TYPE_NOT_ALLOWED,
// MESSAGE_TOO_LONG); these are a courtesy, not the guard.
import type { FormField } from './protocol.ts';

export const MAX_TEXT_CHARS = 4000;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const TEL = /^\+?[0-9 ().-]{5,20}$/;

/** Field name → error message, for every field that is wrong; empty when the form can be sent. */
export function validateForm(fields: readonly FormField[], values: Readonly<Record<string, string>>): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const value = (values[f.name] ?? '').trim();
    if (value === '') {
      if (f.required) errors[f.name] = `${f.label} is required`;
      continue;
    }
    if (value.length > 200) errors[f.name] = `${f.label} is too long (200 characters at most)`;
    else if (f.type === 'email' && !EMAIL.test(value)) errors[f.name] = `${f.label} must be an e-mail address`;
    else if (f.type === 'tel' && !TEL.test(value)) errors[f.name] = `${f.label} must be a phone number`;
  }
  return errors;
}

export function validateText(text: string): string | null {
  if (text.trim() === '') return 'Type a message first';
  if (text.length > MAX_TEXT_CHARS) return `Message is too long (${MAX_TEXT_CHARS} characters at most)`;
  return null;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} bytes`;
}

/** `image/*` style wildcards are allowed in the list; an empty list allows nothing (uploads off). */
export function fileTypeAllowed(type: string, allowed: readonly string[]): boolean {
  const t = type.toLowerCase();
  return allowed.some((a) => {
    const p = a.toLowerCase();
    return p.endsWith('/*') ? t.startsWith(p.slice(0, -1)) : p === t;
  });
}

export function validateFile(file: { name: string; size: number; type: string }, maxBytes: number, allowed: readonly string[]): string | null {
  if (maxBytes <= 0 || allowed.length === 0) return 'File uploads are not enabled on this chat';
  if (!fileTypeAllowed(file.type, allowed)) return `${file.name}: this file type (${file.type || 'unknown'}) is not allowed`;
  if (file.size > maxBytes) return `${file.name} is too large (${formatBytes(file.size)}; ${formatBytes(maxBytes)} at most)`;
  if (file.size === 0) return `${file.name} is empty`;
  return null;
}
