// The agent desktop's REST calls: presence and offers (server/http/routes/acd.ts) and the chat agent
// API of docs/chat-widget-events.md. Every answer is narrowed by model.ts before use.
import { ApiError, type ApiClient } from '../api/client.ts';
import {
  parseInteraction,
  parseJourneyItem,
  parseMessage,
  parseOfferRow,
  parseOpenEntry,
  parsePresence,
  type ChatMessage,
  type Device,
  type Interaction,
  type JourneyItem,
  type Offer,
  type OpenEntry,
  type PauseReason,
  type Presence,
} from './model.ts';
import { parseApplicable, type ApplicableDispositions } from './dispositions.ts';
import { i18next } from '../i18n/index.ts';

export interface CannedAnswer {
  title: string;
  text: string;
}

const list = <T,>(v: unknown, parse: (x: unknown, i: number) => T | null): T[] => (Array.isArray(v) ? v.map(parse).filter((x): x is T => x !== null) : []);

function presenceOrThrow(v: unknown): Presence {
  const p = parsePresence(v);
  if (p === null) throw new ApiError(0, 'BAD_ANSWER', i18next.t('desktop.errors.presence'), {});
  return p;
}

export class DesktopApi {
  constructor(readonly api: ApiClient) {}

  presence = async (): Promise<Presence> => presenceOrThrow(await this.api.get<unknown>('/api/me/presence'));
  login = async (device: Device): Promise<Presence> => presenceOrThrow(await this.api.post<unknown>('/api/me/login', { device }));
  logout = async (): Promise<Presence> => presenceOrThrow(await this.api.post<unknown>('/api/me/logout', {}));
  pause = async (reason: string, channels?: string[]): Promise<Presence> =>
    presenceOrThrow(await this.api.post<unknown>('/api/me/pause', channels ? { reason, channels } : { reason }));
  unpause = async (channels?: string[]): Promise<Presence> => presenceOrThrow(await this.api.post<unknown>('/api/me/unpause', channels ? { channels } : {}));

  pauseReasons = async (): Promise<PauseReason[]> =>
    list(await this.api.get<unknown>('/api/pause-reasons'), (v) => {
      if (typeof v !== 'object' || v === null) return null;
      const r = v as Record<string, unknown>;
      return typeof r.id === 'number' && typeof r.name === 'string' ? { id: r.id, name: r.name, description: typeof r.description === 'string' ? r.description : null } : null;
    });

  pendingOffers = async (): Promise<Offer[]> => list(await this.api.get<unknown>('/api/me/offers'), parseOfferRow);
  /** Accepted work not finished yet, and calls still waiting for their disposition (GET /api/me/entries). */
  openEntries = async (): Promise<OpenEntry[]> => list(await this.api.get<unknown>('/api/me/entries'), parseOpenEntry);
  accept = (offerId: number): Promise<unknown> => this.api.post<unknown>(`/api/offers/${offerId}/accept`);
  reject = (offerId: number): Promise<unknown> => this.api.post<unknown>(`/api/offers/${offerId}/reject`);
  finish = (entryId: number, disposition: string, note: string): Promise<unknown> =>
    this.api.post<unknown>(`/api/me/entries/${entryId}/finish`, { ...(disposition.trim() ? { disposition: disposition.trim() } : {}), ...(note.trim() ? { note } : {}) });

  /** A queue's name when the agent may read it; agents often may not, so null is a normal answer. */
  queueName = async (queueId: number): Promise<string | null> => {
    try {
      const q = await this.api.get<unknown>(`/api/queues/${queueId}`);
      return typeof q === 'object' && q !== null && typeof (q as { name?: unknown }).name === 'string' ? (q as { name: string }).name : null;
    } catch {
      return null;
    }
  };

