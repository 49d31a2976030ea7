/**
 * What the validator (and the compiler, for params) reports. Every problem names the block and the
 * field it concerns, so the designer can put the message next to the right input.
 */
export type Severity = 'error' | 'warning';

export type ProblemCode =
  | 'invalid-project' // the document itself (schema, entry)
  | 'unknown-block-type'
  | 'invalid-params' // params fail the block's zod schema
  | 'invalid-template'
  | 'invalid-expression'
  | 'param-check' // a block's own cross-field check
  | 'no-start'
  | 'multiple-start'
  | 'entry-not-start'
  | 'multiple-finally'
  | 'dangling-exit' // an exit points to a block that does not exist
  | 'unknown-exit' // the project wires an exit the block does not have
  | 'unwired-exit'
  | 'unreachable'
  | 'menu-unhandled' // Menu-like block with neither a wired invalid/timeout exit nor retries
  | 'undefined-variable'
  | 'channel-not-allowed'
  | 'audio-in-finally'
  | 'busy-loop';

export interface Problem {
  readonly severity: Severity;
  readonly code: ProblemCode;
  /** null for project-level problems. */
  readonly blockId: string | null;
  /** Path inside the block (e.g. `params.choices.2`, `exits.timeout`), or null. */
  readonly field: string | null;
  readonly message: string;
}

export function formatProblem(problem: Problem): string {
  const where = [problem.blockId === null ? 'project' : `block ${problem.blockId}`, problem.field].filter((x) => x !== null).join(' ');
  return `${problem.severity.toUpperCase()} ${problem.code} (${where}): ${problem.message}`;
}
