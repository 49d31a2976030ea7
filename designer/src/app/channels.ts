import { CHANNEL_KINDS, type ChannelKind } from '../../../flows/index.ts';
import { CHANNELS, type Channel } from '../../../contracts/channels.ts';
import { i18next } from '../i18n/index.ts';

/** A channel's name for people, from the catalogue (common.channels). */
export function channelLabel(channel: ChannelKind | Channel): string {
  return i18next.t(`common.channels.${channel}`);
}

/** A channel code from the server, named when it is one Tandem knows and shown as it is otherwise. */
export function channelName(code: string): string {
  return (CHANNELS as readonly string[]).includes(code) ? channelLabel(code as Channel) : code;
}

export function isChannel(value: string | null): value is ChannelKind {
  return value !== null && (CHANNEL_KINDS as readonly string[]).includes(value);
}

export { CHANNEL_KINDS };