  // --- chat (contract endpoints)
  openInteractions = async (): Promise<Interaction[]> => list(await this.api.get<unknown>('/api/me/interactions?status=open'), parseInteraction);
  /** The agent's latest closed chats (newest first): those without a disposition still wait for one. */
  closedInteractions = async (): Promise<Interaction[]> => list(await this.api.get<unknown>('/api/me/interactions?status=closed'), parseInteraction);
  /** Offline-form messages of the agent's queues nobody took yet, and taking one (only one agent gets it). */
  pendingInteractions = async (): Promise<Interaction[]> => list(await this.api.get<unknown>('/api/me/pending-interactions'), parseInteraction);
  claim = async (interactionId: number): Promise<Interaction> => {
    const i = parseInteraction(await this.api.post<unknown>(`/api/interactions/${interactionId}/claim`, {}));
    if (i === null) throw new ApiError(0, 'BAD_ANSWER', i18next.t('desktop.errors.interaction'), {});
    return i;
  };
  messages = async (interactionId: number): Promise<ChatMessage[]> => list(await this.api.get<unknown>(`/api/interactions/${interactionId}/messages`), parseMessage);
  send = (interactionId: number, text: string): Promise<unknown> => this.api.post<unknown>(`/api/interactions/${interactionId}/messages`, { text });
  typing = (interactionId: number, typing: boolean): Promise<unknown> => this.api.post<unknown>(`/api/interactions/${interactionId}/typing`, { typing });
  setTags = (interactionId: number, tags: string[]): Promise<unknown> => this.api.post<unknown>(`/api/interactions/${interactionId}/tags`, { tags });
  close = (interactionId: number, disposition: string, note: string): Promise<unknown> =>
    this.api.post<unknown>(`/api/interactions/${interactionId}/close`, { disposition, ...(note.trim() ? { note } : {}) });
  journey = async (contactId: number): Promise<JourneyItem[]> => list(await this.api.get<unknown>(`/api/contacts/${contactId}/journey`), parseJourneyItem);
  cannedAnswers = async (websiteId: number): Promise<CannedAnswer[]> =>
    list(await this.api.get<unknown>(`/api/chat/websites/${websiteId}/canned-answers`), (v) => {
      if (typeof v !== 'object' || v === null) return null;
      const r = v as Record<string, unknown>;
      return typeof r.title === 'string' && typeof r.text === 'string' ? { title: r.title, text: r.text } : null;
    });
  /** The dispositions that apply to a queue entry the agent holds (a call waiting for its disposition). */
  entryDispositions = async (entryId: number): Promise<ApplicableDispositions> => parseApplicable(await this.api.get<unknown>(`/api/me/entries/${entryId}/dispositions`));
  /** The dispositions that apply to a chat the agent holds. */
  chatDispositions = async (interactionId: number): Promise<ApplicableDispositions> => parseApplicable(await this.api.get<unknown>(`/api/interactions/${interactionId}/dispositions`));

  /** multipart upload: the JSON client cannot send files, so this one call uses fetch directly. */
  upload = async (interactionId: number, file: File): Promise<void> => {
    const form = new FormData();
    form.append('file', file, file.name);
    const token = this.api.tokens.get();
    const res = await fetch(`/api/interactions/${interactionId}/attachments`, { method: 'POST', body: form, headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!res.ok) {
      let message = `The server answered ${res.status}`;
      try {
        const body = (await res.json()) as { error?: { message?: unknown } };
        if (typeof body.error?.message === 'string') message = body.error.message;
      } catch {
        // not JSON: keep the status line
      }
      throw new ApiError(res.status, 'UPLOAD_FAILED', message, {});
    }
  };

  /** Attachments need the Bearer token, so a plain link would not do: fetch, then save the blob. */
  download = async (url: string, name: string): Promise<void> => {
    if (!url.startsWith('/')) throw new ApiError(0, 'BAD_URL', i18next.t('desktop.errors.attachment'), {});
    const token = this.api.tokens.get();
    const res = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    if (!res.ok) throw new ApiError(res.status, 'DOWNLOAD_FAILED', `The attachment could not be downloaded (${res.status})`, {});
    const href = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = href;
    a.download = name;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(() => URL.revokeObjectURL(href), 10_000);
  };
}
