import { expect } from 'chai';
import { compileExpression, ExpressionError, isTruthy, valuesEqual, valueToText } from '../../flows/expression/index.ts';
import { compileFails, ev, fails, scopeOf } from './expression-helpers.ts';

describe('expression language: literals and references', () => {
  it('reads numbers, texts with escapes, booleans, null and lists', () => {
    expect(ev('42')).to.equal(42);
    expect(ev('3.25')).to.equal(3.25);
    expect(ev('1e3')).to.equal(1000);
    expect(ev('2.5E-1')).to.equal(0.25);
    expect(ev(`'it\\'s'`)).to.equal("it's");
    expect(ev(`"say \\"hi\\"\\n\\t\\\\"`)).to.equal('say "hi"\n\t\\');
    expect(ev(`'\\u00e8\\u{1F600}'`)).to.equal('è😀');
    expect(ev('true')).to.equal(true);
    expect(ev('false')).to.equal(false);
    expect(ev('null')).to.equal(null);
    expect(ev(`[1, 'a', [true, null], ]`)).to.deep.equal([1, 'a', [true, null]]);
    expect(ev('[]')).to.deep.equal([]);
  });

  it('looks variables up only through the scope, unknown ones reading as null', () => {
    expect(ev('x', { x: 'hello' })).to.equal('hello');
    expect(ev('missing')).to.equal(null);
    const asked: string[] = [];
    compileExpression('a + b').evaluate((n) => {
      asked.push(n);
      return 1;
    });
    expect(asked).to.deep.equal(['a', 'b']);
  });

  it('walks dotted paths and indexes, missing members reading as null', () => {
    const vars = { http: { status: 200, body: { items: [{ id: 'x1' }, { id: 'x2' }] } }, rows: [[1, 2], [3, 4]] };
    expect(ev('http.status', vars)).to.equal(200);
    expect(ev('http.body.items[1].id', vars)).to.equal('x2');
    expect(ev('rows[0][1]', vars)).to.equal(2);
    expect(ev('rows[-1][0]', vars)).to.equal(3);
    expect(ev("http['status']", vars)).to.equal(200);
    expect(ev('rows[i][j]', { ...vars, i: 1, j: '1' })).to.equal(4);
    expect(ev('http.nope.deeper', vars)).to.equal(null);
    expect(ev('rows[9]', vars)).to.equal(null);
    expect(ev('missing.x[0]')).to.equal(null);
    expect(ev("'12345'[0]")).to.equal('1');
    expect(ev('split(x, "-")[1]', { x: 'a-b' })).to.equal('b');
  });

  it('falls back to a flat dotted name when the root is absent', () => {
    expect(ev('survey.score', { 'survey.score': 9 })).to.equal(9);
    // the root wins when present
    expect(ev('survey.score', { survey: { score: 1 }, 'survey.score': 9 })).to.equal(1);
  });

  it('reads braced references, including Asterisk function variables by their whole text', () => {
    const vars = { 'CALLERID(num)': '0612345678', EXTEN: '100', http: { body: { ok: true } } };
    expect(ev('{CALLERID(num)}', vars)).to.equal('0612345678');
    expect(ev("{CALLERID(num)} == '0612345678' && {EXTEN} == 100", vars)).to.equal(true);
    expect(ev('{ http.body.ok }', vars)).to.equal(true);
    expect(ev('{SIP_HEADER(X-Tenant)}', { 'SIP_HEADER(X-Tenant)': 'acme' })).to.equal('acme');
  });

  it('reports the root variables and the paths an expression reads', () => {
    const c = compileExpression("http.body.status == 200 && {CALLERID(num)} != '' && len(rows[0]) > n + rows[-1]");
    expect([...c.variables].sort()).to.deep.equal(['CALLERID(num)', 'http', 'n', 'rows']);
    expect([...c.paths].sort()).to.deep.equal(['CALLERID(num)', 'http.body.status', 'n', 'rows[-1]', 'rows[0]']);
    expect(c.source).to.equal("http.body.status == 200 && {CALLERID(num)} != '' && len(rows[0]) > n + rows[-1]");
  });

  it('treats non-finite numbers and functions handed over by the scope as absent', () => {
    const weird = (name: string): never => ({ nan: NaN, inf: Infinity, fn: () => 1, date: new Date(0) } as Record<string, unknown>)[name] as never;
    for (const name of ['nan', 'inf', 'fn', 'date']) expect(compileExpression(name).evaluate(weird)).to.equal(null);
  });
});

