import { expect } from 'chai';
import fc from 'fast-check';
import { compileExpression, ExpressionError, interpolate, matchDialPattern, type Value } from '../../flows/expression/index.ts';
import { scopeOf } from './expression-helpers.ts';

/**
 * A fixed seed keeps the suite reproducible; failures print their counterexample. For a longer
 * hunt: EXPRESSION_FUZZ_SCALE=50 EXPRESSION_FUZZ_SEED=$RANDOM npx mocha test/flows/expression-property.test.ts
 */
const scale = Math.max(1, Number(process.env['EXPRESSION_FUZZ_SCALE'] ?? 1) || 1);
const seed = Number(process.env['EXPRESSION_FUZZ_SEED'] ?? 20240611) || 20240611;
const params = (numRuns: number) => ({ numRuns: numRuns * scale, seed });

function isPlainData(v: unknown, depth = 0): boolean {
  if (depth > 300) return false;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return true;
  if (typeof v === 'number') return Number.isFinite(v);
  if (Array.isArray(v)) return v.every((x) => isPlainData(x, depth + 1));
  if (typeof v === 'object') {
    return Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every((x) => isPlainData(x, depth + 1));
  }
  return false;
}

/** Fragments that make random text look like expressions, so the fuzzer reaches deep parser states. */
const FRAGMENTS = [
  '(', ')', '[', ']', ',', '.', '?', ':', '+', '-', '*', '/', '%', '**', '==', '!=', '<', '<=', '>', '>=', '&&', '||', '!',
  'and', 'or', 'not', 'true', 'false', 'null', 'a', 'b', 'x', 'rows', 'http', '0', '1', '2.5', '1e3', "'t'", '"q"', "'", '"',
  '\\', '{a}', '{CALLERID(num)}', '{', '}', ' ', 'len(', 'substr(', 'matches(', 'round(', 'split(', 'join(', 'min(', 'max(',
  'coalesce(', 'dateAdd(', 'formatDate(', 'replace(', 'number(', '__proto__', 'constructor', 'process', '=', '$', '@', '#',
];

const scope = scopeOf({
  a: 3, b: '1', x: 'abc', rows: [[1, 2], ['3', '4']], http: { body: { status: 200 } }, 'CALLERID(num)': '0612',
});

function safely(src: string): void {
  let compiled;
  try {
    compiled = compileExpression(src);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    expect(e.position === undefined || (e.position >= 0 && e.position <= src.length)).to.equal(true);
    return;
  }
  try {
    const v = compiled.evaluate(scope);
    expect(isPlainData(v), `result of ${src}`).to.equal(true);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
  }
}

