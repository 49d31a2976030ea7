import { compileTemplate as compileExpressionTemplate, type CompiledTemplate, type Value } from '../expression/index.ts';

/**
 * A Cally Square `{VAR}` template analysed once per project (not per call step): which names it
 * reads, and whether it is a constant or exactly one placeholder — the two shapes that make up most
 * real templates and need no rendering work at all on the hot path.
 */
export interface Template {
  readonly source: string;
  /** Root names read (`http` for `{http.body.id}`, `CALLERID(num)` as written). */
  readonly names: readonly string[];
  /** 'constant': no placeholders, `text` is the rendering. 'single': the source is exactly `{NAME}`. */
  readonly kind: 'constant' | 'single' | 'mixed';
  readonly text: string;
  readonly compiled: CompiledTemplate;
}

const noVariables = (): undefined => undefined;

/** Throws ExpressionError when the template cannot be parsed. */
export function compileTemplate(source: string): Template {
  const compiled = compileExpressionTemplate(source);
  const names = [...new Set(compiled.variables)];
  if (names.length === 0) {
    // Rendered once so that escapes ({{ }}) are applied exactly as the template language defines.
    return { source, names, kind: 'constant', text: compiled.render(noVariables), compiled };
  }
  const only = names[0];
  if (names.length === 1 && only !== undefined && source === `{${only}}`) {
    return { source, names, kind: 'single', text: '', compiled };
  }
  return { source, names, kind: 'mixed', text: '', compiled };
}

export type VariableFetcher = (names: readonly string[], signal: AbortSignal) => Promise<ReadonlyMap<string, Value>>;

/**
 * Renders with a synchronous scope; `fetch` (when given) supplies names the scope does not know, such
 * as Asterisk channel variables that need a round trip. Returns a plain string whenever no fetch is
 * needed, so pure blocks stay synchronous on the hot path.
 *
 * `encode` escapes every inserted piece of text (URL components, JSON string content) so a value
 * can never change the structure around it.
 */
export function renderTemplate(
  template: Template,
  scope: (name: string) => Value | undefined,
  fetch: VariableFetcher | undefined,
  signal: AbortSignal,
  encode?: (text: string) => string,
): string | Promise<string> {
  if (template.kind === 'constant') return template.text;
  const missing = fetch === undefined ? undefined : missingNames(template.names, scope);
  if (missing === undefined) return template.compiled.render(encode === undefined ? scope : encodedScope(scope, encode));
  return fetch!(missing, signal).then((fetched) => {
    const merged = (name: string): Value | undefined => fetched.get(name) ?? scope(name);
    return template.compiled.render(encode === undefined ? merged : encodedScope(merged, encode));
  });
}

/** Like renderTemplate, but `{NAME}` alone yields NAME's value with its type (array, number…). */
export function renderTemplateValue(
  template: Template,
  scope: (name: string) => Value | undefined,
  fetch: VariableFetcher | undefined,
  signal: AbortSignal,
): Value | Promise<Value> {
  if (template.kind !== 'single') return renderTemplate(template, scope, fetch, signal);
  const name = template.names[0]!;
  const value = scope(name);
  if (value !== undefined) return value;
  if (fetch === undefined) return '';
  return fetch([name], signal).then((fetched) => fetched.get(name) ?? '');
}

export function missingNames(names: Iterable<string>, scope: (name: string) => Value | undefined): string[] | undefined {
  let missing: string[] | undefined;
  for (const name of names) {
    if (scope(name) === undefined) (missing ??= []).push(name);
  }
  return missing;
}

function encodedScope(scope: (name: string) => Value | undefined, encode: (text: string) => string): (name: string) => Value | undefined {
  return (name) => {
    const value = scope(name);
    return value === undefined ? undefined : encodeStrings(value, encode, 0);
  };
}

/**
 * Escapes the string leaves of a value, so `{http.body.name}` paths still resolve. Numbers, booleans
 * and null render as plain tokens that need no escaping.
 */
function encodeStrings(value: Value, encode: (text: string) => string, depth: number): Value {
  if (typeof value === 'string') return encode(value);
  if (value === null || typeof value !== 'object' || depth > 256) return value;
  if (Array.isArray(value)) return value.map((v) => encodeStrings(v, encode, depth + 1));
  const out: Record<string, Value> = {};
  for (const [k, v] of Object.entries(value)) {
    Object.defineProperty(out, k, { value: encodeStrings(v, encode, depth + 1), enumerable: true, writable: true, configurable: true });
  }
  return out;
}