describe('expression language: precedence and associativity', () => {
  const cases: Array<[string, unknown]> = [
    ['1 + 2 * 3', 7],
    ['(1 + 2) * 3', 9],
    ['10 - 4 - 3', 3],
    ['100 / 10 / 5', 2],
    ['2 ** 3 ** 2', 512],
    ['-2 ** 2', -4],
    ['(-2) ** 2', 4],
    ['2 ** -1', 0.5],
    ['7 % 4 * 2', 6],
    ['1 + 2 < 4', true],
    ['1 < 2 == true', true],
    ['!0 == true', true],
    ['not 1 == 2', true],
    ['true || false && false', true],
    ['(true || false) && false', false],
    ['false or true and false', false],
    ['1 ? 2 : 3 ? 4 : 5', 2],
    ['0 ? 2 : 0 ? 4 : 5', 5],
    ['0 ? 1 : 2 + 3', 5],
    ['1 + 1 == 2 ? "y" : "n"', 'y'],
    ['- - 3', 3],
    ['!!1', true],
    ['1 + 2 + 3 + 4 + 5 - 6 * 2', 3],
  ];
  for (const [src, want] of cases) {
    it(`${src} → ${JSON.stringify(want)}`, () => expect(ev(src)).to.deep.equal(want));
  }

  it('refuses chained comparisons instead of misreading them', () => {
    expect(compileFails('1 < x < 3').message).to.match(/do not chain/);
    expect(compileFails('a == b == c').message).to.match(/do not chain/);
  });
});

