import { expect } from 'chai';
import { compileExpression, ExpressionError, type ExpressionLimits, type Value } from '../../flows/expression/index.ts';

/** A scope over a plain record, the way the interpreter hands call variables to expressions. */
export function scopeOf(vars: Record<string, Value> = {}): (name: string) => Value | undefined {
  return (name) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
}

export function ev(source: string, vars: Record<string, Value> = {}, limits?: ExpressionLimits): Value {
  return compileExpression(source, limits).evaluate(scopeOf(vars), limits);
}

/** Runs compile + evaluate and returns the ExpressionError it must throw. */
export function fails(source: string, vars: Record<string, Value> = {}, limits?: ExpressionLimits): ExpressionError {
  try {
    const result = compileExpression(source, limits).evaluate(scopeOf(vars), limits);
    expect.fail(`expected ${JSON.stringify(source.slice(0, 60))} to fail, got ${JSON.stringify(result)}`);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    return e;
  }
}

/** The error compileExpression alone throws (syntax, forbidden names, depth). */
export function compileFails(source: string, limits?: ExpressionLimits): ExpressionError {
  try {
    compileExpression(source, limits);
  } catch (e) {
    if (!(e instanceof ExpressionError)) throw e;
    return e;
  }
  return expect.fail(`expected ${JSON.stringify(source.slice(0, 60))} not to compile`);
}
