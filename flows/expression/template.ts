import { ExpressionError } from './errors.ts';
import { resolveLimits, type ExpressionLimits } from './limits.ts';
import { resolveReference } from './members.ts';
import { forbiddenName, isReference, parseReference, type Reference } from './names.ts';
import { tooLong, valueRuntime } from './runtime.ts';
import { toText, type Value } from './value.ts';

/**
 * Cally Square style text templates: `Hello {name}, you called from {CALLERID(num)}`.
 *
 *   {name} {http.body.status} {rows[0][1]}   a variable (path into its value)
 *   {CALLERID(num)} {SIP_HEADER(X-Foo)}     an Asterisk function variable, looked up by its text
 *   {{ … }}                                  "{{" writes "{", and the "}}" closing it writes "}"
 *
 * Braces that do not enclose a well-formed reference are copied as they are, so JSON bodies such
 * as `{"caller": "{CALLERID(num)}"}` need no escaping. Unknown or null variables render as ''.
 * Values render as text: numbers plainly, booleans as true/false, lists and objects as JSON.
 * References to forbidden names (`{__proto__}`, `{process}`) render as '' without asking the scope.
 */

type Part = string | { readonly ref: Reference; readonly pos: number } | { readonly forbidden: string };

export interface CompiledTemplate {
  readonly source: string;
  readonly variables: readonly string[];
  render(scope: (name: string) => Value | undefined, limits?: ExpressionLimits): string;
}

function parseTemplate(template: string): readonly Part[] {
  const parts: Part[] = [];
  let buf = '';
  let openEscapes = 0;
  let i = 0;
  let chunk = 0;
  const n = template.length;
  while (i < n) {
    const ch = template.charCodeAt(i);
    if (ch === 123 /* { */) {
      if (template.charCodeAt(i + 1) === 123) {
        buf += template.slice(chunk, i) + '{';
        openEscapes++;
        i += 2;
        chunk = i;
        continue;
      }
      let j = i + 1;
      while (j < n) {
        const c = template.charCodeAt(j);
        if (c === 125 || c === 123 || c === 10) break;
        j++;
      }
      if (template.charCodeAt(j) === 125) {
        const ref = parseReference(template.slice(i + 1, j));
        if (isReference(ref)) {
          buf += template.slice(chunk, i);
          if (buf !== '') parts.push(buf);
          buf = '';
          const bad = forbiddenName(ref);
          parts.push(bad === undefined ? { ref, pos: i } : { forbidden: bad });
          i = j + 1;
          chunk = i;
          continue;
        }
      }
      i++;
      continue;
    }
    if (ch === 125 /* } */ && openEscapes > 0 && template.charCodeAt(i + 1) === 125) {
      buf += template.slice(chunk, i) + '}';
      openEscapes--;
      i += 2;
      chunk = i;
      continue;
    }
    i++;
  }
  buf += template.slice(chunk);
  if (buf !== '') parts.push(buf);
  return parts;
}

// Blocks render the same few templates over and over; keep their parsed form.
const cache = new Map<string, readonly Part[]>();
const CACHE_SIZE = 1000;

function parsed(template: string): readonly Part[] {
  let parts = cache.get(template);
  if (parts === undefined) {
    parts = parseTemplate(template);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(template, parts);
  }
  return parts;
}

function variablesOf(parts: readonly Part[]): string[] {
  const seen = new Set<string>();
  for (const p of parts) if (typeof p === 'object' && 'ref' in p) seen.add(p.ref.root);
  return [...seen];
}

function render(parts: readonly Part[], scope: (name: string) => Value | undefined, limits: ExpressionLimits | undefined): string {
  const lim = resolveLimits(limits);
  // Templates have no step budget of their own: a list rendered as JSON costs its size, which
  // the length limit already bounds.
  const rt = valueRuntime(scope, lim.maxLength);
  let out = '';
  for (const p of parts) {
    let piece: string;
    if (typeof p === 'string') piece = p;
    else if ('forbidden' in p) piece = '';
    else {
      const v = resolveReference(p.ref, scope);
      piece = v === undefined ? '' : toText(v, rt, p.pos);
    }
    if (out.length + piece.length > lim.maxLength) tooLong(rt, out.length + piece.length, typeof p === 'object' && 'pos' in p ? p.pos : undefined);
    out += piece;
  }
  return out;
}

function requireText(template: unknown): asserts template is string {
  if (typeof template !== 'string') throw new ExpressionError('a template must be text', undefined, 'type');
}

/**
 * Renders a template. Throws ExpressionError only when the result would exceed maxLength
 * (default 65,536 characters) or a value nests pathologically deep.
 */
export function interpolate(template: string, scope: (name: string) => Value | undefined, limits?: ExpressionLimits): string {
  requireText(template);
  if (template.indexOf('{') < 0) return template;
  return render(parsed(template), scope, limits);
}

/** Root names the template reads, each once, in order of first use. */
export function templateVariables(template: string): string[] {
  requireText(template);
  return variablesOf(parsed(template));
}

export function compileTemplate(template: string): CompiledTemplate {
  requireText(template);
  const parts = parseTemplate(template);
  const variables = variablesOf(parts);
  return {
    source: template,
    variables,
    render: (scope, limits) => render(parts, scope, limits),
  };
}
