// Listen / whisper / barge on an agent's call, as ARI snoop channels and bridges (the requests and
// their order follow test/fixtures/asterisk/ari-spy-whisper-barge.txt; see spy-mode.ts).
//
// A session: the supervisor's phone is called first (board) or is already on the line (feature
// code, handed to Stasis by the AGI); when its channel enters Stasis(tandem,spy,<session>) it is
// connected in the requested mode:
//   listen/whisper: POST snoop on the agent's channel → POST bridges (spy-<id>) → addChannel(snoop, supervisor)
//   listen↔whisper: DELETE old snoop → POST snoop → addChannel(spy bridge, new snoop)
//   → barge:        removeChannel(spy bridge, supervisor) → addChannel(call bridge, supervisor) → DELETE snoop
//   barge →:        removeChannel(call bridge, supervisor) → POST snoop → addChannel(spy bridge, snoop + supervisor)
// The supervisor stays on the line throughout. Keys 4/5/6 on the supervisor's phone switch mode.
// Teardown (Asterisk tears nothing down for the app, capture part d):
//   agent's channel gone (agent or caller hung up) → DELETE supervisor, DELETE spy bridge (the snoop
//     died with the agent's channel; the call's bridge is the voice queue's);
//   supervisor hung up → DELETE snoop, DELETE spy bridge; the call goes on untouched;
//   stop (API) / Tandem stopping → DELETE supervisor, snoop and spy bridge.
// All ARI work of a session runs one step at a time (a chain), so a key pressed during a switch, or
// a hang-up during setup, acts on a consistent state; the end is queued after the running step.
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logger.ts';
import type { Db } from '../../db/database.ts';
import type { SpyOrigin } from '../../db/schema.ts';
import { users } from '../../db/schema.ts';
import { eq } from 'drizzle-orm';
import type { Principal } from '../../auth/permissions.ts';
import type { AriPort } from '../ari/port.ts';
import type { StasisApp } from '../ari/stasis-app.ts';
import type { AriChannel } from '../ari/models.ts';
import type { AgentCall } from '../voice-queue.ts';
import { modeOfDigit, snoopDirections, type SpyMode } from './spy-mode.ts';
import { SpyRefusal } from './spy-refusal.ts';
import { checkSpyAccess, checkSpyPermission, findSpyTarget, type SpyTarget } from './spy-access.ts';
import { dialTargetOf, supervisorPhoneSchema, type SupervisorPhone } from './supervisor-phone.ts';
import {
  closeSpySession,
  getSpySession,
  markSpyAnswered,
  openSpySession,
  recordRefusedSpy,
  recordSpyMode,
  type NewSpySession,
  type SpySessionView,
  type SpyStatus,
  type SpyVia,
} from './spy-audit.ts';

/** What the board hears about: a session was created, answered, changed mode, or ended. */
export interface SpySessionEvent {
  sessionId: number;
  supervisorId: number;
  agentId: number;
  mode: SpyMode;
  status: SpyStatus;
  origin: SpyOrigin;
  /** Set when status is ended or failed. */
  endReason: string | null;
}

export interface SpyServiceEvents {
  session: [SpySessionEvent];
}

/** Where the agents' calls are (the voice queue). */
export interface AgentCalls {
  callOfAgent(agentId: number): AgentCall | undefined;
}

export interface SpyServiceDeps {
  db: Db;
  ari: AriPort;
  stasis: StasisApp;
  calls: AgentCalls;
  logger: Logger;
  /** How long the supervisor's phone rings (ARI originate timeout). Default 30 s. */
  ringTimeoutSec?: number;
  /** How long a feature-code channel may take to reach Stasis after the AGI hands it over. Default 10 s. */
  stasisWaitSec?: number;
}

/** The first Stasis argument of supervisor legs (`spy,<session>`) and of snoop channels. */
export const SPY_STASIS_ARG = 'spy';
export const SNOOP_STASIS_ARG = 'spy-snoop';
/** How long a new snoop may take to reach Stasis before Tandem tries to bridge it anyway. */
const SNOOP_STASIS_WAIT_MS = 5_000;

