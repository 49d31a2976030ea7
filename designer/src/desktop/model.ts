// What the agent desktop reads from the server (server/acd/presence.ts, server/realtime/acd-events.ts,
// docs/chat-widget-events.md), and the pure narrowing of socket payloads: a socket event is
// untrusted input, so it is checked field by field before it reaches state.

import { CHANNELS, type Channel } from '../../../contracts/channels.ts';
import { i18next } from '../i18n/index.ts';


export const DESKTOP_CHANNELS = CHANNELS;
export type DesktopChannel = Channel;
export const DEVICES = ['web', 'phonebar', 'external', 'phone'] as const;
export type Device = (typeof DEVICES)[number];

export interface ChannelPresence {
  channel: DesktopChannel;
  paused: boolean;
  pauseReason: string | null;
  wrapupUntil: string | null;
}

export interface Presence {
  agentId: number;
  loggedIn: boolean;
  device: Device | null;
  channels: ChannelPresence[];
}

export interface PauseReason {
  id: number;
  name: string;
  description: string | null;
}

export interface Offer {
  offerId: number;
  entryId: number;
  queueId: number;
  channel: string;
  caller: string;
  interactionRef: string;
  expiresAt: string | null;
  autoAnswer: boolean;
}

/** An accepted piece of work on the desktop: a chat tab or a voice call waiting for its disposition. */
export interface Work {
  entryId: number;
  queueId: number;
  channel: string;
  caller: string;
  interactionRef: string;
  /** The chat interaction id when interactionRef is `chat:<id>`. */
  interactionId: number | null;
}

export interface Attachment {
  id: number | string;
  name: string;
  size: number;
  type: string;
  url: string;
}

export interface ChatMessage {
  id: number | string;
  from: string;
  text: string;
  attachment: Attachment | null;
  at: string;
  /** A supervisor's note: only the agent (and spies) see it, never the visitor. */
  secret: boolean;
}

export interface Interaction {
  id: number;
  channel: string;
  websiteId: number | null;
  contact: { id: number | null; name: string; email: string; phone: string };
  status: string;
  queueId: number | null;
  tags: string[];
  disposition: string | null;
  createdAt: string;
  closedAt: string | null;
}

export interface JourneyItem {
  id: string;
  channel: string;
  status: string;
  disposition: string | null;
  at: string;
  summary: string;
}

type Rec = Record<string, unknown>;
const isRec = (v: unknown): v is Rec => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
const strOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** `chat:<id>` → id; any other reference (voice unique ids, integrations) → null. */
export function chatInteractionId(interactionRef: string): number | null {
  const m = /^chat:(\d{1,15})$/.exec(interactionRef);
  return m ? Number(m[1]) : null;
}

export function parseOffer(v: unknown): Offer | null {
  if (!isRec(v)) return null;
  const offerId = num(v.offerId);
  const entryId = num(v.entryId);
  const queueId = num(v.queueId);
  if (offerId === null || entryId === null || queueId === null) return null;
  return {
    offerId,
    entryId,
    queueId,
    channel: str(v.channel, 'voice'),
    caller: str(v.caller),
    interactionRef: str(v.interactionRef),
    expiresAt: strOrNull(v.expiresAt),
    autoAnswer: v.autoAnswer === true,
  };
}

/** The REST list of pending offers (engine rows) has other field names than the socket event. */
export function parseOfferRow(v: unknown): Offer | null {
  if (!isRec(v)) return null;
  // Rows of GET /api/me/offers lack the entry's queue, channel and caller: shown as a bare offer.
  return parseOffer({ channel: '', caller: '', interactionRef: '', ...v, offerId: v.offerId ?? v.id, queueId: v.queueId ?? 0 });
}

/** One tab per chat interaction, one per other queue entry. */
export const workKey = (w: Work): string => (w.interactionId !== null ? `chat:${w.interactionId}` : `entry:${w.entryId}`);

/**
 * Adds work restored after a reload to the tabs already open. A chat may already be there without
 * its queue entry (restored from the interactions list): it takes the entry id, which is what frees
 * the chat slot when a tab the server cannot load is removed.
 */
export function mergeRestoredWork(current: readonly Work[], restored: readonly Work[]): Work[] {
  const out = [...current];
  for (const w of restored) {
    const at = out.findIndex((c) => workKey(c) === workKey(w));
    if (at < 0) out.push(w);
    else if (out[at]!.entryId <= 0) out[at] = { ...out[at]!, entryId: w.entryId, queueId: out[at]!.queueId > 0 ? out[at]!.queueId : w.queueId, caller: out[at]!.caller || w.caller };
  }
  return out;
}

/** The agent's open work as GET /api/me/entries lists it, for a desktop that reloads. */
export interface OpenEntry {
  work: Work;
  /** The queue's name (agents may not read queues, but they may know where their own work came from). */
  queueName: string | null;
  /** Set when the entry is over (a call that ended) and only its disposition is missing. */
  endedAt: string | null;
}

export function parseOpenEntry(v: unknown): OpenEntry | null {
  if (!isRec(v)) return null;
  const entryId = num(v.entryId);
  const queueId = num(v.queueId);
  if (entryId === null || queueId === null) return null;
  const interactionRef = str(v.interactionRef);
  return {
    work: { entryId, queueId, channel: str(v.channel, 'voice'), caller: str(v.caller), interactionRef, interactionId: chatInteractionId(interactionRef) },
    queueName: strOrNull(v.queueName),
    endedAt: strOrNull(v.endedAt),
  };
}