describe('expression properties (fast-check)', function () {
  // Thousands of generated cases per property; generous on a loaded 2-core machine.
  this.timeout(30_000);

  it('never throws anything but ExpressionError on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), safely), params(2000));
  });

  it('never throws anything but ExpressionError on expression-like token soup, and results are plain data', () => {
    const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 40 }).map((parts) => parts.join(''));
    fc.assert(fc.property(soup, safely), params(5000));
  });

  it('evaluates random well-formed expressions over random JSON data to plain data or an ExpressionError', () => {
    const names = ['a', 'b', 'c', 'd'];
    const functions = [
      'len', 'upper', 'lower', 'trim', 'substr', 'contains', 'indexOf', 'startsWith', 'endsWith', 'replace', 'split', 'join',
      'concat', 'matches', 'number', 'string', 'round', 'floor', 'ceil', 'abs', 'min', 'max', 'coalesce', 'isEmpty', 'date',
      'epoch', 'dateAdd', 'dateDiff', 'datePart', 'formatDate',
    ];
    const leaf = fc.oneof(
      fc.integer({ min: -1e6, max: 1e6 }).map(String),
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).map((n) => `(${n})`),
      fc.string({ maxLength: 8 }).map((t) => JSON.stringify(t)),
      fc.constantFrom('true', 'false', 'null', "'months'", "'UTC'", "'_X.'", "'2024-02-29'", "'hour'", "''", "'0'"),
      fc.constantFrom(...names),
    );
    const expr = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(fc.constantFrom('!', '-', '+', 'not '), tie('e')).map(([op, e]) => `${op}(${e})`),
        fc
          .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '%', '**', '==', '!=', '<', '<=', '>', '>=', '&&', '||'), tie('e'))
          .map(([l, op, r]) => `(${l} ${op} ${r})`),
        fc.tuple(tie('e'), tie('e'), tie('e')).map(([t, a, b]) => `(${t} ? ${a} : ${b})`),
        fc.tuple(fc.constantFrom(...functions), fc.array(tie('e'), { maxLength: 3 })).map(([f, args]) => `${f}(${args.join(', ')})`),
        fc.array(tie('e'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
        fc.tuple(tie('e'), tie('e')).map(([o, k]) => `(${o})[${k}]`),
      ),
    })).e;
    const data = fc.record({ a: fc.jsonValue({ maxDepth: 2 }), b: fc.jsonValue({ maxDepth: 2 }), c: fc.string(), d: fc.integer() });
    fc.assert(
      fc.property(expr, data, (src, vars) => {
        let compiled;
        try {
          compiled = compileExpression(src);
        } catch (e) {
          if (!(e instanceof ExpressionError)) throw e;
          return;
        }
        try {
          const v = compiled.evaluate(scopeOf(vars as Record<string, Value>));
          expect(isPlainData(v), src).to.equal(true);
        } catch (e) {
          if (!(e instanceof ExpressionError)) throw e;
        }
      }),
      params(4000),
    );
  });

  // --- arithmetic against a reference ------------------------------------------------------------

  type Tree = { n: number; asText: boolean } | { op: '+' | '-' | '*' | '/' | '%'; l: Tree; r: Tree } | { neg: Tree };

  const tree = fc.letrec<{ t: Tree }>((tie) => ({
    t: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.record({ n: fc.integer({ min: -50, max: 50 }), asText: fc.boolean() }),
      fc.record({ op: fc.constantFrom('+', '-', '*', '/', '%'), l: tie('t'), r: tie('t') }),
      fc.record({ neg: tie('t') }),
    ),
  })).t;

  class RefError extends Error {}

  /** The arithmetic the language promises: JavaScript doubles, errors instead of NaN/Infinity. */
  function reference(t: Tree): number {
    if ('n' in t) return t.n;
    if ('neg' in t) {
      const v = -reference(t.neg);
      return v === 0 ? 0 : v;
    }
    const l = reference(t.l);
    const r = reference(t.r);
    let v: number;
    switch (t.op) {
      case '+': v = l + r; break;
      case '-': v = l - r; break;
      case '*': v = l * r; break;
      case '/': if (r === 0) throw new RefError(); v = l / r; break;
      case '%': if (r === 0) throw new RefError(); v = l % r; break;
    }
    if (!Number.isFinite(v)) throw new RefError();
    return v;
  }

  /** Renders with variables for leaves; numeric leaves given as text exercise the coercion rule. */
  function render(t: Tree, vars: Record<string, Value>): string {
    if ('n' in t) {
      const name = `v${Object.keys(vars).length}`;
      vars[name] = t.asText ? String(t.n) : t.n;
      return name;
    }
    if ('neg' in t) return `-(${render(t.neg, vars)})`;
    if (t.op === '+') return `(${renderNumeric(t.l, vars)} + ${renderNumeric(t.r, vars)})`;
    return `(${render(t.l, vars)} ${t.op} ${render(t.r, vars)})`;
  }

  /**
   * Two texts under "+" concatenate (by design), so where a number is wanted a text leaf is
   * wrapped in unary plus, which converts numeric text; - * / % and unary minus convert on their own.
   */
  function renderNumeric(t: Tree, vars: Record<string, Value>): string {
    return 'n' in t && t.asText ? `+${render(t, vars)}` : render(t, vars);
  }

  it('evaluates random well-formed arithmetic exactly like the reference', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const vars: Record<string, Value> = {};
        const src = renderNumeric(t, vars);
        let want: number | 'error';
        try {
          want = reference(t);
        } catch (e) {
          if (!(e instanceof RefError)) throw e;
          want = 'error';
        }
        let got: Value | 'error';
        try {
          got = compileExpression(src, { maxDepth: 1000 }).evaluate(scopeOf(vars), { maxSteps: 1e6 });
        } catch (e) {
          if (!(e instanceof ExpressionError)) throw e;
          expect(e.code, `${src}: ${e.message}`).to.be.oneOf(['division-by-zero', 'not-finite']);
          got = 'error';
        }
        expect(got, src).to.equal(want);
        if (typeof got === 'number') expect(Number.isFinite(got)).to.equal(true);
      }),
      params(2000),
    );
  });

  it('folds constant arithmetic to the same value it computes from variables', () => {
    fc.assert(
      fc.property(tree, (t) => {
        const vars: Record<string, Value> = {};
        const withVars = renderNumeric(t, vars);
        const literal = withVars.replace(/v\d+/g, (name) => {
          const v = vars[name];
          return typeof v === 'number' ? `(${v})` : `'${String(v)}'`;
        });
        const run = (src: string, s: Record<string, Value>): Value | string => {
          try {
            return compileExpression(src, { maxDepth: 1000 }).evaluate(scopeOf(s), { maxSteps: 1e6 });
          } catch (e) {
            if (!(e instanceof ExpressionError)) throw e;
            return `error:${e.code}`;
          }
        };
        expect(run(literal, {}), literal).to.deep.equal(run(withVars, vars));
      }),
      params(1000),
    );
  });

  it('orders numbers and numeric texts numerically, whichever form they take', () => {
    const operand = fc.record({ n: fc.integer({ min: -1000, max: 1000 }), asText: fc.boolean() });
    fc.assert(
      fc.property(operand, operand, fc.constantFrom('<', '<=', '>', '>='), (x, y, op) => {
        const vars = { x: x.asText ? String(x.n) : x.n, y: y.asText ? String(y.n) : y.n };
        const got = compileExpression(`x ${op} y`).evaluate(scopeOf(vars));
        const want = op === '<' ? x.n < y.n : op === '<=' ? x.n <= y.n : op === '>' ? x.n > y.n : x.n >= y.n;
        expect(got).to.equal(want);
      }),
      params(1000),
    );
  });

  // --- templates and dial patterns ---------------------------------------------------------------

  it('leaves brace-free text untouched and never throws on arbitrary templates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const out = interpolate(text, scope);
        expect(out).to.be.a('string');
        if (!text.includes('{')) expect(out).to.equal(text);
      }),
      params(2000),
    );
  });

  it('matches dial patterns exactly like an equivalent (test-only, tiny) regular expression', () => {
    const patternItem = fc.constantFrom('X', 'Z', 'N', '1', '0', '5', '[1-3]', '[05]', '.', '!', '*', '#');
    const value = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '5', '9', '*', '#'), maxLength: 10 });
    const toRegex = (items: string[]): RegExp =>
      new RegExp(
        `^${items
          .map((i) => ({ X: '[0-9]', Z: '[1-9]', N: '[2-9]', '.': '.+', '!': '.*', '*': '\\*', '#': '#' } as Record<string, string>)[i] ?? i)
          .join('')}$`,
      );
    fc.assert(
      fc.property(fc.array(patternItem, { maxLength: 6 }), value, (items, v) => {
        expect(matchDialPattern(v, `_${items.join('')}`), `${v} ~ _${items.join('')}`).to.equal(toRegex(items).test(v));
      }),
      params(3000),
    );
  });
});
