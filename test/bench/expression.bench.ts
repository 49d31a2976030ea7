/**
 * Expression language throughput: evaluations per second of typical Set/Condition/Switch
 * expressions compiled once, plus compile and template rendering rates.
 * Run alone: npx tsx test/bench/expression.bench.ts   (≈ 10 s)
 */
import { compileExpression, compileTemplate, interpolate, type Value } from '../../flows/expression/index.ts';

const vars = new Map<string, Value>([
  ['a', 3],
  ['b', '1'],
  ['digits', '1234'],
  ['count', '4'],
  ['retries', 2],
  ['name', 'Ada'],
  ['CALLERID(num)', '0612345678'],
  ['http', { status: 200, body: { customer: { tier: 'gold', open: [1, 2, 3] } } }],
]);
const scope = (name: string): Value | undefined => vars.get(name);

/** Runs `fn` repeatedly for about `ms` milliseconds after a warm-up; returns operations per second. */
function rate(fn: () => unknown, ms = 700): number {
  const warmUntil = performance.now() + 150;
  while (performance.now() < warmUntil) for (let i = 0; i < 1000; i++) fn();
  let ops = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 10_000; i++) fn();
    ops += 10_000;
    now = performance.now();
  }
  return ops / ((now - start) / 1000);
}

function line(label: string, perSecond: number): void {
  const ns = 1e9 / perSecond;
  console.log(`expression ${label.padEnd(58)} ${(perSecond / 1e6).toFixed(2).padStart(7)} M/s  ${ns.toFixed(0).padStart(6)} ns/op`);
}

const expressions: Array<[string, string]> = [
  ['condition', "a + 1 > 3 && b == '1'"],
  ['set constant', "'welcome'"],
  ['math counter', 'count + 1'],
  ['menu choice', "digits == '1234' || digits == 1"],
  ['path read', "http.status == 200 && http.body.customer.tier == 'gold'"],
  ['asterisk function variable', "{CALLERID(num)} != '' && startsWith({CALLERID(num)}, '06')"],
  ['ternary + functions', "retries >= 3 ? 'agent' : upper(substr(name, 0, 2))"],
  ['dial pattern', "matches({CALLERID(num)}, '_06XXXXXXXX')"],
  ['list function', 'len(http.body.customer.open) > 2'],
];

for (const [label, src] of expressions) {
  const c = compileExpression(src);
  c.evaluate(scope); // fail fast on a typo before measuring
  line(`evaluate ${label}: ${src}`.slice(0, 58), rate(() => c.evaluate(scope)));
}

const conditionSource = "a + 1 > 3 && b == '1'";
line('compile condition', rate(() => compileExpression(conditionSource), 500));

const greeting = 'Hello {name}, you called from {CALLERID(num)} (tier {http.body.customer.tier})';
const template = compileTemplate(greeting);
line('render compiled template (3 references)', rate(() => template.render(scope)));
line('interpolate cached template (3 references)', rate(() => interpolate(greeting, scope)));