interface Live {
  readonly id: number;
  readonly supervisorId: number;
  readonly supervisorName: string;
  readonly agentId: number;
  readonly origin: SpyOrigin;
  readonly call: AgentCall;
  mode: SpyMode;
  answered: boolean;
  supervisorChannelId: string;
  /** Where the supervisor's channel is: nowhere yet, the spy bridge (listen/whisper) or the call's bridge (barge). */
  where: 'none' | 'spy' | 'call';
  spyBridgeId?: string;
  snoopChannelId?: string;
  ended: boolean;
  timer?: NodeJS.Timeout;
  offs: (() => void)[];
  chain: Promise<void>;
}

export interface StartSpyInput {
  agentId: number;
  mode: SpyMode;
  phone?: SupervisorPhone | undefined;
}

export class SpyService extends EventEmitter<SpyServiceEvents> {
  readonly #deps: SpyServiceDeps;
  readonly #sessions = new Map<number, Live>();
  /** Claims taken synchronously before the first await of a start, so two starts cannot both pass the checks. */
  readonly #agentClaims = new Map<number, { supervisorId: number; supervisorName: string; sessionId?: number }>();
  readonly #supervisorClaims = new Map<number, number | undefined>();
  /** Snoops whose StasisStart came (id → true), or that a connection waits for (id → its wake-up). */
  readonly #snoopsInStasis = new Map<string, true | (() => void)>();
  #closed = false;

