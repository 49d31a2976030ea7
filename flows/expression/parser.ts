import type { BinaryOp, ChainLink, Node } from './ast.ts';
import { ExpressionError } from './errors.ts';
import { lookupFunction } from './functions.ts';
import { tokenize, type Token } from './lexer.ts';
import { isForbiddenMember, isForbiddenRoot, type PathSegment, type Reference } from './names.ts';

const KEYWORDS = new Set(['true', 'false', 'null', 'and', 'or', 'not']);

/**
 * Recursive descent over the token list. Precedence, loosest first:
 *   ?:   ||/or   &&/and   not   == !=   < <= > >=   + -   * / %   unary ! - +   **   . [] ()
 * `not` sits below the comparisons as in Python (`not a == b` is `not (a == b)`); `!` binds
 * tightly as in JavaScript. `**` is right-associative and binds tighter than unary minus on its
 * left (`-2 ** 2` is -4). Comparisons do not chain (`a < b < c` is rejected, not misread).
 *
 * Every recursive entry counts against maxDepth, so 10,000 nested parentheses end in an
 * ExpressionError long before the JavaScript stack is in danger.
 */
export function parse(source: string, maxDepth: number): Node {
  return new Parser(tokenize(source), maxDepth).parseAll();
}

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly tokens: readonly Token[],
    private readonly maxDepth: number,
  ) {}

  parseAll(): Node {
    if (this.peek().type === 'eof') throw new ExpressionError('empty expression', 0);
    const node = this.ternary();
    const t = this.peek();
    if (t.type !== 'eof') throw this.unexpected(t);
    return node;
  }

  // --- token helpers -------------------------------------------------------------------------

  private peek(): Token {
    // The token list always ends with 'eof' and we never advance past it.
    return this.tokens[this.i] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.type !== 'eof') this.i++;
    return t;
  }

  private isPunct(text: string): boolean {
    const t = this.peek();
    return t.type === 'punct' && t.text === text;
  }

  private isKeyword(word: string): boolean {
    const t = this.peek();
    return t.type === 'name' && t.text === word;
  }

  private expect(text: string, what: string): Token {
    const t = this.peek();
    if (t.type === 'punct' && t.text === text) return this.next();
    throw new ExpressionError(`expected ${what}${t.type === 'eof' ? ' before the end' : `, found ${show(t)}`}`, t.pos);
  }

  private unexpected(t: Token): ExpressionError {
    return new ExpressionError(t.type === 'eof' ? 'unexpected end of expression' : `unexpected ${show(t)}`, t.pos);
  }

  private enter(pos: number): void {
    if (++this.depth > this.maxDepth) {
      throw new ExpressionError(`expression nests deeper than ${this.maxDepth} levels`, pos, 'depth');
    }
  }

  private leave(): void {
    this.depth--;
  }

  // --- grammar -------------------------------------------------------------------------------

  private ternary(): Node {
    this.enter(this.peek().pos);
    const test = this.or();
    let node = test;
    if (this.isPunct('?')) {
      const q = this.next();
      const then = this.ternary();
      this.expect(':', '":" of the ?: conditional');
      const otherwise = this.ternary();
      node = { k: 'cond', pos: q.pos, test, then, otherwise };
    }
    this.leave();
    return node;
  }

  private or(): Node {
    const first = this.and();
    if (!this.isPunct('||') && !this.isKeyword('or')) return first;
    const pos = this.peek().pos;
    const operands = [first];
    while (this.isPunct('||') || this.isKeyword('or')) {
      this.next();
      operands.push(this.and());
    }
    return { k: 'logic', pos, op: '||', operands };
  }

  private and(): Node {
    const first = this.not();
    if (!this.isPunct('&&') && !this.isKeyword('and')) return first;
    const pos = this.peek().pos;
    const operands = [first];
    while (this.isPunct('&&') || this.isKeyword('and')) {
      this.next();
      operands.push(this.not());
    }
    return { k: 'logic', pos, op: '&&', operands };
  }

  private not(): Node {
    if (!this.isKeyword('not')) return this.equality();
    const t = this.next();
    this.enter(t.pos);
    const arg = this.not();
    this.leave();
    return { k: 'unary', pos: t.pos, op: '!', arg };
  }

  private equality(): Node {
    const left = this.relational();
    if (!this.isPunct('==') && !this.isPunct('!=')) return left;
    const t = this.next();
    const right = this.relational();
    if (this.isPunct('==') || this.isPunct('!=')) {
      throw new ExpressionError('comparisons do not chain; combine them with && (and)', this.peek().pos);
    }
    return { k: 'binary', pos: t.pos, op: t.text as BinaryOp, left, right };
  }

  private relational(): Node {
    const left = this.additive();
    if (!this.isRelational()) return left;
    const t = this.next();
    const right = this.additive();
    if (this.isRelational()) {
      throw new ExpressionError('comparisons do not chain; write a < b && b < c', this.peek().pos);
    }
    return { k: 'binary', pos: t.pos, op: t.text as BinaryOp, left, right };
  }

  private isRelational(): boolean {
    return this.isPunct('<') || this.isPunct('<=') || this.isPunct('>') || this.isPunct('>=');
  }

  // Runs of same-precedence left-associative operators. Two operands make a plain binary node
  // (the fast, common case); longer runs stay flat ('chain') so `1+1+…+1` cannot build a tree
  // deep enough to exhaust the stack when compiled or evaluated. The loops are written out (no
  // shared helper taking a callback) to keep parser stack frames per nesting level few.

  private additive(): Node {
    const first = this.multiplicative();
    let rest: ChainLink[] | undefined;
    for (;;) {
      const t = this.peek();
      if (t.type !== 'punct' || (t.text !== '+' && t.text !== '-')) break;
      this.next();
      (rest ??= []).push({ op: t.text, pos: t.pos, node: this.multiplicative() });
    }
    return chainNode(first, rest);
  }

  private multiplicative(): Node {
    const first = this.unary();
    let rest: ChainLink[] | undefined;
    for (;;) {
      const t = this.peek();
      if (t.type !== 'punct' || (t.text !== '*' && t.text !== '/' && t.text !== '%')) break;
      this.next();
      (rest ??= []).push({ op: t.text, pos: t.pos, node: this.unary() });
    }
    return chainNode(first, rest);
  }

  private unary(): Node {
    const t = this.peek();
    const isNot = t.type === 'name' && t.text === 'not';
    if ((t.type === 'punct' && (t.text === '!' || t.text === '-' || t.text === '+')) || isNot) {
      this.next();
      this.enter(t.pos);
      const arg = this.unary();
      this.leave();
      return { k: 'unary', pos: t.pos, op: isNot ? '!' : (t.text as '!' | '-' | '+'), arg };
    }
    return this.power();
  }

  private power(): Node {
    const base = this.postfix();
    if (!this.isPunct('**')) return base;
    const t = this.next();
    this.enter(t.pos);
    const exponent = this.unary(); // right-associative: 2 ** 3 ** 2 == 2 ** 9
    this.leave();
    return { k: 'binary', pos: t.pos, op: '**', left: base, right: exponent };
  }

  private postfix(): Node {
    let node = this.primary();
    // Each member access nests the value one level deeper; it counts like a parenthesis.
    let entered = 0;
    for (;;) {
      if (this.isPunct('.') || this.isPunct('[')) {
        this.enter(this.peek().pos);
        entered++;
      }
      if (this.isPunct('.')) {
        const dot = this.next();
        const name = this.next();
        if (name.type !== 'name') throw new ExpressionError('a member name follows "."', name.pos);
        node = this.withMember(node, name.text, dot.pos);
      } else if (this.isPunct('[')) {
        const open = this.next();
        let key = this.ternary();
        this.expect(']', '"]"');
        // rows[-1]: fold the negation so the index stays part of a static path.
        if (key.k === 'unary' && key.op === '-' && key.arg.k === 'lit' && typeof key.arg.value === 'number') {
          key = { k: 'lit', pos: key.pos, value: -key.arg.value };
        }
        if (key.k === 'lit' && (typeof key.value === 'string' || typeof key.value === 'number')) {
          node = this.withMember(node, key.value, open.pos);
        } else {
          node = { k: 'member', pos: open.pos, object: node, key };
        }
      } else if (this.isPunct('(')) {
        throw new ExpressionError('only the built-in functions can be called, by name', this.peek().pos);
      } else {
        this.depth -= entered;
        return node;
      }
    }
  }

  /** Static member: extends a reference's path (so the flat-name fallback works) or wraps. */
  private withMember(node: Node, key: PathSegment, pos: number): Node {
    if (typeof key === 'string' && isForbiddenMember(key)) {
      throw new ExpressionError(`member ${JSON.stringify(key)} is not accessible`, pos, 'forbidden');
    }
    if (node.k === 'ref' && !node.ref.root.includes('(')) {
      const ref = node.ref;
      const dotted = typeof key === 'string' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && (ref.path.length === 0 || ref.flat !== undefined);
      const text = typeof key === 'number' ? `${ref.text}[${key}]` : dotted ? `${ref.text}.${key}` : `${ref.text}[${JSON.stringify(key)}]`;
      const next: Reference = { root: ref.root, path: [...ref.path, key], flat: dotted ? text : undefined, text };
      return { k: 'ref', pos: node.pos, ref: next };
    }
    return { k: 'member', pos, object: node, key: { k: 'lit', pos, value: key } };
  }

  private primary(): Node {
    const t = this.next();
    switch (t.type) {
      case 'number':
        return { k: 'lit', pos: t.pos, value: t.number };
      case 'string':
        return { k: 'lit', pos: t.pos, value: t.text };
      case 'ref':
        return { k: 'ref', pos: t.pos, ref: t.ref as Reference };
      case 'name':
        return this.name(t);
      case 'punct':
        if (t.text === '(') {
          const inner = this.ternary();
          this.expect(')', '")"');
          return inner;
        }
        if (t.text === '[') return this.arrayLiteral(t);
        throw this.unexpected(t);
      default:
        throw this.unexpected(t);
    }
  }

  private name(t: Token): Node {
    const word = t.text;
    if (word === 'true') return { k: 'lit', pos: t.pos, value: true };
    if (word === 'false') return { k: 'lit', pos: t.pos, value: false };
    if (word === 'null') return { k: 'lit', pos: t.pos, value: null };
    if (KEYWORDS.has(word)) throw this.unexpected(t);
    if (isForbiddenRoot(word)) throw new ExpressionError(`${JSON.stringify(word)} is not accessible`, t.pos, 'forbidden');
    if (this.isPunct('(')) return this.call(t);
    return { k: 'ref', pos: t.pos, ref: { root: word, path: [], flat: undefined, text: word } };
  }

  private call(t: Token): Node {
    const fn = lookupFunction(t.text);
    if (fn === undefined) {
      const hint = /^[A-Z][A-Z0-9_]*$/.test(t.text)
        ? `; to read the Asterisk function variable write {${t.text}(…)}`
        : '';
      throw new ExpressionError(`unknown function ${t.text}${hint}`, t.pos, 'unknown-function');
    }
    const open = this.next();
    this.enter(open.pos);
    const args: Node[] = [];
    if (!this.isPunct(')')) {
      for (;;) {
        args.push(this.ternary());
        if (!this.isPunct(',')) break;
        this.next();
      }
    }
    this.expect(')', `")" closing ${t.text}(`);
    this.leave();
    if (args.length < fn.min || args.length > fn.max) {
      const want = fn.min === fn.max ? `${fn.min}` : fn.max === Infinity ? `at least ${fn.min}` : `${fn.min} to ${fn.max}`;
      throw new ExpressionError(`${t.text}() takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`, t.pos, 'arity');
    }
    return { k: 'call', pos: t.pos, name: t.text, args };
  }

  private arrayLiteral(open: Token): Node {
    this.enter(open.pos);
    const items: Node[] = [];
    while (!this.isPunct(']')) {
      items.push(this.ternary());
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.expect(']', '"]" closing the list');
    this.leave();
    return { k: 'array', pos: open.pos, items };
  }
}

function chainNode(first: Node, rest: ChainLink[] | undefined): Node {
  if (rest === undefined) return first;
  const only = rest[0];
  if (rest.length === 1 && only !== undefined) return { k: 'binary', pos: only.pos, op: only.op, left: first, right: only.node };
  return { k: 'chain', pos: first.pos, first, rest };
}

function show(t: Token): string {
  switch (t.type) {
    case 'string':
      return 'text literal';
    case 'number':
      return `number ${t.text}`;
    case 'ref':
      return `{${t.text}}`;
    default:
      return `"${t.text}"`;
  }
}
