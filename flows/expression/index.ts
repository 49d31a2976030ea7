/**
 * The safe expression language of Tandem flows: Set, Math, Condition and Switch blocks and
 * `{VAR}` templating in block parameters. Pure and deterministic: no eval / new Function / vm,
 * no globals, no clock; names are read only through the scope function handed to evaluate().
 * Language reference: ./LANGUAGE.md.
 */
export { ExpressionError, type ExpressionErrorCode } from './errors.ts';
export {
  DEFAULT_MAX_DEPTH, DEFAULT_MAX_LENGTH, DEFAULT_MAX_STEPS, type ExpressionLimits,
} from './limits.ts';
export type { Value } from './value.ts';
export { compileExpression, type CompiledExpression } from './compiler.ts';
export { compileTemplate, interpolate, templateVariables, type CompiledTemplate } from './template.ts';
export { FUNCTION_NAMES } from './functions.ts';
export { validateDialPattern, matchDialPattern } from './dial-pattern.ts';
export { isTruthy, valuesEqual, valueToText } from './values-api.ts';