  constructor(deps: SpyServiceDeps) {
    super();
    this.#deps = deps;
    deps.stasis.on(SPY_STASIS_ARG, (channel, args) => this.#supervisorEntered(channel, Number(args[0])));
    // A snoop joins a bridge only once it is in Stasis: the snoop request answers before that, and
    // an addChannel in between is refused (seen on a loaded Asterisk 22). #snoopInto waits for this.
    deps.stasis.on(SNOOP_STASIS_ARG, (channel) => this.#snoopEntered(channel.id));
    deps.stasis.recoverWith((channel) => this.#recover(channel));
  }

  get #log(): Logger {
    return this.#deps.logger;
  }

  /** Sessions of this node that are calling or active, for a board's first snapshot. */
  liveSessions(): SpySessionEvent[] {
    return [...this.#sessions.values()].map((l) => this.#eventOf(l, l.answered ? 'active' : 'calling', null));
  }

  /** The board's start: the supervisor's phone is called first. */
  async start(principal: Principal, input: StartSpyInput): Promise<SpySessionView> {
    const { db, ari } = this.#deps;
    const target = await this.#target(principal, input.agentId);
    const phone = input.phone ?? (await savedPhone(db, principal.userId));
    const endpoint = phone ? dialTargetOf(phone) : '';
    const audit: NewSpySession = { supervisorId: principal.userId, agentId: target.agentId, origin: 'board', supervisorTarget: endpoint, mode: input.mode, via: 'api' };
    const call = await this.#admit(principal, target, audit, () => {
      if (!phone) throw new SpyRefusal('invalid', 'no-phone', 'phone: none given and none saved for you (PATCH /api/me/phone)', { field: 'phone' });
    });
    let live: Live;
    try {
      const view = await openSpySession(db, { ...audit, entryId: call.entryId, agentChannel: call.agentChannelId });
      live = this.#register(view.id, principal, target.agentId, 'board', input.mode, call, `spy-${view.id}-${randomUUID().slice(0, 8)}`);
    } catch (err) {
      this.#release(principal.userId, target.agentId);
      throw err;
    }
    this.#watchSupervisor(live);
    const ringSec = this.#deps.ringTimeoutSec ?? 30;
    // Asterisk ends an unanswered originate itself (ChannelDestroyed cause 19, ari-queue-bridge.txt);
    // this timer is only the backstop if that event is lost.
    live.timer = setTimeout(() => void this.#end(live, 'failed', 'no-answer', false), (ringSec + 5) * 1000);
    live.timer.unref();
    try {
      await ari.originate({
        endpoint,
        app: ari.app,
        appArgs: `${SPY_STASIS_ARG},${live.id}`,
        timeoutSec: ringSec,
        channelId: live.supervisorChannelId,
        callerId: `"Listen ${target.extension}" <${target.extension}>`,
      });
    } catch (err) {
      // Allocation failed (unknown technology or endpoint), ARI down…: the phone cannot be reached.
      this.#log.warn({ err: String(err), session: live.id }, 'could not call the supervisor');
      await this.#end(live, 'failed', 'unreachable', true);
    }
    return (await getSpySession(db, live.id))!;
  }

  /**
   * The feature code's start: the supervisor is already on the line (the AGI channel), which the
   * AGI hands to Stasis(tandem,spy,<session>) next. Refusals are audited and thrown.
   */
  async startFromFeatureCode(principal: Principal, agentId: number, channel: { id: string; name: string }): Promise<number> {
    const { db } = this.#deps;
    const target = await this.#target(principal, agentId);
    const audit: NewSpySession = { supervisorId: principal.userId, agentId, origin: 'feature-code', supervisorTarget: channel.name, mode: 'listen', via: 'dtmf' };
    const call = await this.#admit(principal, target, audit, () => undefined);
    let live: Live;
    try {
      const view = await openSpySession(db, { ...audit, entryId: call.entryId, agentChannel: call.agentChannelId });
      live = this.#register(view.id, principal, agentId, 'feature-code', 'listen', call, channel.id);
    } catch (err) {
      this.#release(principal.userId, agentId);
      throw err;
    }
    this.#watchSupervisor(live);
    live.timer = setTimeout(() => void this.#end(live, 'failed', 'stasis-unavailable', false), (this.#deps.stasisWaitSec ?? 10) * 1000);
    live.timer.unref();
    return live.id;
  }

  /**
   * The AGI side saw the channel hang up, come back from Stasis, or fail to enter it: whatever is
   * left ends. The channel is the AGI's again (or gone), so it is not hung up from here.
   */
  async endFromFeatureCode(sessionId: number, reason: 'stasis-unavailable' | 'supervisor-hangup'): Promise<void> {
    const live = this.#sessions.get(sessionId);
    if (live) await this.#end(live, live.answered ? 'ended' : 'failed', reason, true);
  }

  async changeMode(principal: Principal, sessionId: number, mode: SpyMode): Promise<SpySessionView> {
    const live = await this.#ownLive(principal, sessionId);
    await this.#run(live, () => this.#switch(live, mode, 'api'));
    return (await getSpySession(this.#deps.db, sessionId))!;
  }

  async stop(principal: Principal, sessionId: number): Promise<SpySessionView> {
    const live = await this.#ownLive(principal, sessionId);
    await this.#end(live, live.answered ? 'ended' : 'failed', 'stopped', false);
    return (await getSpySession(this.#deps.db, sessionId))!;
  }

  /** Tandem stops: every supervisor leg is hung up; the agents' calls are left alone. */
  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#sessions.values()].map((l) => this.#end(l, l.answered ? 'ended' : 'failed', 'tandem-stopped', false)));
  }

  // --- admission --------------------------------------------------------------------------------

  async #target(principal: Principal, agentId: number): Promise<SpyTarget & { chanspy: boolean }> {
    const target = await findSpyTarget(this.#deps.db, agentId);
    if (!target) {
      checkSpyPermission(principal);
      throw new SpyRefusal('not-found', 'no-agent', `Agent ${agentId} not found`);
    }
    return target;
  }

  /** Every check, then the claims; a refusal is written to the audit as a failed session. */
  async #admit(principal: Principal, target: SpyTarget & { chanspy: boolean }, audit: NewSpySession, extra: () => void): Promise<AgentCall> {
    let call: AgentCall | undefined;
    try {
      await checkSpyAccess(this.#deps.db, principal, target);
      extra();
      if (this.#closed || this.#deps.ari.state !== 'up') throw new SpyRefusal('unavailable', 'voice-unavailable', 'Telephony (ARI) is not connected');
      call = this.#deps.calls.callOfAgent(target.agentId);
      if (!call) throw new SpyRefusal('conflict', 'agent-not-on-call', `Agent ${target.username} is not on a call`, { agentId: target.agentId });
      // No await from here to the claims: the checks and the claims are one step.
      const other = this.#agentClaims.get(target.agentId);
      if (other) {
        throw new SpyRefusal('conflict', 'agent-already-spied', `Agent ${target.username} is already being listened to by ${other.supervisorName}`, {
          supervisorId: other.supervisorId,
          ...(other.sessionId ? { sessionId: other.sessionId } : {}),
        });
      }
      if (this.#supervisorClaims.has(principal.userId)) {
        const mine = this.#supervisorClaims.get(principal.userId);
        throw new SpyRefusal('conflict', 'supervisor-busy', 'You are already listening to a call; end that session first', mine ? { sessionId: mine } : {});
      }
      this.#agentClaims.set(target.agentId, { supervisorId: principal.userId, supervisorName: principal.username });
      this.#supervisorClaims.set(principal.userId, undefined);
      return call;
    } catch (err) {
      if (err instanceof SpyRefusal) {
        // The audit names the call even when the refusal came before looking at it.
        call ??= this.#deps.calls.callOfAgent(target.agentId);
        await recordRefusedSpy(this.#deps.db, { ...audit, entryId: call?.entryId ?? null, agentChannel: call?.agentChannelId ?? null }, err.auditReason).catch((e: unknown) =>
          this.#log.error({ err: String(e) }, 'could not audit a refused spy session'),
        );
      }
      throw err;
    }
  }

  #release(supervisorId: number, agentId: number): void {
    this.#agentClaims.delete(agentId);
    this.#supervisorClaims.delete(supervisorId);
  }

  #register(id: number, principal: Principal, agentId: number, origin: SpyOrigin, mode: SpyMode, call: AgentCall, supervisorChannelId: string): Live {
    const live: Live = {
      id,
      supervisorId: principal.userId,
      supervisorName: principal.username,
      agentId,
      origin,
      call,
      mode,
      answered: false,
      supervisorChannelId,
      where: 'none',
      ended: false,
      offs: [],
      chain: Promise.resolve(),
    };
    this.#sessions.set(id, live);
    this.#agentClaims.set(agentId, { supervisorId: principal.userId, supervisorName: principal.username, sessionId: id });
    this.#supervisorClaims.set(principal.userId, id);
    // The agent's channel ends when the agent or the caller hangs up (the voice queue hangs the agent up then).
    live.offs.push(
      this.#deps.ari.onChannel(call.agentChannelId, (event) => {
        if (event.type === 'StasisEnd' || event.type === 'ChannelDestroyed' || event.type === 'connection.channelLost') {
          void this.#end(live, live.answered ? 'ended' : 'failed', 'call-ended', false, true);
        }
      }),
    );
    this.#emit(live, 'calling', null);
    return live;
  }

  #watchSupervisor(live: Live): void {
    live.offs.push(
      this.#deps.ari.onChannel(live.supervisorChannelId, (event) => {
        if (event.type === 'ChannelDtmfReceived') {
          const mode = modeOfDigit(event.digit);
          if (mode) void this.#run(live, () => this.#switch(live, mode, 'dtmf'));
          return;
        }
        if (event.type === 'ChannelDestroyed') {
          // Before the answer: 19 = no answer (captured), 17 = busy; anything else = unreachable.
          const reason = live.answered ? 'supervisor-hangup' : event.cause === 19 ? 'no-answer' : event.cause === 17 ? 'busy' : 'unreachable';
          void this.#end(live, live.answered ? 'ended' : 'failed', reason, true);
          return;
        }
        if (event.type === 'StasisEnd' || event.type === 'connection.channelLost') {
          void this.#end(live, live.answered ? 'ended' : 'failed', live.answered ? 'supervisor-hangup' : 'no-answer', true);
        }
      }),
    );
  }

