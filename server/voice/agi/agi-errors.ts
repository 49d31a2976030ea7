// The typed errors of the AGI layer. Every failure the codec or a session can produce is one of
// these, so callers branch on the class (or `code`) and never on message text.
//
//   AgiError
//   ├─ AgiEncodeError        a command was refused before anything was written (bad argument, too long)
//   ├─ AgiCommandError       Asterisk rejected the command (510 unknown, 520 usage); the call goes on
//   ├─ AgiEnvironmentError   the connection did not start with a valid agi_* environment
//   └─ AgiCallEndedError     the call is over for this session, or its channel is dead
//      ├─ AgiHangupError           the caller hung up (HANGUP line, 511, result=-1 where that means hangup)
//      ├─ AgiConnectionClosedError the socket closed (Asterisk, us, or the network)
//      ├─ AgiTimeoutError          Asterisk went silent mid-command; the session was closed
//      └─ AgiProtocolError         garbage, an unknown result code, an over-long line; the session was closed
//
// A CallPort adapter only needs one rule: `instanceof AgiCallEndedError` means "treat as hang-up".

export type AgiErrorCode =
  | 'AGI_BAD_ARGUMENT'
  | 'AGI_LINE_TOO_LONG'
  | 'AGI_COMMAND_REJECTED'
  | 'AGI_BAD_ENVIRONMENT'
  | 'AGI_HANGUP'
  | 'AGI_CLOSED'
  | 'AGI_TIMEOUT'
  | 'AGI_PROTOCOL';

export abstract class AgiError extends Error {
  abstract readonly code: AgiErrorCode;
}

/** A command was refused locally: nothing was written to the socket and the session is unharmed. */
export class AgiEncodeError extends AgiError {
  readonly code: 'AGI_BAD_ARGUMENT' | 'AGI_LINE_TOO_LONG';
  constructor(message: string, code: 'AGI_BAD_ARGUMENT' | 'AGI_LINE_TOO_LONG' = 'AGI_BAD_ARGUMENT') {
    super(message);
    this.name = 'AgiEncodeError';
    this.code = code;
  }
}

/** Asterisk answered 510 (unknown command) or 520 (wrong usage). The session stays usable. */
export class AgiCommandError extends AgiError {
  readonly code = 'AGI_COMMAND_REJECTED' as const;
  constructor(
    message: string,
    readonly status: 510 | 520,
    readonly command: string,
    readonly usage: string | undefined,
  ) {
    super(message);
    this.name = 'AgiCommandError';
  }
}

/** The connection did not begin with a well-formed agi_* block; it is closed before any handler runs. */
export class AgiEnvironmentError extends AgiError {
  readonly code = 'AGI_BAD_ENVIRONMENT' as const;
  constructor(message: string) {
    super(message);
    this.name = 'AgiEnvironmentError';
  }
}

export type AgiEndReason = 'hangup' | 'closed' | 'timeout' | 'protocol';

export abstract class AgiCallEndedError extends AgiError {
  abstract readonly reason: AgiEndReason;
}

export class AgiHangupError extends AgiCallEndedError {
  readonly code = 'AGI_HANGUP' as const;
  readonly reason = 'hangup' as const;
  constructor(message = 'the channel has hung up') {
    super(message);
    this.name = 'AgiHangupError';
  }
}

export class AgiConnectionClosedError extends AgiCallEndedError {
  readonly code = 'AGI_CLOSED' as const;
  readonly reason = 'closed' as const;
  constructor(message = 'the AGI connection is closed') {
    super(message);
    this.name = 'AgiConnectionClosedError';
  }
}

export class AgiTimeoutError extends AgiCallEndedError {
  readonly code = 'AGI_TIMEOUT' as const;
  readonly reason = 'timeout' as const;
  constructor(message: string) {
    super(message);
    this.name = 'AgiTimeoutError';
  }
}

export type AgiProtocolProblem = 'garbage' | 'unknown-code' | 'line-too-long' | 'bad-result' | 'unsolicited' | 'oversized-reply';

export class AgiProtocolError extends AgiCallEndedError {
  readonly code = 'AGI_PROTOCOL' as const;
  readonly reason = 'protocol' as const;
  constructor(
    message: string,
    readonly problem: AgiProtocolProblem,
  ) {
    super(message);
    this.name = 'AgiProtocolError';
  }
}

/** Short, printable excerpt of untrusted input for error messages and logs (never the whole 1 MB line). */
export function preview(text: string, max = 80): string {
  const cut = text.length > max ? `${text.slice(0, max)}…(${text.length} chars)` : text;
  return JSON.stringify(cut);
}

/**
 * Builds an error without capturing a stack trace. Used for call-lifecycle events (hang-up, close)
 * that happen on every call: their stack would only show socket callbacks, and capturing it costs
 * more than the rest of the hang-up handling.
 */
export function lifecycleError<T extends Error>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
