import type { BinaryOp, Node } from './ast.ts';
import { ExpressionError } from './errors.ts';
import { lookupFunction } from './functions.ts';
import { resolveLimits, type ExpressionLimits, type ResolvedLimits } from './limits.ts';
import { readComputed, readMember, resolveReference } from './members.ts';
import { parse } from './parser.ts';
import { stepsExhausted, tooLong, valueRuntime, type Runtime } from './runtime.ts';
import {
  compareValues, describe, finite, looseEquals, numericText, sanitize, toNumber, toPlain, toText, truthy,
  type RtValue, type Value,
} from './value.ts';

/**
 * Closure compilation: every syntax node becomes one small JavaScript closure taking the
 * per-call Runtime. Nothing is interpreted from the tree at evaluation time and no code is ever
 * generated from text (no eval, no new Function, no vm). Each closure first charges one step, so
 * the step budget counts node evaluations exactly.
 */
type Fn = (rt: Runtime) => RtValue;

export interface CompiledExpression {
  readonly source: string;
  /** Root names read from the scope (`http` for `http.body.status`, `CALLERID(num)` as written). */
  readonly variables: ReadonlySet<string>;
  /** Every reference as written (`http.body.status`), for validators wanting more than roots. */
  readonly paths: ReadonlySet<string>;
  evaluate(scope: (name: string) => Value | undefined, limits?: ExpressionLimits): Value;
}

/**
 * A hard ceiling on configured maxDepth. Each nesting level costs about 15 parser frames, and
 * unoptimised (cold) frames are large: beyond a few hundred levels even a bounded parse could
 * reach the end of the stack. (guardStack still turns a stack overflow into an ExpressionError.)
 */
export const MAX_DEPTH_CEILING = 256;

export function compileExpression(source: string, limits?: ExpressionLimits): CompiledExpression {
  if (typeof source !== 'string') throw new ExpressionError('an expression must be text', undefined, 'type');
  const resolved = resolveLimits(limits);
  const lim: ResolvedLimits = { ...resolved, maxDepth: Math.min(resolved.maxDepth, MAX_DEPTH_CEILING) };
  if (source.length > lim.maxLength) {
    throw new ExpressionError(`expression of ${source.length} characters exceeds the limit of ${lim.maxLength}`, lim.maxLength, 'length');
  }
  const { node, fn } = guardStack(() => {
    const node = parse(source, lim.maxDepth);
    return { node, fn: compileNode(node, lim).fn };
  });
  const variables = new Set<string>();
  const paths = new Set<string>();
  collectReferences(node, variables, paths);
  return new Expression(source, variables, paths, fn, lim);
}

class Expression implements CompiledExpression {
  constructor(
    readonly source: string,
    readonly variables: ReadonlySet<string>,
    readonly paths: ReadonlySet<string>,
    private readonly fn: Fn,
    private readonly limits: ResolvedLimits,
  ) {}

  evaluate(scope: (name: string) => Value | undefined, limits?: ExpressionLimits): Value {
    const lim = limits === undefined ? this.limits : resolveLimits(limits, this.limits);
    const rt: Runtime = { scope, steps: 0, maxSteps: lim.maxSteps, maxLength: lim.maxLength };
    const fn = this.fn;
    const v = guardStack(() => fn(rt));
    // Lists and objects may be the scope's own data: hand back a fresh plain copy, never a
    // reference the caller could mutate into someone else's variables.
    return typeof v === 'object' && v !== null ? toPlain(v, valueRuntime(scope, lim.maxLength), 0) : v;
  }

  toString(): string {
    return this.source;
  }
}

function guardStack<T>(work: () => T): T {
  try {
    return work();
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      throw new ExpressionError('expression nests too deeply to evaluate', undefined, 'depth');
    }
    throw e;
  }
}

function collectReferences(node: Node, variables: Set<string>, paths: Set<string>): void {
  switch (node.k) {
    case 'lit':
      return;
    case 'ref':
      variables.add(node.ref.root);
      paths.add(node.ref.text);
      return;
    case 'member':
      collectReferences(node.object, variables, paths);
      collectReferences(node.key, variables, paths);
      return;
    case 'array':
      for (const item of node.items) collectReferences(item, variables, paths);
      return;
    case 'unary':
      collectReferences(node.arg, variables, paths);
      return;
    case 'binary':
      collectReferences(node.left, variables, paths);
      collectReferences(node.right, variables, paths);
      return;
    case 'chain':
      collectReferences(node.first, variables, paths);
      for (const link of node.rest) collectReferences(link.node, variables, paths);
      return;
    case 'logic':
      for (const operand of node.operands) collectReferences(operand, variables, paths);
      return;
    case 'cond':
      collectReferences(node.test, variables, paths);
      collectReferences(node.then, variables, paths);
      collectReferences(node.otherwise, variables, paths);
      return;
    case 'call':
      for (const a of node.args) collectReferences(a, variables, paths);
      return;
  }
}

// --- operators ---------------------------------------------------------------------------------

