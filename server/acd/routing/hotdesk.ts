// Hot-desking: an external agent picks, at login, the telephone of the desk they sit at.
// XCALLY's hot-desk rules: only for agents of the external typology whose account has hot-desking
// enabled by an administrator. At login such an agent picks one of the registered telephones; a
// telephone is left out when another agent is using it, when it is still marked busy because an
// agent did not log out properly, or when it is not registered in Asterisk. When no telephone is
// connected at all, every telephone is offered. And whose id a call's report row carries: the
// agent's when the agent disposed of the call from the desktop, otherwise the telephone's.
//
// Precisely:
// - in use by another agent: another agent who is logged in holds the phone (its `heldBy`, or that
//   agent's `hotdeskPhoneId`);
// - stuck busy: the phone is still held by another agent who is NOT logged in any more (the hold was
//   never released because that agent did not log out). A phone held by the agent who is logging in
//   is theirs to take back — that is how an agent who lost their session recovers their desk;
// - registered: Asterisk reports the phone NOT_INUSE, INUSE/BUSY/ONHOLD or RINGING/RINGINUSE
//   (device-state.ts); 'unavailable', 'invalid' and 'unknown' are not registered;
// - "no telephones connected" = not one of the phones is registered (e.g. Asterisk unreachable, or
//   the phones not set up yet): then every phone is listed, exactly as XCALLY does.
import { RoutingInputError } from './errors.ts';
import type { AgentId, AgentTypology, DeviceReachability, PhoneId } from './types.ts';

export interface HotdeskPhone {
  readonly id: PhoneId;
  readonly name: string;
  /** Asterisk's state of this phone's endpoint (device-state.ts). */
  readonly device: DeviceReachability;
  /** The agent whose login took this phone; the shell clears it at logout. Absent/null = free. */
  readonly heldBy?: AgentId | null;
}

/** What the rules need of every agent (an AgentSnapshot fits). */
export interface HotdeskAgentState {
  readonly id: AgentId;
  readonly loggedIn: boolean;
  readonly hotdeskPhoneId?: PhoneId | null;
}

/** The agent who is logging in. */
export interface HotdeskLogin {
  readonly id: AgentId;
  readonly typology: AgentTypology;
  readonly hotdesk: boolean;
}

export type HotdeskExclusion = 'used-by-another-agent' | 'stuck-busy' | 'not-registered';

export interface HotdeskChoices {
  /** The phones to list, in the order given. */
  readonly phones: HotdeskPhone[];
  /** True when not one phone is registered, so every phone is listed. */
  readonly noneRegistered: boolean;
  /** Phones left out and why (the first rule that applies, in the order above); empty when noneRegistered. */
  readonly excluded: { readonly phoneId: PhoneId; readonly reason: HotdeskExclusion; readonly agentId: AgentId | null }[];
}

const REGISTERED: ReadonlySet<DeviceReachability> = new Set<DeviceReachability>(['registered', 'inuse', 'ringing']);

/** Is the phone registered in Asterisk? */
export function isRegistered(phone: HotdeskPhone): boolean {
  return REGISTERED.has(phone.device);
}

/** The telephones `login` may pick. Throws if `login` is not a hot-desk external agent. */
export function hotdeskChoices(phones: readonly HotdeskPhone[], agents: Iterable<HotdeskAgentState>, login: HotdeskLogin): HotdeskChoices {
  if (login.typology !== 'external') throw new RoutingInputError(`agent ${login.id}.typology`, `is ${login.typology}; hot-desking is only for agents of typology external`);
  if (!login.hotdesk) throw new RoutingInputError(`agent ${login.id}.hotdesk`, 'hot-desking is not enabled for this agent');
  const ids = new Set<PhoneId>();
  for (const p of phones) {
    if (ids.has(p.id)) throw new RoutingInputError(`phones`, `phone ${p.id} is listed twice`);
    ids.add(p.id);
  }

  if (!phones.some(isRegistered)) return { phones: [...phones], noneRegistered: true, excluded: [] };

  const loggedIn = new Map<AgentId, boolean>();
  // Other agents' claims on each phone: logged in → in use; logged out → a hold left behind.
  const inUseBy = new Map<PhoneId, AgentId>();
  const staleBy = new Map<PhoneId, AgentId>();
  for (const a of agents) {
    loggedIn.set(a.id, a.loggedIn);
    if (a.id === login.id || a.hotdeskPhoneId === undefined || a.hotdeskPhoneId === null) continue;
    (a.loggedIn ? inUseBy : staleBy).set(a.hotdeskPhoneId, a.id);
  }

  const listed: HotdeskPhone[] = [];
  const excluded: HotdeskChoices['excluded'][number][] = [];
  for (const phone of phones) {
    const holder = phone.heldBy ?? null;
    const otherHolder = holder !== null && holder !== login.id ? holder : null;
    const user = inUseBy.get(phone.id) ?? (otherHolder !== null && loggedIn.get(otherHolder) === true ? otherHolder : undefined);
    if (user !== undefined) {
      excluded.push({ phoneId: phone.id, reason: 'used-by-another-agent', agentId: user });
      continue;
    }
    const stale = otherHolder ?? staleBy.get(phone.id);
    if (stale !== undefined) {
      excluded.push({ phoneId: phone.id, reason: 'stuck-busy', agentId: stale });
      continue;
    }
    if (!isRegistered(phone)) {
      excluded.push({ phoneId: phone.id, reason: 'not-registered', agentId: null });
      continue;
    }
    listed.push(phone);
  }
  return { phones: listed, noneRegistered: false, excluded };
}

/**
 * The user id a hot-desk call's report row carries (XCALLY's call report rule): the agent's
 * when the agent disposed of the call from the desktop, otherwise the telephone's — so an agent
 * who does not dispose their calls does not see them in their Voice Calls section.
 */
export function hotdeskCallUserId(call: { readonly agentId: AgentId; readonly phoneId: PhoneId; readonly disposedFromDesktop: boolean }): number {
  return call.disposedFromDesktop ? call.agentId : call.phoneId;
}