  async #ownLive(principal: Principal, sessionId: number): Promise<Live> {
    const live = this.#sessions.get(sessionId);
    const view = live ? undefined : await getSpySession(this.#deps.db, sessionId);
    const supervisorId = live?.supervisorId ?? view?.supervisorId;
    if (supervisorId === undefined) throw new SpyRefusal('not-found', 'no-session', `Spy session ${sessionId} not found`);
    if (supervisorId !== principal.userId && principal.role !== 'admin') throw new SpyRefusal('forbidden', 'not-your-session', `Spy session ${sessionId} belongs to another supervisor`);
    if (!live) {
      throw new SpyRefusal('conflict', 'session-ended', `Spy session ${sessionId} has ended${view?.endReason ? ` (${view.endReason})` : ''}`, {
        status: view?.status,
        ...(view?.status === 'calling' || view?.status === 'active' ? { note: 'not handled by this node' } : {}),
      });
    }
    return live;
  }

  // --- the Stasis side --------------------------------------------------------------------------

  async #supervisorEntered(channel: AriChannel, sessionId: number): Promise<void> {
    const live = Number.isInteger(sessionId) ? this.#sessions.get(sessionId) : undefined;
    if (!live || live.ended || live.supervisorChannelId !== channel.id) {
      // Answered after the session ended (call gone, stopped): nothing to connect to.
      await this.#deps.ari.hangup(channel.id).catch(() => undefined);
      return;
    }
    await this.#run(live, () => this.#answered(live));
  }

  async #answered(live: Live): Promise<void> {
    if (live.ended) return;
    clearTimeout(live.timer);
    const now = this.#deps.calls.callOfAgent(live.agentId);
    if (!now || now.agentChannelId !== live.call.agentChannelId) {
      void this.#end(live, 'failed', 'call-ended', false, true);
      return;
    }
    live.answered = true;
    await markSpyAnswered(this.#deps.db, live.id);
    this.#emit(live, 'active', null);
    try {
      if (live.mode === 'barge') await this.#joinCall(live);
      else await this.#snoopInto(live, live.mode);
    } catch (err) {
      this.#log.warn({ err: String(err), session: live.id }, 'connecting the supervisor failed');
      void this.#end(live, 'ended', 'error', false);
    }
  }

  async #switch(live: Live, mode: SpyMode, via: SpyVia): Promise<void> {
    if (live.ended || live.mode === mode) return;
    const from = live.mode;
    live.mode = mode;
    await recordSpyMode(this.#deps.db, live.id, mode, via);
    // Not answered yet: the new mode applies when the supervisor answers.
    if (live.answered) {
      try {
        await this.#move(live, from, mode);
      } catch (err) {
        this.#log.warn({ err: String(err), session: live.id, from, to: mode }, 'switching mode failed');
        void this.#end(live, 'ended', 'error', false);
        return;
      }
    }
    this.#emit(live, live.answered ? 'active' : 'calling', null);
  }

  async #move(live: Live, from: SpyMode, to: SpyMode): Promise<void> {
    const { ari } = this.#deps;
    if (to === 'barge') {
      if (live.spyBridgeId && live.where === 'spy') await ari.removeChannel(live.spyBridgeId, live.supervisorChannelId);
      live.where = 'none';
      await this.#joinCall(live);
      await this.#dropSnoop(live);
      return;
    }
    if (from === 'barge') {
      if (live.where === 'call') await ari.removeChannel(live.call.bridgeId, live.supervisorChannelId);
      live.where = 'none';
    } else {
      await this.#dropSnoop(live);
    }
    await this.#snoopInto(live, to);
  }

  async #joinCall(live: Live): Promise<void> {
    await this.#deps.ari.addChannel(live.call.bridgeId, live.supervisorChannelId);
    live.where = 'call';
  }

  /** A snoop on the agent's channel for listen or whisper, into the spy bridge (made on first use). */
  async #snoopInto(live: Live, mode: Exclude<SpyMode, 'barge'>): Promise<void> {
    const { ari } = this.#deps;
    // One app argument, no comma: the snoop's StasisStart args are [appArgs] (ari-spy-events.jsonl).
    const snoop = await ari.snoop(live.call.agentChannelId, { ...snoopDirections(mode), app: ari.app, appArgs: SNOOP_STASIS_ARG });
    live.snoopChannelId = snoop.id;
    await this.#inStasis(snoop.id);
    if (!live.spyBridgeId) {
      const bridge = await ari.createBridge({ type: 'mixing', name: `spy-${live.id}` });
      live.spyBridgeId = bridge.id;
    }
    if (live.where === 'spy') {
      await ari.addChannel(live.spyBridgeId, snoop.id);
    } else {
      await ari.addChannel(live.spyBridgeId, [snoop.id, live.supervisorChannelId]);
      live.where = 'spy';
    }
  }

  #snoopEntered(channelId: string): void {
    const waiting = this.#snoopsInStasis.get(channelId);
    if (typeof waiting === 'function') {
      this.#snoopsInStasis.delete(channelId);
      waiting();
    } else {
      this.#snoopsInStasis.set(channelId, true);
      // Never waited for (the session ended meanwhile): forgotten, not kept forever.
      setTimeout(() => this.#snoopsInStasis.delete(channelId), SNOOP_STASIS_WAIT_MS).unref();
    }
  }

  /** Until the snoop's StasisStart, at most SNOOP_STASIS_WAIT_MS (then addChannel says what is wrong). */
  async #inStasis(channelId: string): Promise<void> {
    if (this.#snoopsInStasis.get(channelId) === true) {
      this.#snoopsInStasis.delete(channelId);
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.#snoopsInStasis.delete(channelId);
        resolve();
      }, SNOOP_STASIS_WAIT_MS);
      this.#snoopsInStasis.set(channelId, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async #dropSnoop(live: Live): Promise<void> {
    const snoop = live.snoopChannelId;
    live.snoopChannelId = undefined;
    if (snoop) await this.#deps.ari.hangup(snoop).catch((err: unknown) => this.#log.debug({ err: String(err) }, 'snoop already gone'));
  }

  // --- the end ----------------------------------------------------------------------------------

  /** Queues a step of the session's ARI work; failures are logged, never thrown to event handlers. */
  #run(live: Live, step: () => Promise<void>): Promise<void> {
    const next = live.chain.then(step).catch((err: unknown) => this.#log.error({ err: String(err), session: live.id }, 'spy session step failed'));
    live.chain = next;
    return next;
  }

  /**
   * Ends a session once. State and the event go at once; the hang-ups run after the step in
   * progress. Called from inside a step, it must not be awaited (the step would wait on itself).
   */
  #end(live: Live, status: 'ended' | 'failed', reason: string, supervisorGone: boolean, agentGone = false): Promise<void> {
    if (live.ended) return live.chain;
    live.ended = true;
    clearTimeout(live.timer);
    for (const off of live.offs) off();
    this.#sessions.delete(live.id);
    if (this.#agentClaims.get(live.agentId)?.sessionId === live.id) this.#agentClaims.delete(live.agentId);
    if (this.#supervisorClaims.get(live.supervisorId) === live.id) this.#supervisorClaims.delete(live.supervisorId);
    this.#emit(live, status, reason);
    this.#log.info({ session: live.id, status, reason }, 'spy session ended');
    return this.#run(live, async () => {
      const { ari, db } = this.#deps;
      const ignore = () => undefined;
      if (!supervisorGone) await ari.hangup(live.supervisorChannelId).catch(ignore);
      // A snoop ends by itself with the agent's channel (capture: GET → 404 ~15 ms later).
      if (live.snoopChannelId && !agentGone) await ari.hangup(live.snoopChannelId).catch(ignore);
      if (live.spyBridgeId) await ari.destroyBridge(live.spyBridgeId).catch(ignore);
      await closeSpySession(db, live.id, status, reason);
    });
  }

  /** After a reconnect: our channels stay ours; spy legs and snoops nobody owns (Tandem restarted) are hung up. */
  #recover(channel: AriChannel): boolean {
    for (const l of this.#sessions.values()) if (l.supervisorChannelId === channel.id || l.snoopChannelId === channel.id) return true;
    const args = channel.dialplan.app_name === 'Stasis' ? (channel.dialplan.app_data ?? '').split(',') : [];
    if (args[1] === SPY_STASIS_ARG || args[1] === SNOOP_STASIS_ARG) {
      this.#log.info({ channel: channel.id }, 'hanging up a spy channel left over from before a restart');
      void this.#deps.ari.hangup(channel.id).catch(() => undefined);
      // The supervisor's leg names its session: its audit row must not stay calling/active for ever.
      if (args[1] === SPY_STASIS_ARG && Number.isInteger(Number(args[2]))) void this.#closeOrphan(Number(args[2]));
      return true;
    }
    return false;
  }

  /** A session of this node's previous life (Tandem restarted while a supervisor was connected). */
  async #closeOrphan(sessionId: number): Promise<void> {
    if (this.#sessions.has(sessionId)) return;
    try {
      const row = await closeSpySession(this.#deps.db, sessionId, 'ended', 'tandem-restarted');
      if (!row) return;
      this.emit('session', { sessionId, supervisorId: row.supervisorId, agentId: row.agentId, mode: row.mode, status: 'ended', origin: row.origin, endReason: 'tandem-restarted' });
    } catch (err) {
      this.#log.warn({ err: String(err), session: sessionId }, 'could not close a spy session left over from before a restart');
    }
  }

  #eventOf(live: Live, status: SpyStatus, endReason: string | null): SpySessionEvent {
    return { sessionId: live.id, supervisorId: live.supervisorId, agentId: live.agentId, mode: live.mode, status, origin: live.origin, endReason };
  }

  #emit(live: Live, status: SpyStatus, endReason: string | null): void {
    try {
      this.emit('session', this.#eventOf(live, status, endReason));
    } catch (err) {
      this.#log.error({ err: String(err) }, 'a spy session listener threw');
    }
  }
}

async function savedPhone(db: Db, userId: number): Promise<SupervisorPhone | undefined> {
  const [row] = await db.select({ phone: users.phone }).from(users).where(eq(users.id, userId));
  const parsed = supervisorPhoneSchema.safeParse(row?.phone);
  return parsed.success ? parsed.data : undefined;
}
