import { ExpressionError } from './errors.ts';
import { forbiddenName, isIdentifierPart, isIdentifierStart, isReference, parseReference, type Reference } from './names.ts';

export type TokenType = 'number' | 'string' | 'name' | 'ref' | 'punct' | 'eof';

export interface Token {
  readonly type: TokenType;
  /** Punctuator or name text; the decoded text of a string literal. */
  readonly text: string;
  readonly number: number;
  readonly ref: Reference | undefined;
  readonly pos: number;
}

const PUNCT2 = new Set(['**', '==', '!=', '<=', '>=', '&&', '||']);
const PUNCT1 = new Set(['(', ')', '[', ']', ',', '.', '?', ':', '+', '-', '*', '/', '%', '<', '>', '!']);

/** Mistakes people carry over from other languages, answered with the spelling we use. */
const HINTS: ReadonlyArray<readonly [string, string]> = [
  ['===', 'use == to compare'],
  ['!==', 'use != to compare'],
  ['<>', 'use != to compare'],
  ['=>', 'arrow functions are not part of the language'],
  ['=', 'use == to compare (assignment is done by the Set block)'],
  ['&', 'use && (or and) for logical and'],
  ['|', 'use || (or or) for logical or'],
  ['`', 'template literals are not part of the language; use a template with {name}'],
  [';', 'one expression only, no statements'],
];

function tok(type: TokenType, text: string, pos: number, num = 0, ref?: Reference): Token {
  return { type, text, number: num, ref, pos };
}

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const n = source.length;
  let i = 0;
  while (i < n) {
    const c = source.charCodeAt(i);
    // whitespace
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 0xa0 || c === 0xfeff) {
      i++;
      continue;
    }
    const start = i;
    if (c >= 48 && c <= 57) {
      i = scanNumber(source, i, tokens);
      continue;
    }
    if (isIdentifierStart(c) || c === 36 /* $ */) {
      if (c === 36) {
        throw new ExpressionError('"$" is not used here; write {NAME} or NAME for a variable', start);
      }
      while (i < n && isIdentifierPart(source.charCodeAt(i))) i++;
      tokens.push(tok('name', source.slice(start, i), start));
      continue;
    }
    if (c === 39 || c === 34) {
      i = scanString(source, i, tokens);
      continue;
    }
    if (c === 123 /* { */) {
      i = scanBracedReference(source, i, tokens);
      continue;
    }
    const two = source.slice(i, i + 2);
    if (PUNCT2.has(two) && !source.startsWith('===', i) && !source.startsWith('!==', i)) {
      tokens.push(tok('punct', two, start));
      i += 2;
      continue;
    }
    for (const [text, hint] of HINTS) {
      if (source.startsWith(text, i)) throw new ExpressionError(`unexpected "${text}": ${hint}`, start);
    }
    const one = source[i] ?? '';
    if (PUNCT1.has(one)) {
      tokens.push(tok('punct', one, start));
      i++;
      continue;
    }
    const cp = source.codePointAt(i) ?? c;
    throw new ExpressionError(`unexpected character ${JSON.stringify(String.fromCodePoint(cp))}`, start);
  }
  tokens.push(tok('eof', '', n));
  return tokens;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function scanNumber(s: string, start: number, out: Token[]): number {
  let i = start;
  while (isDigit(s.charCodeAt(i))) i++;
  if (s[i] === '.' && isDigit(s.charCodeAt(i + 1))) {
    i++;
    while (isDigit(s.charCodeAt(i))) i++;
  }
  if (s[i] === 'e' || s[i] === 'E') {
    let j = i + 1;
    if (s[j] === '+' || s[j] === '-') j++;
    if (isDigit(s.charCodeAt(j))) {
      while (isDigit(s.charCodeAt(j))) j++;
      i = j;
    }
  }
  if (isIdentifierPart(s.charCodeAt(i))) {
    throw new ExpressionError('a number runs into a name; put an operator or space between them', i);
  }
  const text = s.slice(start, i);
  const value = Number(text);
  if (!Number.isFinite(value)) throw new ExpressionError(`number ${text.slice(0, 24)} is out of range`, start);
  out.push(tok('number', text, start, value));
  return i;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '/': '/', '{': '{', '}': '}',
};

function scanString(s: string, start: number, out: Token[]): number {
  const quote = s[start];
  let i = start + 1;
  let text = '';
  let chunk = i;
  for (;;) {
    if (i >= s.length) throw new ExpressionError('unterminated text literal', start);
    const ch = s[i];
    if (ch === quote) {
      text += s.slice(chunk, i);
      out.push(tok('string', text, start));
      return i + 1;
    }
    if (ch !== '\\') {
      i++;
      continue;
    }
    text += s.slice(chunk, i);
    const esc = s[i + 1];
    if (esc === undefined) throw new ExpressionError('unterminated text literal', start);
    const simple = SIMPLE_ESCAPES[esc];
    if (simple !== undefined && Object.hasOwn(SIMPLE_ESCAPES, esc)) {
      text += simple;
      i += 2;
    } else if (esc === 'u') {
      let hex: string;
      let next: number;
      if (s[i + 2] === '{') {
        const close = s.indexOf('}', i + 3);
        if (close < 0 || close - (i + 3) > 6) throw new ExpressionError('bad \\u{…} escape', i);
        hex = s.slice(i + 3, close);
        next = close + 1;
      } else {
        hex = s.slice(i + 2, i + 6);
        if (hex.length !== 4) throw new ExpressionError('bad \\u escape: four hex digits expected', i);
        next = i + 6;
      }
      if (!/^[0-9a-fA-F]{1,6}$/.test(hex)) throw new ExpressionError('bad \\u escape: hex digits expected', i);
      const cp = parseInt(hex, 16);
      if (cp > 0x10ffff) throw new ExpressionError('bad \\u escape: beyond U+10FFFF', i);
      text += String.fromCodePoint(cp);
      i = next;
    } else {
      throw new ExpressionError(`unknown escape \\${esc}`, i);
    }
    chunk = i;
  }
}

function scanBracedReference(s: string, start: number, out: Token[]): number {
  let i = start + 1;
  while (i < s.length && s[i] !== '}') {
    if (s[i] === '{' || s[i] === '\n') break;
    i++;
  }
  if (s[i] !== '}') throw new ExpressionError('unclosed { in variable reference', start);
  const ref = parseReference(s.slice(start + 1, i));
  if (!isReference(ref)) throw new ExpressionError(ref.reason, start + 1 + ref.offset);
  const bad = forbiddenName(ref);
  if (bad !== undefined) throw new ExpressionError(`${JSON.stringify(bad)} is not accessible`, start, 'forbidden');
  out.push(tok('ref', ref.text, start, 0, ref));
  return i + 1;
}
