import { CHANNEL_KINDS, type ChannelKind } from '../../../flows/index.ts';

export const CHANNEL_LABELS: Readonly<Record<ChannelKind, string>> = {
  voice: 'Voice',
  chat: 'Chat',
  sms: 'SMS',
  email: 'E-mail',
  openchannel: 'Open channel',
  fax: 'Fax',
};

export function isChannel(value: string | null): value is ChannelKind {
  return value !== null && (CHANNEL_KINDS as readonly string[]).includes(value);
}

export { CHANNEL_KINDS };
