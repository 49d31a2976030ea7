import type { Reference } from './names.ts';
import type { Value } from './value.ts';

/** Syntax tree of an expression. `pos` is the character offset used in error messages. */
export type Node =
  | { readonly k: 'lit'; readonly pos: number; readonly value: Value }
  | { readonly k: 'ref'; readonly pos: number; readonly ref: Reference }
  | { readonly k: 'member'; readonly pos: number; readonly object: Node; readonly key: Node }
  | { readonly k: 'array'; readonly pos: number; readonly items: readonly Node[] }
  | { readonly k: 'unary'; readonly pos: number; readonly op: UnaryOp; readonly arg: Node }
  | { readonly k: 'binary'; readonly pos: number; readonly op: BinaryOp; readonly left: Node; readonly right: Node }
  | { readonly k: 'chain'; readonly pos: number; readonly first: Node; readonly rest: readonly ChainLink[] }
  | { readonly k: 'logic'; readonly pos: number; readonly op: '&&' | '||'; readonly operands: readonly Node[] }
  | { readonly k: 'cond'; readonly pos: number; readonly test: Node; readonly then: Node; readonly otherwise: Node }
  | { readonly k: 'call'; readonly pos: number; readonly name: string; readonly args: readonly Node[] };

export type UnaryOp = '!' | '-' | '+';
export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '**' | '==' | '!=' | '<' | '<=' | '>' | '>=';

/** One `op operand` of a left-associative run like `a + b - c` (kept flat: no deep trees). */
export interface ChainLink {
  readonly op: '+' | '-' | '*' | '/' | '%';
  readonly pos: number;
  readonly node: Node;
}