/**
 * `+` adds numbers, and a number to numeric text (`{count} + 1` where count is Asterisk text
 * "4" gives 5). Two texts concatenate even when both look numeric — "0" + "39…" must stay a
 * phone number; use number() to add two texts. Text with anything printable concatenates (null
 * is empty). Two lists concatenate.
 */
export function add(a: RtValue, b: RtValue, rt: Runtime, pos: number): RtValue {
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'number') {
    if (tb === 'number') return finite((a as number) + (b as number), pos);
    if (tb === 'string') {
      const n = numericText(b as string);
      if (n !== undefined) return finite((a as number) + n, pos);
    }
  } else if (tb === 'number' && ta === 'string') {
    const n = numericText(a as string);
    if (n !== undefined) return finite(n + (b as number), pos);
  }
  if (ta === 'string' || tb === 'string') {
    const sa = toText(a, rt, pos);
    const sb = toText(b, rt, pos);
    if (sa.length + sb.length > rt.maxLength) tooLong(rt, sa.length + sb.length, pos);
    return sa + sb;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    const x = a as readonly unknown[];
    const y = b as readonly unknown[];
    rt.steps += x.length + y.length;
    if (rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
    return [...x, ...y];
  }
  throw new ExpressionError(`cannot add ${describe(a)} and ${describe(b)}`, pos, 'type');
}

export function arithmetic(op: Exclude<BinaryOp, '==' | '!=' | '<' | '<=' | '>' | '>='>, a: RtValue, b: RtValue, rt: Runtime, pos: number): RtValue {
  if (op === '+') return add(a, b, rt, pos);
  const x = typeof a === 'number' ? a : toNumber(a, pos);
  const y = typeof b === 'number' ? b : toNumber(b, pos);
  switch (op) {
    case '-':
      return finite(x - y, pos);
    case '*':
      return finite(x * y, pos);
    case '/':
      if (y === 0) throw new ExpressionError('division by zero', pos, 'division-by-zero');
      return finite(x / y, pos);
    case '%':
      if (y === 0) throw new ExpressionError('remainder of division by zero', pos, 'division-by-zero');
      return finite(x % y, pos);
    case '**':
      if (Math.abs(y) > 1024) throw new ExpressionError(`exponent ${y} is out of range (at most 1024)`, pos, 'not-finite');
      return finite(x ** y, pos);
  }
}

function noNegativeZero(n: number): number {
  return n === 0 ? 0 : n;
}

// --- compilation ---------------------------------------------------------------------------------

interface Compiled {
  readonly fn: Fn;
  /** Set when the node's value is known at compile time. */
  readonly constant: boolean;
}

function literal(value: RtValue, pos: number): Compiled {
  return {
    constant: true,
    fn: (rt) => {
      if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
      return value;
    },
  };
}

/**
 * Folds a node whose inputs are all constants. A fold that fails (`1/0`) is left for run time,
 * where it fails only if that branch is actually taken.
 */
function fold(fn: Fn, pos: number, lim: ResolvedLimits): Compiled {
  const rt: Runtime = { scope: () => undefined, steps: 0, maxSteps: lim.maxSteps, maxLength: lim.maxLength };
  try {
    return literal(fn(rt), pos);
  } catch (e) {
    if (e instanceof ExpressionError) return { fn, constant: false };
    throw e;
  }
}

