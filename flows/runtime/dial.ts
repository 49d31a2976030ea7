import type { DialResult } from '../call-port.ts';

export const DIAL_EXITS: readonly string[] = ['answered', 'busy', 'noanswer', 'failed'];
/** Asterisk Dial() option letters with optional (args), e.g. `tTm(default)`. No `|`, `&` or `,`. */
export const DIAL_OPTIONS_PATTERN = /^[A-Za-z0-9()_]*$/;
/** E.164-ish: what may be dialled out after rendering; anything else is refused. */
export const PHONE_NUMBER = /^\+?[0-9*#]{1,32}$/;

export function dialExit(status: DialResult['status']): string {
  switch (status) {
    case 'answered':
    case 'busy':
    case 'noanswer':
      return status;
    default:
      return 'failed';
  }
}
