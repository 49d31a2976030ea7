/**
 * The AMI message model (pure, no I/O, no imports): a message is an ordered list of headers, not a
 * map, because a header may repeat (`Variable:` in Originate and Status). Kept apart from the codec
 * so that the typed errors can read a response's `Message:` without importing the codec, which
 * itself raises those errors.
 */
export type AmiHeader = readonly [name: string, value: string];

export interface AmiMessage {
  readonly headers: readonly AmiHeader[];
  /** Raw output lines of a `Response: Follows` reply (and stray lines without a colon). */
  readonly output?: readonly string[];
}

/** First value of a header, case-insensitive (Asterisk itself matches header names that way). */
export function header(message: AmiMessage, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of message.headers) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** Every value of a repeated header, in order. */
export function headerAll(message: AmiMessage, name: string): string[] {
  const wanted = name.toLowerCase();
  return message.headers.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
}
