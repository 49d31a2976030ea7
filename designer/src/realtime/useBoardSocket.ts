// The `/supervisor` socket.io namespace as React state: the snapshot on connect, then deltas applied
// in `seq` order, a `board:resync` when one went missing. Deltas are gathered and applied once per
// animation frame, so a burst costs one render, not one per message.
import { useEffect, useRef, useState } from 'react';
import { io, type Socket } from 'socket.io-client';
import type { ApiClient } from '../api/client.ts';
import { BOARD_EVENTS, BOARD_NAMESPACE, type BoardDelta } from '../../../contracts/realtime-board.ts';
import { i18next } from '../i18n/index.ts';
import { parseDelta, parseSnapshot } from './boardSchema.ts';
import { applyDeltas, boardFromSnapshot, type BoardState } from './boardState.ts';

export type BoardConnection = 'connecting' | 'live' | 'reconnecting' | 'refused';

export interface BoardFeed {
  readonly board: BoardState | null;
  readonly connection: BoardConnection;
  /** Why the server refused or what went wrong last, for people. */
  readonly problem: string | null;
  /** Browser clock → server clock, from the last snapshot. */
  readonly clockOffsetMs: number;
}

// When the tab is hidden, animation frames stop: a timer flushes instead so the state stays current
// (and the queue of deltas short).
const HIDDEN_FLUSH_MS = 250;
/** Deltas kept while a snapshot is awaited; older ones are covered by the snapshot anyway. */
const MAX_WAITING_DELTAS = 500;
const SNAPSHOT_RETRY_MS = 3000;

/** Refusals of the namespace (socket.io's error message) that retrying will not cure, and their words. */
const REFUSALS = {
  UNAUTHENTICATED: 'board.refusals.unauthenticated',
  PASSWORD_CHANGE_REQUIRED: 'board.refusals.passwordChange',
  FORBIDDEN: 'board.refusals.forbidden',
  'Invalid namespace': 'board.refusals.noBoard',
} as const;

function refusalOf(message: string): string | undefined {
  return Object.hasOwn(REFUSALS, message) ? i18next.t(REFUSALS[message as keyof typeof REFUSALS]) : undefined;
}

export function useBoardSocket(api: ApiClient): BoardFeed {
  const [feed, setFeed] = useState<BoardFeed>({ board: null, connection: 'connecting', problem: null, clockOffsetMs: 0 });
  const boardRef = useRef<BoardState | null>(null);

  useEffect(() => {
    const token = api.tokens.get();
    if (token === null) return;
    let pending: BoardDelta[] = [];
    let frame: number | null = null;
    let hiddenTimer: ReturnType<typeof setTimeout> | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | null = null;
    // After a gap, deltas are useless until the fresh snapshot arrives.
    let awaitingSnapshot = true;
    const socket: Socket = io(BOARD_NAMESPACE, { auth: { token }, transports: ['websocket'] });

    const publish = (patch: Partial<BoardFeed>) => setFeed((f) => ({ ...f, board: boardRef.current, ...patch }));

    const flush = () => {
      if (frame !== null) cancelAnimationFrame(frame);
      if (hiddenTimer !== null) clearTimeout(hiddenTimer);
      frame = null;
      hiddenTimer = null;
      const current = boardRef.current;
      // Before the (fresh) snapshot, deltas wait: the snapshot decides which of them still apply.
      if (current === null || awaitingSnapshot) {
        if (pending.length > MAX_WAITING_DELTAS) pending = pending.slice(-MAX_WAITING_DELTAS);
        return;
      }
      const batch = pending;
      pending = [];
      if (batch.length === 0) return;
      const outcome = applyDeltas(current, batch);
      if (outcome.gap) {
        awaitingSnapshot = true;
        socket.emit(BOARD_EVENTS.resync);
      }
      if (outcome.state !== current) {
        boardRef.current = outcome.state;
        publish({});
      }
    };
    const schedule = () => {
      if (frame === null) frame = requestAnimationFrame(flush);
      if (hiddenTimer === null) hiddenTimer = setTimeout(flush, HIDDEN_FLUSH_MS);
    };

    socket.on('connect', () => publish({ connection: 'live', problem: null }));
    socket.on('disconnect', () => {
      awaitingSnapshot = true;
      publish({ connection: 'reconnecting' });
    });
    socket.on('connect_error', (error: Error & { data?: { message?: unknown } }) => {
      const refusal = refusalOf(error.message);
      // A refusal does not get better by retrying; a network error does (socket.io retries by itself).
      if (refusal !== undefined) {
        socket.disconnect();
        publish({ connection: 'refused', problem: refusal });
        // Same as a 401 from the API: the app shows the login page.
        if (error.message === 'UNAUTHENTICATED') api.onUnauthenticated();
      } else {
        const detail = typeof error.data?.message === 'string' ? error.data.message : error.message;
        publish({ connection: 'reconnecting', problem: i18next.t('board.problems.unreachable', { detail }) });
      }
    });
    // The server could not load the snapshot: say so, and ask again a little later.
    socket.on(BOARD_EVENTS.error, (value: unknown) => {
      const message = typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string' ? (value as { message: string }).message : i18next.t('board.problems.notLoaded');
      publish({ problem: message });
      if (retryTimer === null) {
        retryTimer = setTimeout(() => {
          retryTimer = null;
          socket.emit(BOARD_EVENTS.resync);
        }, SNAPSHOT_RETRY_MS);
      }
    });
    socket.on(BOARD_EVENTS.snapshot, (value: unknown) => {
      const parsed = parseSnapshot(value);
      if (!parsed.ok) {
        publish({ problem: i18next.t('board.problems.unreadable', { error: parsed.error }) });
        return;
      }
      awaitingSnapshot = false;
      pending = pending.filter((d) => d.seq > parsed.value.seq);
      boardRef.current = boardFromSnapshot(parsed.value);
      const offset = Date.parse(parsed.value.at) - Date.now();
      publish({ connection: 'live', problem: null, clockOffsetMs: Number.isNaN(offset) ? 0 : offset });
      if (pending.length > 0) schedule();
    });
    socket.on(BOARD_EVENTS.delta, (value: unknown) => {
      const parsed = parseDelta(value);
      if (!parsed.ok) {
        // A delta the page cannot read is as good as a missing one.
        if (!awaitingSnapshot) {
          awaitingSnapshot = true;
          socket.emit(BOARD_EVENTS.resync);
        }
        return;
      }
      pending.push(parsed.value);
      schedule();
    });

    return () => {
      if (frame !== null) cancelAnimationFrame(frame);
      if (hiddenTimer !== null) clearTimeout(hiddenTimer);
      if (retryTimer !== null) clearTimeout(retryTimer);
      socket.removeAllListeners();
      socket.disconnect();
      boardRef.current = null;
    };
  }, [api]);

  return feed;
}
