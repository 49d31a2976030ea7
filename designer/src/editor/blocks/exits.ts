// The exits a block shows as handles. The block definition decides (exitsFor); while params are
// still invalid (a Menu being typed), exits are derived leniently so handles and wires do not
// vanish mid-edit. Wired exits the definition does not know stay visible, flagged, so the wire
// has a handle and the problem can be seen and removed.
import { defaultRegistry, exitsFor, type Block } from '../../../../flows/index.ts';
import { asSchema, defaultObject } from './schema.ts';
import { describe } from './catalogue.ts';

export interface BlockExits {
  /** Exits of the block definition, in its order. */
  readonly defined: readonly string[];
  /** Wired in the document but not defined for these params. */
  readonly unknown: readonly string[];
}

const cache = new WeakMap<Block, BlockExits>();

export function blockExits(block: Block): BlockExits {
  const hit = cache.get(block);
  if (hit !== undefined) return hit;
  const defined = definedExits(block);
  const known = new Set(defined);
  const unknown = Object.keys(block.exits).filter((exit) => !known.has(exit));
  const result = { defined, unknown };
  cache.set(block, result);
  return result;
}

export function allExits(block: Block): string[] {
  const { defined, unknown } = blockExits(block);
  return [...defined, ...unknown];
}

function definedExits(block: Block): readonly string[] {
  const strict = exitsFor(block.type, block.params);
  if (strict !== null) return dedupe(strict);
  const definition = defaultRegistry.get(block.type);
  if (definition === undefined) return [];
  const description = describe(block.type);
  try {
    const loose = definition.exits({ ...defaultObject(asSchema(description?.paramsSchema)), ...block.params });
    if (Array.isArray(loose)) return dedupe(loose.filter((e): e is string => typeof e === 'string' && e !== ''));
  } catch {
    // params too broken even for a lenient reading
  }
  return description?.defaultExits ?? [];
}

function dedupe(exits: readonly string[]): string[] {
  return [...new Set(exits)];
}