function compileNode(node: Node, lim: ResolvedLimits): Compiled {
  const pos = node.pos;
  switch (node.k) {
    case 'lit':
      return literal(node.value, pos);

    case 'ref': {
      const ref = node.ref;
      if (ref.path.length === 0) {
        const name = ref.root;
        return {
          constant: false,
          fn: (rt) => {
            if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
            const scope = rt.scope;
            const v = scope(name);
            if (typeof v === 'string') return v;
            const s = sanitize(v);
            return s === undefined ? null : s;
          },
        };
      }
      return {
        constant: false,
        fn: (rt) => {
          if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
          const v = resolveReference(ref, rt.scope);
          return v === undefined ? null : v;
        },
      };
    }

    case 'member': {
      const object = compileNode(node.object, lim);
      const key = compileNode(node.key, lim);
      const o = object.fn;
      let fn: Fn;
      if (node.key.k === 'lit' && (typeof node.key.value === 'string' || typeof node.key.value === 'number')) {
        const k = node.key.value;
        fn = (rt) => {
          if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
          return readMember(o(rt), k, pos);
        };
      } else {
        const kf = key.fn;
        fn = (rt) => {
          if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
          return readComputed(o(rt), kf(rt), pos);
        };
      }
      return object.constant && key.constant ? fold(fn, pos, lim) : { fn, constant: false };
    }

    case 'array': {
      const items = node.items.map((item) => compileNode(item, lim));
      const fns = items.map((c) => c.fn);
      const fn: Fn = (rt) => {
        if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
        const out = new Array<RtValue>(fns.length);
        for (let i = 0; i < fns.length; i++) out[i] = (fns[i] as Fn)(rt);
        return out;
      };
      return items.every((c) => c.constant) ? fold(fn, pos, lim) : { fn, constant: false };
    }

    case 'unary': {
      const arg = compileNode(node.arg, lim);
      const a = arg.fn;
      let fn: Fn;
      switch (node.op) {
        case '!':
          fn = (rt) => {
            if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
            return !truthy(a(rt));
          };
          break;
        case '-':
          fn = (rt) => {
            if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
            const v = a(rt);
            return noNegativeZero(-(typeof v === 'number' ? v : toNumber(v, pos)));
          };
          break;
        case '+':
          fn = (rt) => {
            if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
            const v = a(rt);
            return typeof v === 'number' ? v : toNumber(v, pos);
          };
          break;
      }
      return arg.constant ? fold(fn, pos, lim) : { fn, constant: false };
    }

    case 'binary': {
      const left = compileNode(node.left, lim);
      const right = compileNode(node.right, lim);
      const fn = binary(node.op, left.fn, right.fn, pos);
      return left.constant && right.constant ? fold(fn, pos, lim) : { fn, constant: false };
    }

    case 'chain': {
      const first = compileNode(node.first, lim);
      const rest = node.rest.map((link) => ({ op: link.op, pos: link.pos, c: compileNode(link.node, lim) }));
      const f0 = first.fn;
      const links = rest.map((l) => ({ op: l.op, pos: l.pos, fn: l.c.fn }));
      const fn: Fn = (rt) => {
        if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
        let acc = f0(rt);
        for (const link of links) acc = arithmetic(link.op, acc, link.fn(rt), rt, link.pos);
        return acc;
      };
      return first.constant && rest.every((l) => l.c.constant) ? fold(fn, pos, lim) : { fn, constant: false };
    }

    case 'logic': {
      const operands = node.operands.map((o) => compileNode(o, lim));
      const fns = operands.map((c) => c.fn);
      const isAnd = node.op === '&&';
      let fn: Fn;
      const [x, y] = fns;
      if (fns.length === 2 && x !== undefined && y !== undefined) {
        fn = isAnd
          ? (rt) => {
              if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
              return truthy(x(rt)) && truthy(y(rt));
            }
          : (rt) => {
              if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
              return truthy(x(rt)) || truthy(y(rt));
            };
      } else {
        fn = (rt) => {
          if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
          for (const f of fns) if (truthy(f(rt)) !== isAnd) return !isAnd;
          return isAnd;
        };
      }
      return operands.every((c) => c.constant) ? fold(fn, pos, lim) : { fn, constant: false };
    }

    case 'cond': {
      const test = compileNode(node.test, lim);
      const then = compileNode(node.then, lim);
      const otherwise = compileNode(node.otherwise, lim);
      const t = test.fn;
      const a = then.fn;
      const b = otherwise.fn;
      const fn: Fn = (rt) => {
        if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
        return truthy(t(rt)) ? a(rt) : b(rt);
      };
      return test.constant && then.constant && otherwise.constant ? fold(fn, pos, lim) : { fn, constant: false };
    }

    case 'call': {
      const builtin = lookupFunction(node.name);
      if (builtin === undefined) throw new ExpressionError(`unknown function ${node.name}`, pos, 'unknown-function');
      const args = node.args.map((a) => compileNode(a, lim));
      const fns = args.map((c) => c.fn);
      const at = node.args.map((a) => a.pos);
      const impl = builtin.fn;
      const fn: Fn = (rt) => {
        if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
        const values = new Array<RtValue>(fns.length);
        for (let i = 0; i < fns.length; i++) values[i] = (fns[i] as Fn)(rt);
        return impl(values, rt, pos, at);
      };
      return args.every((c) => c.constant) ? fold(fn, pos, lim) : { fn, constant: false };
    }
  }
}

function binary(op: BinaryOp, l: Fn, r: Fn, pos: number): Fn {
  switch (op) {
    case '==':
      return (rt) => {
        if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
        return looseEquals(l(rt), r(rt), rt, pos);
      };
    case '!=':
      return (rt) => {
        if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
        return !looseEquals(l(rt), r(rt), rt, pos);
      };
    case '<':
      return (rt) => {
        if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
        const a = l(rt);
        const b = r(rt);
        return typeof a === 'number' && typeof b === 'number' ? a < b : compareValues(a, b, pos) < 0;
      };
    case '<=':
      return (rt) => {
        if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
        const a = l(rt);
        const b = r(rt);
        return typeof a === 'number' && typeof b === 'number' ? a <= b : compareValues(a, b, pos) <= 0;
      };
    case '>':
      return (rt) => {
        if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
        const a = l(rt);
        const b = r(rt);
        return typeof a === 'number' && typeof b === 'number' ? a > b : compareValues(a, b, pos) > 0;
      };
    case '>=':
      return (rt) => {
        if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
        const a = l(rt);
        const b = r(rt);
        return typeof a === 'number' && typeof b === 'number' ? a >= b : compareValues(a, b, pos) >= 0;
      };
    case '+':
      return (rt) => {
        if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
        const a = l(rt);
        const b = r(rt);
        return typeof a === 'number' && typeof b === 'number' ? finite(a + b, pos) : add(a, b, rt, pos);
      };
    default:
      return (rt) => {
        if (++rt.steps > rt.maxSteps) stepsExhausted(rt, pos);
        return arithmetic(op, l(rt), r(rt), rt, pos);
      };
  }
}
