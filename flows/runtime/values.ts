import { isTruthy as languageTruthy, valueToText, type Value } from '../expression/index.ts';

/**
 * How a variable's value becomes text when it leaves the flow (a prompt name, a channel variable,
 * an SMS body): the expression language's own rule, so templates, Set and Say never disagree.
 */
export function toText(value: Value | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  return valueToText(value);
}

/** Truthiness for Condition: the language's (false, null, 0, '', '0', 'false', [] and {} are false). */
export function isTruthy(value: Value): boolean {
  return languageTruthy(value);
}

/** Shortens long values for traces and log lines. */
export function preview(value: Value | undefined, max = 200): string {
  const text = value === undefined ? 'undefined' : typeof value === 'string' ? JSON.stringify(value) : toText(value);
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
