/**
 * The single error type of the expression language. Every failure (syntax, forbidden name, type
 * mismatch, budget exhausted) is an ExpressionError, so callers catch one thing and can trace the
 * reason; nothing else may escape compileExpression / evaluate / interpolate.
 */
export type ExpressionErrorCode =
  | 'syntax' // the text does not parse
  | 'forbidden' // __proto__, constructor, process, … (never reaches the scope)
  | 'unknown-function' // a call to a function outside the whitelist
  | 'arity' // wrong number of arguments
  | 'type' // operands or arguments of the wrong kind
  | 'division-by-zero'
  | 'not-finite' // a numeric result overflowed or was NaN
  | 'steps' // the step budget ran out
  | 'length' // a produced string (or the source) is longer than allowed
  | 'depth'; // the expression or a value nests too deeply

export class ExpressionError extends Error {
  /** Zero-based character offset in the expression or template source, when known. */
  readonly position: number | undefined;
  readonly code: ExpressionErrorCode;

  constructor(message: string, position?: number, code: ExpressionErrorCode = 'syntax') {
    super(position === undefined ? message : `${message} (at position ${position})`);
    this.name = 'ExpressionError';
    this.position = position;
    this.code = code;
  }
}
