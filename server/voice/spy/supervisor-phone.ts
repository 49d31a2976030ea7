// The supervisor's own phone: where Tandem calls them first (the board), and how a feature code
// recognises them (the calling channel's endpoint).
import { z } from 'zod';
import { remoteDialTarget } from '../../acd/remote-dial-target.ts';

import type { SupervisorPhone } from '../../../contracts/spy.ts';

export type { SupervisorPhone };

export const supervisorPhoneSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({ kind: z.literal('extension'), value: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/, 'must be a PJSIP endpoint name such as 1001') }).strict(),
    // Dialled through tandem-outbound, whose patterns are _X. and _+X.
    z.object({ kind: z.literal('external'), value: z.string().regex(/^\+?[0-9]{2,20}$/, 'must be a phone number (digits, optional leading +)') }).strict(),
  ],
  { message: "must be {kind: 'extension' | 'external', value}" },
);

/** What ARI originates: the endpoint itself, or an external number through the outbound routes (as for remote agents). */
export function dialTargetOf(phone: SupervisorPhone): string {
  return phone.kind === 'extension' ? `PJSIP/${phone.value}` : remoteDialTarget(phone.value);
}

/**
 * The endpoint of a calling channel: `PJSIP/2001-0000001a` → `2001`. The channel name comes from
 * the endpoint the phone authenticated as, unlike the caller id, which a phone can set itself.
 */
export function endpointOfChannel(channelName: string): string | undefined {
  const m = /^(?:PJSIP|SIP|IAX2)\/(.+)-[0-9a-f]{8,}$/i.exec(channelName);
  return m?.[1];
}
