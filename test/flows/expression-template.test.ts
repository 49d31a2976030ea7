import { expect } from 'chai';
import { compileTemplate, ExpressionError, interpolate, templateVariables } from '../../flows/expression/index.ts';
import { scopeOf } from './expression-helpers.ts';

describe('templates ({VAR} as in Cally Square)', () => {
  const scope = scopeOf({
    name: 'Ada',
    'CALLERID(num)': '0612345678',
    count: 3,
    price: 2.5,
    ok: true,
    nothing: null,
    http: { body: { status: 'open', tags: ['a', 'b'] } },
    rows: [['r0c0', 'r0c1'], ['r1c0', 'r1c1']],
    'survey.score': 8,
  });

  it('substitutes variables and Asterisk function variables', () => {
    expect(interpolate('Hello {name}, you called from {CALLERID(num)}', scope)).to.equal('Hello Ada, you called from 0612345678');
  });

  it('renders values as text: numbers plainly, booleans, null as empty, lists and objects as JSON', () => {
    expect(interpolate('{count}|{price}|{ok}|{nothing}|{http.body.tags}|{http.body}', scope)).to.equal(
      '3|2.5|true||["a","b"]|{"status":"open","tags":["a","b"]}',
    );
  });

  it('walks paths and indexes, and reads flat dotted names', () => {
    expect(interpolate('{http.body.status} {rows[1][0]} {rows[-1][-1]} {survey.score}', scope)).to.equal('open r1c0 r1c1 8');
  });

  it('renders unknown variables and missing members as empty text', () => {
    expect(interpolate('[{unknown}][{http.body.nope}][{rows[7]}]', scope)).to.equal('[][][]');
  });

  it('never re-reads braces that arrive inside a value', () => {
    expect(interpolate('{v}', scopeOf({ v: '{name} {{x}}', name: 'Ada' }))).to.equal('{name} {{x}}');
  });

  it('allows spaces inside the braces', () => {
    expect(interpolate('{ name }', scope)).to.equal('Ada');
  });

  it('writes a literal brace for {{ and its closing }}', () => {
    expect(interpolate('{{name}}', scope)).to.equal('{name}');
    expect(interpolate('{{{name}}}', scope)).to.equal('{Ada}');
    expect(interpolate('a {{ b', scope)).to.equal('a { b');
    expect(interpolate('{{"a": {{"b": 1}}}}', scope)).to.equal('{"a": {"b": 1}}');
  });

  it('copies braces that do not form a reference, so JSON bodies need no escaping', () => {
    expect(interpolate('{"caller": "{CALLERID(num)}", "n": {count}}', scope)).to.equal('{"caller": "0612345678", "n": 3}');
    expect(interpolate('{"a": {"b": 1}}', scope)).to.equal('{"a": {"b": 1}}');
    expect(interpolate('} { {} {1abc} {a b} {name', scope)).to.equal('} { {} {1abc} {a b} {name');
    expect(interpolate('{x\n}', scope)).to.equal('{x\n}');
  });

  it('returns text without braces untouched and handles empty templates', () => {
    expect(interpolate('plain text', scope)).to.equal('plain text');
    expect(interpolate('', scope)).to.equal('');
  });

  it('never asks the scope for forbidden names and renders them empty', () => {
    const asked: string[] = [];
    const out = interpolate('[{__proto__}][{constructor}][{process}][{x.__proto__}][{name}]', (n) => {
      asked.push(n);
      return n === 'name' ? 'Ada' : 'LEAK';
    });
    expect(out).to.equal('[][][][][Ada]');
    expect(asked).to.deep.equal(['name']);
  });

  it('is safe against a naive scope over a plain object', () => {
    const vars: Record<string, unknown> = { name: 'Ada' };
    const naive = (n: string) => vars[n] as never;
    expect(interpolate('{toString}{hasOwnProperty}{valueOf}{name}', naive)).to.equal('Ada');
  });

  it('lists the root variables a template reads, once each, in order', () => {
    expect(templateVariables('{b} {a.x} {CALLERID(num)} {b} {{c}} {__proto__} {rows[0]}')).to.deep.equal(['b', 'a', 'CALLERID(num)', 'rows']);
    expect(templateVariables('no variables {{here}}')).to.deep.equal([]);
  });

  it('caps the rendered length', () => {
    const big = 'x'.repeat(40_000);
    const s = scopeOf({ big });
    expect(interpolate('{big}', s)).to.have.length(40_000);
    expect(() => interpolate('{big}{big}', s)).to.throw(ExpressionError, /exceeds the limit of 65536/);
    expect(() => interpolate('{big}', s, { maxLength: 100 })).to.throw(ExpressionError);
  });

  it('compiles once and renders many times', () => {
    const t = compileTemplate('Dear {name}, {count} items');
    expect(t.variables).to.deep.equal(['name', 'count']);
    expect(t.render(scope)).to.equal('Dear Ada, 3 items');
    expect(t.render(scopeOf({ name: 'Bo', count: 0 }))).to.equal('Dear Bo, 0 items');
  });

  it('refuses a template that is not text with an ExpressionError', () => {
    expect(() => interpolate(42 as unknown as string, scope)).to.throw(ExpressionError);
  });
});
