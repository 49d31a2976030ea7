// Calls in progress and trunks as the board shows them (pure). A call's state comes from its latest
// queue entry: none or finished → still in the IVR flow; waiting → queued; offered → ringing an
// agent; accepted and not finished → talking to that agent.
import type { BoardCall, BoardCallState, BoardTrunk } from '../../../contracts/realtime-board.ts';
import type { CallRow } from './queries.ts';

export function boardCall(row: CallRow): BoardCall {
  const e = row.entry;
  let state: BoardCallState = 'ivr';
  if (e?.status === 'waiting') state = 'queued';
  else if (e?.status === 'offered') state = 'ringing';
  else if (e?.status === 'accepted' && e.endedAt === null) state = 'talking';
  const inQueue = state !== 'ivr';
  return {
    id: row.id,
    direction: row.direction,
    caller: row.callerNumber,
    callerName: row.callerName,
    did: row.did,
    state,
    queueId: inQueue ? e!.queueId : null,
    agentId: state === 'talking' ? e!.agentId : row.agentId,
    startedAt: row.startedAt.toISOString(),
    answeredAt: row.answeredAt?.toISOString() ?? null,
    talkingSince: state === 'talking' ? (e!.acceptedAt ?? row.startedAt).toISOString() : null,
    line: state === 'queued' || state === 'ringing' ? { entryId: e!.id, priority: e!.priority, since: e!.enqueuedAt.toISOString() } : null,
  };
}

/** The Asterisk device a trunk's state is reported for. */
export const trunkDevice = (endpoint: string): string => `PJSIP/${endpoint}`;

/**
 * A trunk's calls now: the open calls whose channel is one of the trunk's (`PJSIP/<endpoint>-…`),
 * i.e. inbound calls arriving through it. Outbound legs are not in the call records while they run
 * (their route is written at the end), so they are not counted.
 */
export function boardTrunk(t: { id: number; name: string; endpoint: string; enabled: boolean }, state: string | null, openChannelNames: Iterable<string>): BoardTrunk {
  const prefix = `${trunkDevice(t.endpoint)}-`.toLowerCase();
  let activeCalls = 0;
  for (const name of openChannelNames) if (name.toLowerCase().startsWith(prefix)) activeCalls++;
  return { id: t.id, name: t.name, endpoint: t.endpoint, enabled: t.enabled, state, activeCalls };
}
