import { DEFAULT_MAX_LENGTH } from './limits.ts';
import { valueRuntime, type Runtime } from './runtime.ts';
import { looseEquals, toText, truthy, type Value } from './value.ts';

/**
 * The language's own rules for blocks that consume values outside an expression, so a Condition,
 * Switch or Set block decides exactly as `==`, `?:` and templates do.
 */

function standaloneRuntime(): Runtime {
  return valueRuntime(() => undefined, DEFAULT_MAX_LENGTH);
}

/** false, null, 0, '', '0', 'false', [] and {} are false; everything else is true. */
export function isTruthy(value: Value): boolean {
  return truthy(value);
}

/** The `==` of the language (Switch blocks match cases with it). */
export function valuesEqual(a: Value, b: Value): boolean {
  return looseEquals(a, b, standaloneRuntime(), undefined);
}

/** Text form as templates render it (null → '', lists/objects → JSON). */
export function valueToText(value: Value): string {
  return toText(value, standaloneRuntime(), undefined);
}
