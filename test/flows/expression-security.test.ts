import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileExpression, ExpressionError, interpolate, type Value } from '../../flows/expression/index.ts';
import { compileFails, ev, fails, scopeOf } from './expression-helpers.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('expression security', () => {
  afterEach(() => {
    // Whatever a test tried, the shared prototypes must be untouched.
    expect(Object.getOwnPropertyNames(Object.prototype)).to.not.include('polluted');
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
  });

  describe('rejects at compile time any route into the object machinery or the host', () => {
    const attempts = [
      '__proto__',
      'x.__proto__',
      "x['__proto__']",
      'x["constructor"]',
      'x.constructor.prototype',
      "constructor.constructor('return process')()",
      "x.constructor.constructor('return process')()",
      'prototype',
      'x.__defineGetter__',
      '{__proto__}',
      '{x.constructor}',
      'process',
      'process.env.HOME',
      'globalThis',
      'globalThis.process',
      'global.process',
      'window',
      'this',
      "require('fs')",
      "eval('1')",
      "Function('return 1')",
      "import('fs')",
      'module.exports',
      "Object.assign(x, y)",
      "Reflect.get(x, 'y')",
    ];
    for (const src of attempts) {
      it(src, () => {
        const e = compileFails(src);
        expect(e.code, e.message).to.be.oneOf(['forbidden', 'syntax']);
        expect(e.position).to.be.a('number');
      });
    }
  });

  it('refuses forbidden keys computed at run time', () => {
    for (const k of ['__proto__', 'constructor', 'prototype', '__lookupGetter__']) {
      const e = fails('x[k]', { x: {}, k });
      expect(e.code).to.equal('forbidden');
      expect(e.position).to.equal(1);
    }
    expect(fails("x['__pro' + 'to__']", { x: {} }).code).to.equal('forbidden');
  });

  it('never asks the scope for a forbidden name', () => {
    const asked: string[] = [];
    const scope = (n: string): Value | undefined => {
      asked.push(n);
      return undefined;
    };
    for (const src of ['x.__proto__', 'constructor', '{constructor}', 'process']) {
      try {
        compileExpression(src).evaluate(scope);
      } catch (e) {
        expect(e).to.be.instanceOf(ExpressionError);
      }
    }
    expect(asked).to.deep.equal([]);
  });

  it('reads only own members of plain data, so inherited methods are not reachable', () => {
    const vars = { obj: { a: 1 }, list: [1, 2], text: 'abc' };
    for (const src of ['obj.toString', 'obj.hasOwnProperty', 'obj.valueOf', 'list.length', 'list.map', 'text.length', 'text.constructorx']) {
      expect(ev(src, vars), src).to.equal(null);
    }
  });

  it('survives a naive scope over a plain object', () => {
    const vars: Record<string, unknown> = { a: 1 };
    const naive = (n: string) => vars[n] as Value | undefined;
    for (const src of ['toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'toLocaleString']) {
      expect(compileExpression(src).evaluate(naive), src).to.equal(null);
    }
  });

  it('ignores class instances, functions and getters-bearing objects from the scope', () => {
    class Secret {
      token = 's3cret';
    }
    const scope = scopeOf({}) as (n: string) => Value | undefined;
    const vars: Record<string, unknown> = { inst: new Secret(), map: new Map([['a', 1]]), fn: () => 'x', nested: { inst: new Secret() } };
    const s = (n: string) => (vars[n] ?? scope(n)) as Value | undefined;
    expect(compileExpression('inst.token').evaluate(s)).to.equal(null);
    expect(compileExpression('map').evaluate(s)).to.equal(null);
    expect(compileExpression('fn').evaluate(s)).to.equal(null);
    expect(compileExpression('nested.inst').evaluate(s)).to.equal(null);
    expect(compileExpression('nested').evaluate(s)).to.deep.equal({});
  });

  it('keeps a "__proto__" key from parsed JSON as plain data without polluting anything', () => {
    const body = JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}') as Value;
    const out = compileExpression('body').evaluate(scopeOf({ body })) as Record<string, Value>;
    expect(Object.getPrototypeOf(out)).to.equal(Object.prototype);
    expect(Object.hasOwn(out, '__proto__')).to.equal(true);
    expect(out['a']).to.equal(1);
    expect(({} as Record<string, unknown>)['polluted']).to.equal(undefined);
    expect(ev('body.a', { body })).to.equal(1);
    expect(interpolate('{body}', scopeOf({ body }))).to.equal('{"__proto__":{"polluted":1},"a":1}');
  });

  it('has no eval, Function constructor or vm anywhere in its source', () => {
    const dir = path.resolve(here, '../../flows/expression');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      // Comments may name what we avoid; code may not.
      const text = readFileSync(path.join(dir, file), 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(text, file).to.not.match(/\beval\s*\(|new\s+Function\b|\bFunction\s*\(|['"](node:)?vm['"]|\bimport\s*\(/);
    }
  });
});

describe('expression runaway protection', () => {
  const deep = 10_000;
  const nestings: Array<[string, string]> = [
    ['parentheses', `${'('.repeat(deep)}1${')'.repeat(deep)}`],
    ['unclosed parentheses', '('.repeat(deep)],
    ['! chains', `${'!'.repeat(deep)}x`],
    ['unary minus chains', `${'-'.repeat(deep)}1`],
    ['not chains', `${'not '.repeat(deep)}x`],
    ['nested calls', `${'abs('.repeat(deep)}1${')'.repeat(deep)}`],
    ['nested lists', `${'['.repeat(deep)}${']'.repeat(deep)}`],
    ['ternary chains', `${'x?1:'.repeat(deep)}2`],
    ['power chains', `${'2 ** '.repeat(deep)}1`],
    ['member chains', `x${'.a'.repeat(deep)}`],
    ['index chains', `x${'[0]'.repeat(deep)}`],
    ['computed index chains', `(x)${'[y]'.repeat(deep)}`],
  ];
  for (const [what, src] of nestings) {
    it(`stops ${deep} levels of ${what} with a depth error, not a stack overflow`, () => {
      const e = compileFails(src);
      expect(e.code).to.equal('depth');
      expect(e.message).to.match(/nests deeper than 64 levels/);
      expect(e.position).to.be.a('number');
    });
  }

  it('accepts nesting up to the configured maxDepth', () => {
    const src = `${'('.repeat(60)}1${')'.repeat(60)}`;
    expect(ev(src)).to.equal(1);
    expect(compileFails(src, { maxDepth: 10 }).code).to.equal('depth');
    const deeper = `${'('.repeat(150)}1${')'.repeat(150)}`;
    expect(ev(deeper, {}, { maxDepth: 200 })).to.equal(1);
  });

  it('stays clean even with an absurd maxDepth', () => {
    const src = `${'('.repeat(30_000)}1${')'.repeat(30_000)}`;
    const e = compileFails(src, { maxDepth: 1e9 });
    expect(e.code).to.equal('depth');
    // clamped to 256, and stopped by the parser (with a position), not by a stack overflow
    expect(e.message).to.match(/deeper than 256 levels/);
    expect(e.position).to.equal(256);
  });

  it('keeps long flat operator runs flat (no deep tree) and charges every operand', () => {
    const terms = 20_000;
    const src = Array.from({ length: terms }, () => 'a').join(' + ');
    const c = compileExpression(src, { maxLength: 200_000 });
    expect(c.evaluate(scopeOf({ a: 1 }), { maxSteps: 100_000 })).to.equal(terms);
    const e = (() => {
      try {
        c.evaluate(scopeOf({ a: 1 }));
      } catch (err) {
        return err;
      }
    })();
    expect(e).to.be.instanceOf(ExpressionError);
    expect((e as ExpressionError).code).to.equal('steps');
    expect((e as ExpressionError).message).to.match(/step budget of 10000 exhausted/);
    const ands = Array.from({ length: 5000 }, () => 'a').join(' && ');
    expect(ev(ands, { a: 1 })).to.equal(true);
  });

  it('enforces a configurable step budget at evaluation', () => {
    const c = compileExpression('a + b + c + d');
    expect(c.evaluate(scopeOf({ a: 1, b: 1, c: 1, d: 1 }))).to.equal(4);
    expect(() => c.evaluate(scopeOf({ a: 1, b: 1, c: 1, d: 1 }), { maxSteps: 3 })).to.throw(ExpressionError, /step budget of 3/);
  });

  it('charges work done inside functions to the step budget', () => {
    const long = 'x,'.repeat(20_000);
    expect(fails('len(split(s))', { s: long }).code).to.equal('steps');
    expect(ev('len(split(s))', { s: long }, { maxSteps: 50_000 })).to.equal(20_001);
    const list = Array.from({ length: 20_000 }, (_, i) => i);
    expect(fails('contains(l, -1)', { l: list }).code).to.equal('steps');
    expect(fails('l == l2', { l: list, l2: [...list] }).code).to.equal('steps');
    expect(fails('join(l)', { l: list }).code).to.equal('steps');
    // copying a result out is not the expression's work, but pathological sharing is still bounded
    expect(ev('l', { l: list })).to.have.length(20_000);
  });

  it('caps every produced text at maxLength', () => {
    const s = 'x'.repeat(40_000);
    for (const src of ['s + s', "concat(s, s)", "replace(s, 'x', 'yy')", "join([s, s], '')", 'upper(s + s)', "string([s, s])"]) {
      const e = fails(src, { s });
      expect(e.code, src).to.equal('length');
      expect(e.message).to.match(/exceeds the limit of 65536/);
    }
    expect(fails("a + 'b'", { a: 'aaaa' }, { maxLength: 4 }).code).to.equal('length');
    expect(ev('len(s + s)', { s }, { maxLength: 100_000 })).to.equal(80_000);
  });

  it('stops doubling before memory runs out', () => {
    // Each level multiplies by 300; without the cap this would build 2.7e9 characters.
    expect(fails(`replace(replace(replace(s, 'a', s), 'a', s), 'a', s)`, { s: 'a'.repeat(300) }).code).to.equal('length');
  });

  it('refuses over-long source text', () => {
    const e = compileFails('1'.padEnd(70_000, ' '));
    expect(e.code).to.equal('length');
    expect(compileFails('a + b', { maxLength: 3 }).code).to.equal('length');
  });

  it('stops on cyclic or absurdly deep data from the scope', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    const other: Record<string, unknown> = { a: 1 };
    other['self'] = other;
    const s = (n: string) => (n === 'c' ? (cyclic as Value) : undefined);
    for (const src of ['c', 'c == c2', 'string(c)']) {
      try {
        compileExpression(src).evaluate((n) => (n === 'c2' ? (other as Value) : s(n)), { maxSteps: 1e9 });
        expect.fail(`${src} should fail`);
      } catch (e) {
        expect(e, src).to.be.instanceOf(ExpressionError);
        expect((e as ExpressionError).code).to.be.oneOf(['depth', 'steps']);
      }
    }
    expect(() => interpolate('{c}', s)).to.throw(ExpressionError);
    expect(compileExpression('c.self.self.self.a').evaluate(s)).to.equal(1);
  });

  it('bounds copying data whose shared parts would expand exponentially', () => {
    let x: Value = [1];
    for (let i = 0; i < 40; i++) x = [x, x]; // 2^40 leaves once copied, tiny in memory
    const s = scopeOf({ x });
    const e = (() => {
      try {
        compileExpression('x').evaluate(s);
      } catch (err) {
        return err;
      }
    })();
    expect(e).to.be.instanceOf(ExpressionError);
    expect((e as ExpressionError).message).to.match(/value has more than 1000000 members/);
    expect(() => interpolate('{x}', s)).to.throw(ExpressionError, /more than 1000000/);
    expect(fails('string(x)', { x }).code).to.equal('steps');
  });

  it('rejects out-of-range number literals', () => {
    expect(compileFails('1e999').message).to.match(/out of range/);
  });
});
