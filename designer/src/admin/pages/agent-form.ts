// The agent form's values and the API bodies made from them (pure, so they are tested without a
// browser): text as typed goes to the schema, which names what is wrong; empty optional fields are
// left out of a create and cleared (null) in an edit.
import type { AgentTypology } from '../../../../contracts/agents.ts';
import { CHANNELS, NON_VOICE_CHANNELS, type Channel } from '../../../../contracts/channels.ts';

export type NonVoiceChannel = (typeof NON_VOICE_CHANNELS)[number];

/** GET /api/agents/:id, as the form reads it. */
export interface AgentDetail {
  readonly id: number;
  readonly username: string;
  readonly fullName: string;
  readonly alias: string | null;
  readonly email: string | null;
  readonly description: string | null;
  readonly typology: AgentTypology;
  readonly extension: string;
  readonly voicemail: boolean;
  readonly loginInPause: boolean;
  readonly capacity: Partial<Record<NonVoiceChannel, number>>;
  readonly autoAnswer: Partial<Record<Channel, { enabled: boolean; delaySeconds: number }>>;
  readonly hotdesk: boolean;
  readonly maskSensitiveData: boolean;
  readonly chanspy: boolean;
  readonly disabled: boolean;
  readonly locked: boolean;
  readonly hasPhonePin: boolean;
}

/** What the inputs hold: text as typed, so a wrong value reaches the schema and gets its message. */
export interface AgentValues {
  fullName: string;
  alias: string;
  username: string;
  password: string;
  email: string;
  description: string;
  pin: string;
  removePin: boolean;
  typology: AgentTypology;
  extension: string;
  hotdesk: boolean;
  maskSensitiveData: boolean;
  chanspy: boolean;
  voicemail: boolean;
  loginInPause: boolean;
  disabled: boolean;
  locked: boolean;
  capacity: Record<NonVoiceChannel, string>;
  autoAnswer: Record<Channel, { enabled: boolean; delaySeconds: string }>;
  queueIds: number[];
  teamIds: number[];
}

const ACCOUNT_FIELDS = ['fullName', 'alias', 'username', 'password', 'email', 'description', 'pin', 'disabled', 'locked'];
const TELEPHONY_FIELDS = ['typology', 'extension', 'hotdesk', 'maskSensitiveData', 'chanspy', 'voicemail', 'loginInPause'];
/** Every field path the form shows an error beside (the API names them the same way). */
export const AGENT_FORM_FIELDS: readonly string[] = [
  ...ACCOUNT_FIELDS,
  ...TELEPHONY_FIELDS,
  ...NON_VOICE_CHANNELS.map((c) => `capacity.${c}`),
  ...CHANNELS.flatMap((c) => [`autoAnswer.${c}`, `autoAnswer.${c}.enabled`, `autoAnswer.${c}.delaySeconds`]),
];

/** The form's values for a new agent, or for the agent as read (pure). */
export function valuesOf(agent: AgentDetail | null, queueIds: readonly number[] = [], teamIds: readonly number[] = []): AgentValues {
  return {
    fullName: agent?.fullName ?? '',
    alias: agent?.alias ?? '',
    username: agent?.username ?? '',
    password: '',
    email: agent?.email ?? '',
    description: agent?.description ?? '',
    pin: '',
    removePin: false,
    typology: agent?.typology ?? 'phonebar',
    extension: agent?.extension ?? '',
    hotdesk: agent?.hotdesk ?? false,
    maskSensitiveData: agent?.maskSensitiveData ?? false,
    chanspy: agent?.chanspy ?? true,
    voicemail: agent?.voicemail ?? false,
    loginInPause: agent?.loginInPause ?? false,
    disabled: agent?.disabled ?? false,
    locked: agent?.locked ?? false,
    capacity: Object.fromEntries(NON_VOICE_CHANNELS.map((c) => [c, String(agent?.capacity[c] ?? 0)])) as AgentValues['capacity'],
    autoAnswer: Object.fromEntries(
      CHANNELS.map((c) => [c, { enabled: agent?.autoAnswer[c]?.enabled ?? false, delaySeconds: String(agent?.autoAnswer[c]?.delaySeconds ?? 0) }]),
    ) as AgentValues['autoAnswer'],
    queueIds: [...queueIds],
    teamIds: [...teamIds],
  };
}

const orNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());
/** A number when the text is one; the text itself otherwise, for the schema to name the problem. */
const numberOrText = (s: string): number | string => (s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : s);

/** The on/off settings, sent as they stand on both create and edit. */
function switches(v: AgentValues) {
  return { hotdesk: v.hotdesk, maskSensitiveData: v.maskSensitiveData, chanspy: v.chanspy, voicemail: v.voicemail, loginInPause: v.loginInPause, disabled: v.disabled };
}

function channelSettings(v: AgentValues) {
  return {
    capacity: Object.fromEntries(NON_VOICE_CHANNELS.map((c) => [c, numberOrText(v.capacity[c])])),
    // Only the channels switched on or given a delay are sent: the rest keep the default (off).
    autoAnswer: Object.fromEntries(
      CHANNELS.filter((c) => v.autoAnswer[c].enabled || v.autoAnswer[c].delaySeconds.trim() !== '0').map((c) => [
        c,
        { enabled: v.autoAnswer[c].enabled, delaySeconds: numberOrText(v.autoAnswer[c].delaySeconds) },
      ]),
    ),
  };
}

/** POST /api/agents's body from the form (pure); empty optional fields are left out. */
export function createBody(v: AgentValues): Record<string, unknown> {
  return {
    fullName: v.fullName,
    username: v.username.trim(),
    password: v.password,
    ...(orNull(v.alias) === null ? {} : { alias: orNull(v.alias) }),
    ...(orNull(v.email) === null ? {} : { email: orNull(v.email) }),
    ...(orNull(v.description) === null ? {} : { description: v.description }),
    ...(v.pin.trim() === '' ? {} : { pin: v.pin.trim() }),
    typology: v.typology,
    ...(v.extension.trim() === '' ? {} : { extension: v.extension.trim() }),
    ...switches(v),
    ...channelSettings(v),
  };
}

/** PATCH /api/agents/:id's body from the form (pure): every field the form shows, cleared ones as null. */
export function updateBody(v: AgentValues, read: AgentDetail): Record<string, unknown> {
  return {
    fullName: v.fullName,
    alias: orNull(v.alias),
    email: orNull(v.email),
    description: orNull(v.description),
    typology: v.typology,
    extension: v.extension.trim(),
    ...switches(v),
    // Only unlocking is the admin's to do; locking is the login throttle's.
    ...(read.locked && !v.locked ? { locked: false } : {}),
    ...(v.removePin ? { pin: null } : v.pin.trim() !== '' ? { pin: v.pin.trim() } : {}),
    ...channelSettings(v),
  };
}

