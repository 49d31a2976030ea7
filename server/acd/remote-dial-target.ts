/**
 * What Asterisk dials to reach an external number (a remote agent's or a supervisor's phone): a
 * Local channel into the outbound routes' context, so the trunk and caller-id rules apply.
 */
export const remoteDialTarget = (phone: string) => `Local/${phone}@tandem-outbound`;
