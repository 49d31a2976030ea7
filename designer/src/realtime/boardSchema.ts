// The board's messages are an input edge of the page: every `board:snapshot` and `board:delta` is
// checked against these schemas before it reaches the reducer, so a server of another version cannot
// put the page in a state it cannot draw. The `satisfies` lines keep the schemas in step with the
// wire contract (contracts/realtime-board.ts) at compile time.
import { z } from 'zod';
import type { BoardAgent, BoardCall, BoardDelta, BoardQueue, BoardSnapshot, BoardTrunk } from '../../../contracts/realtime-board.ts';
import { AGENT_TYPOLOGIES } from '../../../contracts/agents.ts';
import { CHANNELS } from '../../../contracts/channels.ts';

const channel = z.enum(CHANNELS);
const id = z.number().int();
const iso = z.string();
const spyMode = z.enum(['listen', 'whisper', 'barge']);

const agentSchema = z.object({
  id,
  name: z.string(),
  username: z.string(),
  extension: z.string(),
  typology: z.enum(AGENT_TYPOLOGIES),
  teamIds: z.array(id),
  queueIds: z.array(id),
  chanspy: z.boolean(),
  loggedIn: z.boolean(),
  loginDevice: z.string().nullable(),
  loggedInAt: iso.nullable(),
  phone: z.object({ target: z.string().nullable(), state: z.string().nullable() }),
  channels: z.array(
    z.object({
      channel,
      status: z.enum(['offline', 'ready', 'paused', 'busy', 'wrap-up']),
      since: iso.nullable(),
      pauseReason: z.string().nullable(),
      open: z.number().int(),
      capacity: z.number().int(),
    }),
  ),
  interactions: z.array(z.object({ entryId: id, channel, queueId: id, with: z.string().nullable(), since: iso })),
  spiedBy: z.object({ sessionId: id, supervisorId: id, mode: spyMode }).nullable(),
}) satisfies z.ZodType<BoardAgent>;

const queueSchema = z.object({
  id,
  name: z.string(),
  channel,
  waiting: z.number().int(),
  longestWaitingSince: iso.nullable(),
  agents: z.object({ loggedIn: z.number().int(), ready: z.number().int(), busy: z.number().int(), paused: z.number().int() }),
  today: z.object({
    offered: z.number().int(),
    answered: z.number().int(),
    abandoned: z.number().int(),
    timeout: z.number().int(),
    answeredWithinServiceLevel: z.number().int(),
  }),
  serviceLevelSec: z.number(),
  serviceLevel: z.number().nullable(),
}) satisfies z.ZodType<BoardQueue>;

const callSchema = z.object({
  id,
  direction: z.enum(['inbound', 'internal', 'outbound']),
  caller: z.string(),
  callerName: z.string(),
  did: z.string(),
  state: z.enum(['ivr', 'queued', 'ringing', 'talking']),
  queueId: id.nullable(),
  agentId: id.nullable(),
  startedAt: iso,
  answeredAt: iso.nullable(),
  talkingSince: iso.nullable(),
  line: z.object({ entryId: id, priority: z.number().int(), since: iso }).nullable(),
}) satisfies z.ZodType<BoardCall>;

const trunkSchema = z.object({
  id,
  name: z.string(),
  endpoint: z.string(),
  enabled: z.boolean(),
  state: z.string().nullable(),
  activeCalls: z.number().int(),
}) satisfies z.ZodType<BoardTrunk>;

const named = z.object({ id, name: z.string() });

export const snapshotSchema = z.object({
  seq: z.number().int(),
  at: iso,
  can: z.object({ editAgents: z.boolean(), chanspy: z.boolean() }),
  agents: z.array(agentSchema),
  queues: z.array(queueSchema),
  calls: z.array(callSchema),
  trunks: z.array(trunkSchema),
  teams: z.array(named),
  pauseReasons: z.array(named),
}) satisfies z.ZodType<BoardSnapshot>;

export const deltaSchema = z.object({
  seq: z.number().int(),
  at: iso,
  agents: z.array(agentSchema).optional(),
  queues: z.array(queueSchema).optional(),
  calls: z.array(callSchema).optional(),
  trunks: z.array(trunkSchema).optional(),
  removed: z.object({ agents: z.array(id).optional(), queues: z.array(id).optional(), calls: z.array(id).optional() }).optional(),
}) satisfies z.ZodType<BoardDelta>;

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

function parseWith<T>(schema: z.ZodType<T>, value: unknown): ParseResult<T> {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  const first = result.error.issues[0];
  return { ok: false, error: first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'invalid message' };
}

export const parseSnapshot = (value: unknown): ParseResult<BoardSnapshot> => parseWith(snapshotSchema, value);
export const parseDelta = (value: unknown): ParseResult<BoardDelta> => parseWith(deltaSchema, value);
