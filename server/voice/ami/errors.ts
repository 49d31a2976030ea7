/**
 * Typed AMI failures. Callers branch on the class (or `code`), never on Asterisk's message text;
 * the mapping from Asterisk's text lives in one place: `errorFromResponse`.
 */
import type { AmiMessage } from './message.ts';
import { header } from './message.ts';

export type AmiErrorCode =
  | 'AMI_CONNECT'
  | 'AMI_PROTOCOL'
  | 'AMI_AUTH'
  | 'AMI_PERMISSION'
  | 'AMI_ACTION'
  | 'AMI_NO_SUCH_CHANNEL'
  | 'AMI_TIMEOUT'
  | 'AMI_NOT_CONNECTED'
  | 'AMI_DISCONNECTED'
  | 'AMI_BAD_HEADER';

export class AmiError extends Error {
  readonly code: AmiErrorCode;
  constructor(code: AmiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** TCP connect failed or the socket broke before login (refused, unreachable, reset). */
export class AmiConnectError extends AmiError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('AMI_CONNECT', message, options);
  }
}

/** Bytes that are not AMI: no banner, oversized message, garbage. The connection is dropped. */
export class AmiProtocolError extends AmiError {
  constructor(message: string) {
    super('AMI_PROTOCOL', message);
  }
}

/** Login refused (`Message: Authentication failed`); Asterisk closes the socket right after. */
export class AmiAuthError extends AmiError {
  readonly username: string;
  constructor(username: string, asteriskMessage: string) {
    // The secret is never part of the message: error messages end up in logs.
    super('AMI_AUTH', `AMI login refused for user '${username}': ${asteriskMessage}`);
    this.username = username;
  }
}

/** An action Asterisk answered with `Response: Error`. */
export class AmiActionError extends AmiError {
  readonly action: string;
  readonly asteriskMessage: string;
  readonly response: AmiMessage;
  constructor(action: string, response: AmiMessage, code: AmiErrorCode = 'AMI_ACTION') {
    const asteriskMessage = header(response, 'Message') ?? '';
    super(code, `AMI action ${action} failed: ${asteriskMessage || '(no message)'}`);
    this.action = action;
    this.asteriskMessage = asteriskMessage;
    this.response = response;
  }
}

/** `Message: Permission denied`: the AMI user lacks the write class for this action. */
export class AmiPermissionError extends AmiActionError {
  constructor(action: string, response: AmiMessage) {
    super(action, response, 'AMI_PERMISSION');
  }
}

/** The named channel does not exist (Hangup/Getvar/Status say `No such channel`, Redirect `Channel does not exist: …`). */
export class AmiNoSuchChannelError extends AmiActionError {
  constructor(action: string, response: AmiMessage) {
    super(action, response, 'AMI_NO_SUCH_CHANNEL');
  }
}

export class AmiTimeoutError extends AmiError {
  constructor(what: string, timeoutMs: number) {
    super('AMI_TIMEOUT', `${what} got no answer from Asterisk within ${timeoutMs} ms`);
  }
}

/** An action was asked for while the connection is not logged in. Nothing is queued for later. */
export class AmiNotConnectedError extends AmiError {
  constructor(action: string, state: string) {
    super('AMI_NOT_CONNECTED', `AMI action ${action} refused: connection is ${state}`);
  }
}

/** The connection dropped while the action waited for its answer; whether Asterisk ran it is unknown. */
export class AmiDisconnectedError extends AmiError {
  constructor(action: string) {
    super('AMI_DISCONNECTED', `AMI connection lost before ${action} was answered (it may or may not have run)`);
  }
}

/** A header name or value that would break AMI framing (CR/LF = command injection). Never sent. */
export class AmiHeaderValueError extends AmiError {
  constructor(message: string) {
    super('AMI_BAD_HEADER', message);
  }
}

/** Maps a `Response: Error` message to the typed error (texts as in ami-actions.txt). */
export function errorFromResponse(action: string, response: AmiMessage): AmiActionError {
  const message = header(response, 'Message') ?? '';
  if (message === 'Permission denied') return new AmiPermissionError(action, response);
  if (message === 'No such channel' || message.startsWith('Channel does not exist')) {
    return new AmiNoSuchChannelError(action, response);
  }
  return new AmiActionError(action, response);
}