describe('expression language: operators and coercion', () => {
  it('adds numbers, and numbers to numeric text (DTMF digits are text)', () => {
    expect(ev('1 + 2')).to.equal(3);
    expect(ev('count + 1', { count: '4' })).to.equal(5);
    expect(ev('1 + count', { count: '4.5' })).to.equal(5.5);
  });

  it('concatenates text, keeping numeric-looking texts as text', () => {
    expect(ev("'a' + 'b'")).to.equal('ab');
    expect(ev("'0' + n", { n: '39123' })).to.equal('039123');
    expect(ev("'n=' + 5")).to.equal('n=5');
    expect(ev("'x' + null + true")).to.equal('xtrue');
    expect(ev("'l=' + [1, 'a']")).to.equal('l=[1,"a"]');
    expect(ev("'a' + 1 + 2")).to.equal('a12');
    expect(ev("1 + 2 + 'a'")).to.equal('3a');
    expect(ev('number(a) + number(b)', { a: '1', b: '2' })).to.equal(3);
  });

  it('concatenates two lists with +', () => {
    expect(ev('[1] + [2, 3]')).to.deep.equal([1, 2, 3]);
  });

  it('refuses to add what has no sum', () => {
    expect(fails('1 + true').code).to.equal('type');
    expect(fails('null + 1').code).to.equal('type');
    expect(fails('[1] + 1').code).to.equal('type');
  });

  it('does - * / % ** on numbers and numeric text', () => {
    expect(ev('10 - 2.5')).to.equal(7.5);
    expect(ev("'6' * '7'")).to.equal(42);
    expect(ev('7 / 2')).to.equal(3.5);
    expect(ev('-7 % 3')).to.equal(-1);
    expect(ev('x % 2', { x: '9' })).to.equal(1);
    expect(ev('2 ** 10')).to.equal(1024);
    expect(ev('-x', { x: '3' })).to.equal(-3);
    expect(ev('+x', { x: '3' })).to.equal(3);
    expect(Object.is(ev('-0'), 0)).to.equal(true);
    expect(Object.is(ev('0 * -1'), 0)).to.equal(true);
  });

  it('fails cleanly on non-numbers, division by zero and non-finite results', () => {
    const e = fails("x - 1", { x: 'abc' });
    expect(e.code).to.equal('type');
    expect(e.message).to.contain('text "abc" is not a number');
    expect(fails('1 / 0').code).to.equal('division-by-zero');
    expect(fails('5 % z', { z: '0' }).code).to.equal('division-by-zero');
    expect(fails('1e308 * 10').code).to.equal('not-finite');
    expect(fails('(-8) ** 0.5').code).to.equal('not-finite');
    expect(fails('2 ** 5000').code).to.equal('not-finite');
    expect(fails('-true').code).to.equal('type');
  });

  describe('equality', () => {
    const eq: Array<[string, boolean]> = [
      ['1 == 1', true],
      ["digits == 1", true],
      ["1 == '1.0'", true],
      ["'007' == '7'", false], // text stays text: phone numbers and PINs keep leading zeros
      ["'007' == 7", true],
      ["'abc' == 'abc'", true],
      ["'abc' == 'ABC'", false],
      ["null == ''", true],
      ['missing == null', true],
      ['null == 0', false],
      ["true == 'true'", true],
      ['true == 1', false],
      ['[1, [2]] == [1, [2]]', true],
      ["[1] == ['1']", true],
      ['[1, 2] == [2, 1]', false],
      ['obj == obj2', true],
      ['1 != 2', true],
      ["digits != '1'", false],
    ];
    for (const [src, want] of eq) {
      it(`${src} → ${want}`, () => expect(ev(src, { digits: '1', obj: { a: [1] }, obj2: { a: [1] } })).to.equal(want));
    }
  });

  describe('ordering', () => {
    const ord: Array<[string, boolean]> = [
      ['2 < 10', true],
      ["'2' < '10'", true], // numeric texts order as numbers
      ["'b' > 'a'", true],
      ["'B' < 'a'", true], // code unit order, no locale
      ["'10' >= 10", true],
      ["'9a' < '10'", false], // not both numeric: text order
      ['3 <= 3', true],
      ['3 > 3', false],
      ["'12345678901234567' < '12345678901234568'", true], // beyond double precision: decided exactly
      ["'0012345678901234567' >= '12345678901234567'", true],
    ];
    for (const [src, want] of ord) it(`${src} → ${want}`, () => expect(ev(src)).to.equal(want));

    it('is a type error for null, booleans, lists and number against non-numeric text', () => {
      for (const src of ['x > 3', 'true < 2', '[1] < [2]', "'abc' < 3", "'' > 0"]) {
        expect(fails(src).code, src).to.equal('type');
      }
      expect(fails('x > 3').message).to.contain('cannot order null and number 3');
    });
  });

  it('applies Asterisk-like truthiness in ! && || ?:', () => {
    for (const v of [false, null, 0, '', '0', 'false', [], {}]) {
      expect(ev('x ? 1 : 2', { x: v }), JSON.stringify(v)).to.equal(2);
      expect(isTruthy(v)).to.equal(false);
    }
    for (const v of [true, 1, -1, 'a', '00', 'no', [0], { a: 1 }]) {
      expect(ev('x ? 1 : 2', { x: v }), JSON.stringify(v)).to.equal(1);
      expect(isTruthy(v)).to.equal(true);
    }
  });

  it('returns booleans from && and || and short-circuits', () => {
    expect(ev("'a' && 'b'")).to.equal(true);
    expect(ev("0 || ''")).to.equal(false);
    // the right side would fail if evaluated
    expect(ev('false && 1 / 0 > 1')).to.equal(false);
    expect(ev('true || x > 1')).to.equal(true);
    expect(ev('x > 0 && y > 0 && z > 0', { x: 1, y: 1, z: 0 })).to.equal(false);
    expect(ev('x or y or z', { z: 1 })).to.equal(true);
    expect(ev('1 ? 2 : 1 / 0')).to.equal(2);
  });

  it('exposes the same equality, truthiness and text rules to blocks', () => {
    expect(valuesEqual('1', 1)).to.equal(true);
    expect(valuesEqual('01', '1')).to.equal(false);
    expect(valueToText(null)).to.equal('');
    expect(valueToText(2.5)).to.equal('2.5');
    expect(valueToText({ a: [1, 'x'] })).to.equal('{"a":[1,"x"]}');
  });
});

