/**
 * The logging surface the voice connections need. pino's Logger satisfies it, so the server
 * passes its pino instance; tests pass a recorder to check that secrets never reach a log line.
 */
export interface VoiceLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

const noop = (): void => {};

/** Default when the caller gives no logger: the connections stay quiet instead of writing to stdout. */
export const silentLogger: VoiceLogger = { debug: noop, info: noop, warn: noop, error: noop };