export function workFromOffer(offer: Offer): Work {
  return { entryId: offer.entryId, queueId: offer.queueId, channel: offer.channel, caller: offer.caller, interactionRef: offer.interactionRef, interactionId: chatInteractionId(offer.interactionRef) };
}

export function parsePresence(v: unknown): Presence | null {
  if (!isRec(v) || !Array.isArray(v.channels)) return null;
  const channels: ChannelPresence[] = [];
  for (const c of v.channels) {
    if (!isRec(c)) continue;
    const channel = DESKTOP_CHANNELS.find((k) => k === c.channel);
    if (!channel) continue;
    channels.push({ channel, paused: c.paused === true, pauseReason: strOrNull(c.pauseReason), wrapupUntil: strOrNull(c.wrapupUntil) });
  }
  const device = DEVICES.find((d) => d === v.device) ?? null;
  return { agentId: num(v.agentId) ?? 0, loggedIn: v.loggedIn === true, device, channels };
}

export function parseAttachment(v: unknown): Attachment | null {
  if (!isRec(v)) return null;
  const id = num(v.id) ?? strOrNull(v.id);
  if (id === null) return null;
  return { id, name: str(v.name, 'file'), size: num(v.size) ?? 0, type: str(v.type), url: str(v.url, `/api/attachments/${String(id)}`) };
}

export function parseMessage(v: unknown): ChatMessage | null {
  if (!isRec(v)) return null;
  const id = num(v.id) ?? strOrNull(v.id);
  if (id === null) return null;
  return { id, from: str(v.from, 'system'), text: str(v.text), attachment: parseAttachment(v.attachment), at: str(v.at), secret: v.secret === true };
}

export function parseInteraction(v: unknown): Interaction | null {
  if (!isRec(v)) return null;
  const id = num(v.id);
  if (id === null) return null;
  const contact = isRec(v.contact) ? v.contact : {};
  return {
    id,
    channel: str(v.channel, 'chat'),
    websiteId: num(v.websiteId),
    contact: { id: num(contact.id), name: str(contact.name), email: str(contact.email), phone: str(contact.phone) },
    status: str(v.status),
    queueId: num(v.queueId),
    tags: Array.isArray(v.tags) ? v.tags.filter((t): t is string => typeof t === 'string') : [],
    disposition: strOrNull(v.disposition),
    createdAt: str(v.createdAt),
    closedAt: strOrNull(v.closedAt),
  };
}

/** How long a chat the other side closed keeps waiting on the desktop for the agent's disposition. */
export const UNDISPOSED_CHAT_WINDOW_MS = 12 * 3600 * 1000;

/**
 * A chat of the agent that the visitor (or the system) closed before the agent gave a disposition:
 * agents always close with one, so a closed chat without it still waits for the agent.
 */
export function isUndisposedChat(i: Interaction, now: number): boolean {
  if (i.status !== 'closed' || i.disposition !== null || i.closedAt === null) return false;
  const closed = Date.parse(i.closedAt);
  return Number.isFinite(closed) && now - closed < UNDISPOSED_CHAT_WINDOW_MS;
}

/** Who ended a chat, from the system line the server writes when it closes one ("closed by visitor"). */
export function closedByOf(messages: readonly ChatMessage[]): string | null {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = /^closed by ([a-z]{1,20})$/.exec(messages[i]!.from === 'system' ? messages[i]!.text : '');
    if (m) return m[1]!;
  }
  return null;
}

export function parseJourneyItem(v: unknown, index: number): JourneyItem | null {
  if (!isRec(v)) return null;
  return {
    // Calls and interactions are numbered apart: the kind keeps the keys distinct.
    id: `${str(v.kind, 'item')}-${str(v.id, String(index))}`,
    channel: str(v.channel, 'voice'),
    status: str(v.status),
    disposition: strOrNull(v.disposition),
    at: str(v.createdAt ?? v.startedAt ?? v.at),
    summary: str(v.summary ?? v.queueName ?? v.caller ?? v.lastMessage),
  };
}

/** Chat socket events carry the interaction id; anything else is dropped. */
export function parseChatEvent(v: unknown): { interactionId: number; payload: Rec } | null {
  if (!isRec(v)) return null;
  const interactionId = num(v.interactionId);
  return interactionId === null ? null : { interactionId, payload: v };
}

/** Tags typed as "vip, refund" → ['vip', 'refund'], trimmed, unique, bounded. */
export function parseTags(text: string): string[] {
  const tags = text
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .map((t) => t.slice(0, 50));
  return [...new Set(tags)].slice(0, 20);
}


/** Overall state of the agent as a single word for the presence bar. */
export function presenceLabel(p: Presence | null): string {
  const t = i18next.t;
  if (p === null || !p.loggedIn) return t('desktop.presence.loggedOut');
  const paused = p.channels.filter((c) => c.paused);
  if (paused.length === 0) return t('desktop.presence.ready');
  if (paused.length === p.channels.length) return t('desktop.presence.paused', { reason: paused[0]?.pauseReason ?? t('desktop.presence.noReason') });
  return t('desktop.presence.pausedOn', { channels: paused.map((c) => c.channel).join(', ') });
}

export function presenceState(p: Presence | null): 'out' | 'ready' | 'paused' {
  if (p === null || !p.loggedIn) return 'out';
  return p.channels.some((c) => c.paused) ? 'paused' : 'ready';
}
