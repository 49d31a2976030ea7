/**
 * Variable references and the names an expression may never touch.
 *
 * One grammar serves both `{…}` in templates and identifiers/`{…}` inside expressions:
 *   - a path: `name`, `http.body.status`, `rows[0][1]`, `rows[-1]` — the root is looked up in the
 *     scope, the rest walks into the (plain) value;
 *   - an Asterisk function variable: `CALLERID(num)`, `SIP_HEADER(X-Foo)` — the whole text is the
 *     name handed to the scope, exactly as Cally Square's `{CALLERID(num)}` works.
 */

/** Members that reach into JavaScript's object machinery; refused wherever they appear. */
const FORBIDDEN_MEMBERS = new Set(['__proto__', 'constructor', 'prototype']);
/** Globals of the host; refused as variable names so no scope, however naive, is asked for them. */
const FORBIDDEN_ROOTS = new Set([
  'process', 'globalThis', 'global', 'window', 'self', 'require', 'module', 'exports', 'eval',
  'Function', 'this', 'import', '__dirname', '__filename', 'Reflect', 'Proxy', 'Object',
]);

export function isForbiddenMember(name: string): boolean {
  return FORBIDDEN_MEMBERS.has(name) || (name.length > 4 && name.startsWith('__') && name.endsWith('__'));
}

export function isForbiddenRoot(name: string): boolean {
  return FORBIDDEN_ROOTS.has(name) || isForbiddenMember(name);
}

export type PathSegment = string | number;

export interface Reference {
  /** The name asked of the scope first. */
  readonly root: string;
  /** Members walked inside the root's value. */
  readonly path: readonly PathSegment[];
  /**
   * For purely dotted paths (`survey.score`), the whole text: asked of the scope when the root is
   * absent, so projects may also keep flat variables whose names contain dots.
   */
  readonly flat: string | undefined;
  /** The reference as written (trimmed). */
  readonly text: string;
}

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95; // A-Z a-z _
}

function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}

export function isIdentifierStart(c: number): boolean {
  return isIdentStart(c);
}

export function isIdentifierPart(c: number): boolean {
  return isIdentPart(c);
}

export type ReferenceProblem = { readonly reason: string; readonly offset: number };

/**
 * Parses the text between braces. Returns a Reference, or a problem (not a reference at all) —
 * templates then keep the braces as literal text, expressions report a syntax error.
 */
export function parseReference(raw: string): Reference | ReferenceProblem {
  const text = raw.trim();
  const lead = raw.length - raw.trimStart().length;
  if (text.length === 0) return { reason: 'empty variable reference', offset: 0 };
  let i = 0;
  const c0 = text.charCodeAt(0);
  if (!isIdentStart(c0)) return { reason: 'a variable name starts with a letter or _', offset: lead };
  while (i < text.length && isIdentPart(text.charCodeAt(i))) i++;
  const root = text.slice(0, i);

  if (i < text.length && text[i] === '(') {
    // Asterisk function variable: balanced parentheses to the end, no braces or line breaks.
    let depth = 0;
    for (let j = i; j < text.length; j++) {
      const ch = text[j];
      if (ch === '{' || ch === '}' || ch === '\n' || ch === '\r') {
        return { reason: 'unexpected character in function variable', offset: lead + j };
      }
      if (ch === '(') depth++;
      else if (ch === ')') {
        depth--;
        if (depth === 0 && j !== text.length - 1) return { reason: 'text after function variable', offset: lead + j + 1 };
        if (depth < 0) return { reason: 'unbalanced parenthesis', offset: lead + j };
      }
    }
    if (depth !== 0) return { reason: 'unclosed parenthesis in function variable', offset: lead + text.length };
    return { root: text, path: [], flat: undefined, text };
  }

  const path: PathSegment[] = [];
  let dottedOnly = true;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '.') {
      i++;
      const start = i;
      if (i >= text.length || !isIdentStart(text.charCodeAt(i))) return { reason: 'a member name follows "."', offset: lead + i };
      while (i < text.length && isIdentPart(text.charCodeAt(i))) i++;
      path.push(text.slice(start, i));
    } else if (ch === '[') {
      i++;
      const start = i;
      if (text[i] === '-') i++;
      const digitsStart = i;
      while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
      if (i === digitsStart || i - digitsStart > 9 || text[i] !== ']') return { reason: 'an index is a whole number in [ ]', offset: lead + start };
      path.push(Number(text.slice(start, i)));
      i++;
      dottedOnly = false;
    } else {
      return { reason: `unexpected ${JSON.stringify(ch)} in variable reference`, offset: lead + i };
    }
  }
  return { root, path, flat: dottedOnly && path.length > 0 ? text : undefined, text };
}

export function isReference(r: Reference | ReferenceProblem): r is Reference {
  return 'root' in r;
}

/** The first forbidden name in a reference, if any. */
export function forbiddenName(ref: Reference): string | undefined {
  const fnName = /^[A-Za-z_][A-Za-z0-9_]*/.exec(ref.root)?.[0] ?? ref.root;
  if (isForbiddenRoot(fnName)) return fnName;
  for (const seg of ref.path) if (typeof seg === 'string' && isForbiddenMember(seg)) return seg;
  return undefined;
}
