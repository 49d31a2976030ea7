import { expect } from 'chai';
import { FUNCTION_NAMES, matchDialPattern, validateDialPattern, ExpressionError } from '../../flows/expression/index.ts';
import { compileFails, ev, fails } from './expression-helpers.ts';

describe('expression functions', () => {
  it('offers exactly the documented whitelist', () => {
    expect(FUNCTION_NAMES).to.deep.equal([
      'abs', 'ceil', 'coalesce', 'concat', 'contains', 'date', 'dateAdd', 'dateDiff', 'datePart', 'endsWith', 'epoch',
      'floor', 'formatDate', 'indexOf', 'isEmpty', 'join', 'len', 'lower', 'matches', 'max', 'min', 'number', 'replace',
      'round', 'split', 'startsWith', 'string', 'substr', 'trim', 'upper',
    ]);
  });

  describe('text', () => {
    const cases: Array<[string, unknown]> = [
      ["len('hello')", 5],
      ['len(12345)', 5],
      ['len([1, 2, 3])', 3],
      ['len(obj)', 2],
      ['len(missing)', 0],
      ["upper('abc')", 'ABC'],
      ["lower('ÀBC')", 'àbc'],
      ["trim('  x y  ')", 'x y'],
      ["substr('0039612345', 4)", '612345'],
      ["substr('0039612345', 0, 4)", '0039'],
      ["substr('0039612345', -4)", '2345'],
      ["substr('0039612345', 2, -3)", '39612'],
      ["substr('abc', 10)", ''],
      ["substr('abc', 1, 0)", ''],
      ["substr('abc', -10, 2)", 'ab'],
      ["contains('hello', 'ell')", true],
      ["contains('hello', '')", true],
      ["contains([1, '2', 3], 2)", true],
      ["contains([1, 2], '02')", true],
      ["contains(obj, 'a')", true],
      ["contains(12345, 234)", true],
      ["indexOf('hello', 'l')", 2],
      ["indexOf([5, 6], '6')", 1],
      ["indexOf('abc', 'z')", -1],
      ["startsWith('+39123', '+39')", true],
      ["endsWith('file.wav', '.gsm')", false],
      ["replace('a.b.c', '.', '')", 'abc'],
      ["replace('x+x', '+', '.*')", 'x.*x'], // literal, never a regular expression
      ["replace('aaa', 'a', 'aa')", 'aaaaaa'],
      ["replace('abc', '', 'z')", 'abc'],
      ["split('1,2,3')", ['1', '2', '3']],
      ["split('a|b', '|')", ['a', 'b']],
      ["split('abc', '')", ['a', 'b', 'c']],
      ["split('', ',')", []],
      ["join(['a', 1, true, null])", 'a,1,true,'],
      ["join([1, 2], '')", '12'],
      ["join(split('1-2-3', '-'), '+')", '1+2+3'],
      ["concat('a', 1, null, [2])", 'a1[2]'],
    ];
    for (const [src, want] of cases) it(`${src} → ${JSON.stringify(want)}`, () => expect(ev(src, { obj: { a: 1, b: 2 } })).to.deep.equal(want));

    it('rejects bad arguments with the position of the argument', () => {
      const e = fails("substr('abc', 1.5)");
      expect(e.code).to.equal('type');
      expect(e.position).to.equal(14);
      expect(fails("join('abc')").message).to.contain('must be a list');
    });
  });

  describe('conversion and numbers', () => {
    const cases: Array<[string, unknown]> = [
      ["number('42')", 42],
      ["number(' 4.5 ')", 4.5],
      ['number(true)', 1],
      ["number('abc', 0)", 0],
      ["number('', -1)", -1],
      ['string(12)', '12'],
      ['string(null)', ''],
      ['string([1, "a"])', '[1,"a"]'],
      ['string(false)', 'false'],
      ['round(2.5)', 3],
      ['round(-2.5)', -3],
      ['round(1.005, 2)', 1.01],
      ['round(1234.5678, -2)', 1200],
      ["round('3.14159', 3)", 3.142],
      ['floor(-1.5)', -2],
      ['ceil(1.2)', 2],
      ["abs('-7')", 7],
      ['min(3, 1, 2)', 1],
      ["max(3, '10', 2)", 10],
      ['max([4, 9, 2])', 9],
      ['min(5)', 5],
    ];
    for (const [src, want] of cases) it(`${src} → ${JSON.stringify(want)}`, () => expect(ev(src)).to.deep.equal(want));

    it('fails on what is not a number', () => {
      expect(fails("number('abc')").message).to.contain('second argument as default');
      expect(fails('min([])').code).to.equal('type');
      expect(fails("max(1, 'x')").code).to.equal('type');
      expect(fails('floor(null)').code).to.equal('type');
    });
  });

  describe('emptiness', () => {
    it('coalesce returns the first value that is neither null nor empty text', () => {
      expect(ev("coalesce(a, b, 'default')", { b: '' })).to.equal('default');
      expect(ev("coalesce(a, b, 'default')", { a: 0 })).to.equal(0);
      expect(ev('coalesce(a, b)')).to.equal(null);
    });
    it('isEmpty is true for null, empty text, empty list and empty object only', () => {
      for (const v of [null, '', [], {}]) expect(ev('isEmpty(x)', { x: v })).to.equal(true);
      for (const v of [0, false, ' ', [null], { a: null }]) expect(ev('isEmpty(x)', { x: v })).to.equal(false);
      expect(ev('isEmpty(missing)')).to.equal(true);
    });
  });

  describe('dates (explicit instants only, no clock)', () => {
    const cases: Array<[string, unknown]> = [
      ['date(0)', '1970-01-01T00:00:00.000Z'],
      ["date('2024-02-29')", '2024-02-29T00:00:00.000Z'],
      ["date('2024-03-10T12:30:00+02:00')", '2024-03-10T10:30:00.000Z'],
      ["epoch('1970-01-02T00:00:00Z')", 86_400_000],
      ["epoch('86400000')", 86_400_000],
      ["dateAdd('2024-01-31T08:00:00Z', 1, 'month')", '2024-02-29T08:00:00.000Z'],
      ["dateAdd('2024-02-29', 1, 'year')", '2025-02-28T00:00:00.000Z'],
      ["dateAdd(0, 90, 'minutes')", 5_400_000],
      ["dateAdd('2024-01-01', -1, 'd')", '2023-12-31T00:00:00.000Z'],
      ["dateDiff('2024-01-01', '2024-01-08T12:00:00Z', 'days')", 7],
      ["dateDiff('2024-01-08', '2024-01-01', 'weeks')", -1],
      ["dateDiff('2024-01-31', '2024-02-29', 'months')", 1], // consistent with dateAdd's clamping
      ["dateDiff('2024-01-31', '2024-03-31', 'months')", 2],
      ["dateDiff('2020-05-01', '2024-04-30', 'years')", 3],
      ["datePart('2024-03-04T23:30:00Z', 'weekday')", 1], // a Monday in UTC
      ["datePart('2024-03-04T23:30:00Z', 'weekday', 'Europe/Rome')", 2], // already Tuesday in Rome
      ["datePart('2024-07-01T12:00:00Z', 'hour', 'America/New_York')", 8],
      ["datePart('2024-07-01T12:00:00Z', 'month')", 7],
      ["formatDate('2024-03-05T10:20:30.045Z', 'YYYY-MM-DD HH:mm:ss.SSS')", '2024-03-05 10:20:30.045'],
      ["formatDate('2024-03-05T10:20:30Z', 'DD/MM/YY ddd E [at] HH', 'Asia/Tokyo')", '05/03/24 Tue 2 at 19'],
    ];
    for (const [src, want] of cases) it(`${src} → ${JSON.stringify(want)}`, () => expect(ev(src)).to.deep.equal(want));

    it('rejects invalid dates, units, parts and zones', () => {
      expect(fails("date('2023-02-29')").message).to.contain('not a valid date');
      expect(fails("date('tomorrow')").message).to.contain('not a date');
      expect(fails("dateAdd(0, 1, 'fortnight')").message).to.contain('unknown time unit');
      expect(fails("datePart(0, 'century')").message).to.contain('unknown date part');
      expect(fails("datePart(0, 'hour', 'Mars/Olympus')").message).to.contain('unknown time zone');
      expect(fails('date(1e300)').message).to.contain('out of range');
      expect(fails("dateAdd(0, 0.5, 'months')").code).to.equal('type');
    });
  });

  describe('matches: Asterisk dial patterns, not regular expressions', () => {
    const cases: Array<[string, string, boolean]> = [
      ['1234', '_XXXX', true],
      ['123', '_XXXX', false],
      ['0123', '_ZXXX', false],
      ['2123', '_NXXX', true],
      ['1123', '_NXXX', false],
      ['5551234', '_555XXXX', true],
      ['5', '_[1-5]', true],
      ['6', '_[1-5]', false],
      ['#', '[*#]', true],
      ['0039612345', '_00.', true],
      ['00', '_00.', false],
      ['00', '_00!', true],
      ['100', '100', true],
      ['100', '_1x0', true],
      ['+39612', '_+39X.', true],
      ['9123', '_9!', true],
      ['8123', '_9!', false],
      ['12a', '_XXX', false],
      ['', '_!', true],
      ['', '_X', false],
      ['123', '_X.X', true],
      ['12', '_X.X', false],
    ];
    for (const [value, pattern, want] of cases) {
      it(`${JSON.stringify(value)} ${want ? 'matches' : 'does not match'} ${pattern}`, () => {
        expect(ev('matches(v, p)', { v: value, p: pattern })).to.equal(want);
        expect(matchDialPattern(value, pattern)).to.equal(want);
      });
    }

    it('treats regular-expression syntax as literal characters', () => {
      expect(ev("matches('aaaa', '(a+)+$')")).to.equal(false);
      expect(ev("matches('(a+)+$', '(a+)+$')")).to.equal(true);
    });

    it('stays linear on the classic catastrophic-backtracking shape', () => {
      const value = `${'1'.repeat(5000)}!`;
      expect(matchDialPattern(value, '_X.X.X.X.X.X.X.X.X.X.X.X.X.X.X.X.2')).to.equal(false);
    });

    it('rejects malformed and oversized patterns', () => {
      expect(() => validateDialPattern('_[12')).to.throw(ExpressionError, /without "]"/);
      expect(() => validateDialPattern('_[]')).to.throw(ExpressionError, /empty/);
      expect(() => validateDialPattern(`_${'X'.repeat(300)}`)).to.throw(ExpressionError, /longer than/);
      expect(fails("matches('1', '_[1')").position).to.equal(13);
    });
  });

  it('checks arity at compile time', () => {
    expect(compileFails('upper()').code).to.equal('arity');
    expect(compileFails('trim(1, 2)').code).to.equal('arity');
    expect(compileFails('coalesce()').message).to.contain('at least 1');
  });
});
