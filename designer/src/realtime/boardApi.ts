// What the board does to agents and calls over REST: presence (server/http/routes/acd.ts), queue
// membership (routes/queues.ts) and listen/whisper/barge sessions (/api/spy-sessions). The board
// itself shows the outcome when the next delta arrives, so these calls return nothing to draw.
import { z } from 'zod';
import { ApiError, type ApiClient } from '../api/client.ts';
import type { Channel } from '../../../contracts/channels.ts';

import { SPY_MODES, type SpyMode, type SupervisorPhone as Phone } from '../../../contracts/spy.ts';
import { i18next } from '../i18n/index.ts';

export { SPY_MODES, type SpyMode };
/** Where the server rings the supervisor first; none = the phone set on the supervisor's profile. */
export type SupervisorPhone = Phone | null;

export interface SpySession {
  readonly id: number;
  readonly agentId: number;
  readonly mode: SpyMode;
  /** calling (the supervisor's phone rings) → active; absent when the server does not say. */
  readonly status: string | null;
}

const spyAnswer = z.object({
  id: z.number().int().positive(),
  mode: z.enum(SPY_MODES).optional(),
  status: z.string().optional(),
  endReason: z.string().nullable().optional(),
});

/** A session as the server sees it now: `calling` until the supervisor's phone answers. */
export interface SpyProgress {
  readonly status: string | null;
  readonly mode: SpyMode | null;
  readonly endReason: string | null;
}

/** A server without the spy routes answers ROUTE_NOT_FOUND: say so in words instead of "No API route…". */
function explainMissingRoute(error: unknown): never {
  if (error instanceof ApiError && error.code === 'ROUTE_NOT_FOUND') {
    throw new ApiError(404, 'SPY_UNAVAILABLE', 'Listen, whisper and barge are not available on this server yet', {});
  }
  throw error;
}

export class BoardApi {
  constructor(private readonly api: ApiClient) {}

  pause = async (agentId: number, reason: string, channel: Channel | null): Promise<void> => {
    await this.api.post<unknown>(`/api/agents/${agentId}/pause`, channel === null ? { reason } : { reason, channels: [channel] });
  };
  unpause = async (agentId: number, channel: Channel | null): Promise<void> => {
    await this.api.post<unknown>(`/api/agents/${agentId}/unpause`, channel === null ? {} : { channels: [channel] });
  };
  logout = async (agentId: number): Promise<void> => {
    await this.api.post<unknown>(`/api/agents/${agentId}/logout`, {});
  };
  addToQueue = async (queueId: number, agentId: number): Promise<void> => {
    await this.api.post<unknown>(`/api/queues/${queueId}/agents`, { agentId });
  };
  removeFromQueue = async (queueId: number, agentId: number): Promise<void> => {
    await this.api.delete<unknown>(`/api/queues/${queueId}/agents/${agentId}`);
  };

  startSpy = async (agentId: number, mode: SpyMode, phone: SupervisorPhone): Promise<SpySession> => {
    const answer = await this.api.post<unknown>('/api/spy-sessions', phone === null ? { agentId, mode } : { agentId, mode, phone }).catch(explainMissingRoute);
    const parsed = spyAnswer.safeParse(answer);
    if (!parsed.success) throw new ApiError(0, 'BAD_ANSWER', i18next.t('board.problems.session'), {});
    return { id: parsed.data.id, agentId, mode: parsed.data.mode ?? mode, status: parsed.data.status ?? null };
  };
  switchSpy = async (session: SpySession, mode: SpyMode): Promise<SpySession> => {
    const answer = await this.api.request<unknown>('PATCH', `/api/spy-sessions/${session.id}`, { mode }).catch(explainMissingRoute);
    const parsed = spyAnswer.safeParse(answer);
    return { ...session, mode: parsed.success ? (parsed.data.mode ?? mode) : mode, status: parsed.success ? (parsed.data.status ?? session.status) : session.status };
  };
  spyProgress = async (sessionId: number): Promise<SpyProgress> => {
    const parsed = spyAnswer.safeParse(await this.api.get<unknown>(`/api/spy-sessions/${sessionId}`));
    if (!parsed.success) return { status: null, mode: null, endReason: null };
    return { status: parsed.data.status ?? null, mode: parsed.data.mode ?? null, endReason: parsed.data.endReason ?? null };
  };
  stopSpy = async (session: SpySession): Promise<void> => {
    await this.api.delete<unknown>(`/api/spy-sessions/${session.id}`).catch(explainMissingRoute);
  };
}