describe('expression language: results', () => {
  it('returns fresh plain copies of lists and objects, never the scope data itself', () => {
    const body = { items: [1, 2], nested: { deep: true } };
    const out = compileExpression('body').evaluate(scopeOf({ body }));
    expect(out).to.deep.equal(body);
    expect(out).to.not.equal(body);
    (out as { items: number[] }).items.push(3);
    expect(body.items).to.deep.equal([1, 2]);
    expect(Object.getPrototypeOf(out)).to.equal(Object.prototype);
  });

  it('compiles once and evaluates many times with different scopes', () => {
    const c = compileExpression("a + 1 > 3 && b == '1'");
    expect(c.evaluate(scopeOf({ a: 3, b: '1' }))).to.equal(true);
    expect(c.evaluate(scopeOf({ a: 2, b: '1' }))).to.equal(false);
    expect(c.evaluate(scopeOf({ a: '5', b: 1 }))).to.equal(true);
    expect(c.evaluate(scopeOf({ a: 9, b: '2' }))).to.equal(false);
  });
});

describe('expression language: errors carry positions', () => {
  const cases: Array<[string, number, RegExp]> = [
    ['1 +', 3, /unexpected end/],
    ['(1 + 2', 6, /expected "\)"/],
    ["'abc", 0, /unterminated text/],
    ['a ? b', 5, /":" of the \?: conditional/],
    ['1 2', 2, /unexpected number 2/],
    ['a = 1', 2, /use ==/],
    ['a === 1', 2, /use ==/],
    ['a <> 1', 2, /use !=/],
    ['a & b', 2, /use &&/],
    ['x @ y', 2, /unexpected character "@"/],
    ['3abc', 1, /runs into a name/],
    ["'\\q'", 1, /unknown escape/],
    ['foo(1)', 0, /unknown function foo/],
    ['len()', 0, /len\(\) takes 1 argument, got 0/],
    ['substr(1)', 0, /takes 2 to 3 arguments/],
    ['{ }', 1, /empty variable reference/],
    ['{a b}', 2, /unexpected " "/],
    ['x.1', 2, /a member name follows/],
    ['${EXTEN}', 0, /"\$" is not used/],
    ['', 0, /empty expression/],
    ['a(1)', 0, /unknown function a/],
    ['(a)(1)', 3, /only the built-in functions/],
  ];
  for (const [src, position, message] of cases) {
    it(`${JSON.stringify(src)} fails at ${position}`, () => {
      const e = compileFails(src);
      expect(e).to.be.instanceOf(ExpressionError);
      expect(e.message).to.match(message);
      expect(e.position).to.equal(position);
    });
  }

  it('points runtime errors at the operator or argument that failed', () => {
    expect(fails('a + b / 0', { a: 1, b: 2 }).position).to.equal(6);
    expect(fails("1 + substr('abc', x)", { x: 'z' }).position).to.equal(18);
    expect(fails('round(1, 99)').position).to.equal(9);
  });

  it('hints at the Asterisk function syntax for upper-case calls', () => {
    expect(compileFails('CALLERID(num) == 1').message).to.contain('{CALLERID(…)}');
  });
});
