// Naming rules of the sound library. A sound is addressed by (name, language) everywhere: in the
// database, on disk (`<dataDir>/sounds/<lang>/<name>.wav`) and in the media URL Asterisk fetches
// (`/media/sounds/<lang>/<name>.wav`). The rules are strict because the name becomes a path and a
// URL: nothing that could climb out of the folder, need escaping in a URL, or be cut by Asterisk's
// argument parsing (`,` `&` `|` quotes and spaces) can get through.
import path from 'node:path';

/** Lower-case letters, digits, `_` and `-`, starting with a letter or digit; at most 64 characters. */
export const SOUND_NAME = /^[a-z0-9][a-z0-9_-]{0,63}$/;

/**
 * Asterisk language codes as channels carry them (`CHANNEL(language)`): `en`, `it`, `en_GB`,
 * `pt_BR`, `fr_CA`. ISO 639 two or three letters, optionally `_` and an ISO 3166 region.
 */
export const LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

/** The formats Tandem writes for each sound: what Asterisk plays without surprises. */
export const SOUND_FORMATS = ['wav', 'sln16'] as const;
export type SoundFormat = (typeof SOUND_FORMATS)[number];

export class SoundNameError extends Error {
  constructor(
    readonly field: 'name' | 'language' | 'file',
    message: string,
  ) {
    super(message);
    this.name = 'SoundNameError';
  }
}

/** Returns the name if it follows the rules; otherwise says what is wrong with it. */
export function checkSoundName(raw: string): string {
  if (raw.length === 0) throw new SoundNameError('name', 'a sound name cannot be empty');
  if (raw.length > 64) throw new SoundNameError('name', `a sound name has at most 64 characters (got ${raw.length})`);
  if (!SOUND_NAME.test(raw)) {
    throw new SoundNameError('name', `'${printable(raw)}' is not a valid sound name: use lower-case letters, digits, '_' and '-', starting with a letter or digit`);
  }
  return raw;
}

export function checkLanguage(raw: string): string {
  if (!LANGUAGE.test(raw)) {
    throw new SoundNameError('language', `'${printable(raw)}' is not a valid language: use an Asterisk language code such as en, it, en_GB or pt_BR`);
  }
  return raw;
}

/** `welcome.wav` → `{ name: 'welcome', format: 'wav' }`; anything else is refused. */
export function parseMediaFileName(file: string): { name: string; format: SoundFormat } {
  const dot = file.lastIndexOf('.');
  const ext = dot > 0 ? file.slice(dot + 1) : '';
  if (!(SOUND_FORMATS as readonly string[]).includes(ext)) {
    throw new SoundNameError('file', `'${printable(file)}' must end in ${SOUND_FORMATS.map((f) => '.' + f).join(' or ')}`);
  }
  return { name: checkSoundName(file.slice(0, dot)), format: ext as SoundFormat };
}

/** The folder of one language; every file of the library lives two levels under `<dataDir>/sounds`. */
export function soundsRoot(dataDir: string): string {
  return path.join(dataDir, 'sounds');
}

export function soundFilePath(dataDir: string, language: string, name: string, format: SoundFormat): string {
  return path.join(soundsRoot(dataDir), checkLanguage(language), `${checkSoundName(name)}.${format}`);
}

/** The path part of the URL Asterisk's media cache fetches; the extension tells Asterisk the format. */
export function soundMediaPath(language: string, name: string, format: SoundFormat = 'wav'): string {
  return `/media/sounds/${checkLanguage(language)}/${checkSoundName(name)}.${format}`;
}

/** Error messages quote what the client sent; control characters are shown, never echoed raw. */
function printable(s: string): string {
  const cut = s.length > 80 ? s.slice(0, 80) + '…' : s;
  let out = '';
  for (const c of cut) {
    const code = c.charCodeAt(0);
    out += code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c;
  }
  return out;
}
