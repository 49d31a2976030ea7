// What Tandem does with a call Asterisk hands over by FastAGI: find the route, run the published
// IVR project on the call, keep the record. Transport (AgiSession) stays in voice/agi; routing and
// flow running live here, so the same logic serves the inbound and internal contexts.
import { setMaxListeners } from 'node:events';
import type { Db } from '../db/database.ts';
import type { Logger } from '../logger.ts';
import type { RouteKind } from '../db/schema.ts';
import type { Services } from '../../flows/services.ts';
import { compileProject, type CompiledProject } from '../../flows/compile.ts';
import { runProject, type RunResult } from '../../flows/interpreter.ts';
import type { AgiSession } from './agi/agi-session.ts';
import type { AgiHandler } from './agi/fastagi-server.ts';
import { AgiCall, type AgiCallDeps } from './agi/agi-call.ts';
import { listRoutes, matchRoute, outboundNumber, getTrunk, type RouteRow } from './routes.ts';
import { closeCallRecord, openCallRecord } from './call-records.ts';
import { getVersion } from '../ivr/projects.ts';

export interface CallHandlerDeps {
  db: Db;
  logger: Logger;
  services: Services;
  call?: AgiCallDeps;
  now?: () => number;
  /** Aborted when the node stops: running flows end with `stopped`, the dialplan takes over. */
  shutdown?: AbortSignal;
  /** Feature codes dialled on internal phones (server/voice/feature-codes), tried before route matching; true = handled. */
  featureCode?: (session: AgiSession, dialed: string) => Promise<boolean>;
}

/** Result left on the channel for the dialplan (asterisk/extensions_tandem.conf reads it). */
export const STATUS_VARIABLE = 'TANDEM_STATUS';

/** Compiled projects by id@version: published versions never change, so they compile once. */
class CompiledCache {
  #map = new Map<string, CompiledProject>();
  constructor(private readonly max = 256) {}
  get(key: string, make: () => CompiledProject): CompiledProject {
    let hit = this.#map.get(key);
    if (hit) {
      this.#map.delete(key);
      this.#map.set(key, hit);
      return hit;
    }
    hit = make();
    this.#map.set(key, hit);
    if (this.#map.size > this.max) this.#map.delete(this.#map.keys().next().value!);
    return hit;
  }
}

/** The number the route is matched on: the first AGI argument (the dialplan passes ${EXTEN}), else the DNID. */
export function dialedNumber(session: AgiSession): string {
  const env = session.env;
  const arg = env.args[0];
  if (arg) return arg;
  return env.dnid && env.dnid !== 'unknown' ? env.dnid : env.extension;
}

/**
 * Leaves TANDEM_STATUS for the dialplan. When the node is stopping, a blocking command (a menu
 * waiting for a key, a prompt) may still run on Asterisk, and AGI takes one command at a time: the
 * status would only be written once it ends, or when the server's grace period closes the socket,
 * the caller in silence meanwhile (seen on a real Asterisk 22). So on `STOPPED` the session is
 * closed at once if the status does not go through quickly: Asterisk interrupts the command when
 * the socket closes and the dialplan falls back as it does for any missing status.
 */
async function leaveStatus(session: AgiSession, status: string): Promise<void> {
  const written = session.setVariable(STATUS_VARIABLE, status).then(
    () => true,
    () => false,
  );
  if (status !== 'STOPPED') {
    await written;
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const quick = await Promise.race([written, new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), 250)))]);
  clearTimeout(timer);
  if (!quick) await session.close().catch(() => undefined);
}

/**
 * The caller's number: the dialplan's second AGI argument (${CALLERID(num)}), unless the number held
 * a comma. AGI() splits its arguments at commas and the carrier chooses the number, so "55,66" arrives
 * as the arguments "55" and "66" (seen on a real Asterisk 22); Asterisk's own agi_callerid is never
 * split, and is the same value at that moment.
 */
export function callerNumberOf(session: AgiSession, call: AgiCall): string {
  const args = session.env.args;
  return args.length === 2 ? args[1]! : call.info.callerNumber;
}

/**
 * For an AGI request to a path Tandem does not serve (a dialplan typo, an old script name): the
 * caller goes to the backup destination like a number without a route (TANDEM_STATUS=NOROUTE),
 * rather than through the "Tandem is away" fallback message, and the path is logged so the
 * administrator can find the dialplan line.
 */
export function unroutedCallHandler(logger: Logger): AgiHandler {
  return async (session) => {
    logger.warn({ agiCall: session.id, script: session.env.script.raw, channel: session.env.channel }, 'no FastAGI route for this request path; sending the call to the backup destination');
    await session.setVariable(STATUS_VARIABLE, 'NOROUTE');
  };
}

export function createCallHandlers(deps: CallHandlerDeps): Record<RouteKind, AgiHandler> {
  // Every flow running on a call listens to the node's shutdown signal until the call ends: one
  // listener per call in progress is the design, not a leak (Node warns past 10 without this).
  if (deps.shutdown) setMaxListeners(0, deps.shutdown);
  const cache = new CompiledCache();
  const now = deps.now ?? Date.now;

  async function runFlow(session: AgiSession, kind: 'inbound' | 'internal'): Promise<void> {
    const env = session.env;
    const number = dialedNumber(session);
    const call = new AgiCall(session, {
      ...deps.call,
      onPromptFailed: (prompt, played) => deps.logger.warn({ call: env.uniqueId, prompt, played }, 'Asterisk could not play a prompt (no such sound, or its URL did not answer): the caller heard silence'),
    });
    const recordId = await openCallRecord(deps.db, {
      uniqueId: env.uniqueId,
      channelName: env.channel,
      direction: kind,
      callerNumber: callerNumberOf(session, call),
      callerName: call.info.callerName,
      did: number,
      startedAt: new Date(now()),
    });
    const log = deps.logger.child({ call: env.uniqueId, record: recordId, kind, number });
    let route: RouteRow | undefined;
    try {
      route = matchRoute(await listRoutes(deps.db, kind), kind, number, now());
      if (!route?.projectId) {
        log.info('no route matches');
        await session.setVariable(STATUS_VARIABLE, 'NOROUTE').catch(() => undefined);
        await closeCallRecord(deps.db, recordId, { endedAt: new Date(now()), outcome: 'no-route', reason: `no ${kind} route matches ${number}` });
        return;
      }
      let version;
      try {
        version = await getVersion(deps.db, route.projectId, 'latest');
      } catch {
        log.warn({ project: route.projectId }, 'route points to a project with no published version');
        await session.setVariable(STATUS_VARIABLE, 'NOVERSION').catch(() => undefined);
        await closeCallRecord(deps.db, recordId, { routeId: route.id, projectId: route.projectId, endedAt: new Date(now()), outcome: 'no-version', reason: 'the project has no published version' });
        return;
      }
      const compiled = cache.get(`${version.projectId}@${version.version}`, () => compileProject(version.project));
      const result: RunResult = await runProject(compiled, call, {
        services: deps.services,
        ...(deps.shutdown ? { signal: deps.shutdown } : {}),
        resolveProject: async (ref) => (await getVersion(deps.db, ref, 'latest').catch(() => undefined))?.project,
      });
      log.info({ outcome: result.outcome, code: result.code, steps: result.steps }, 'flow ended');
      if (!call.hungUp) await leaveStatus(session, result.outcome === 'completed' ? 'DONE' : result.outcome.toUpperCase());
      await closeCallRecord(deps.db, recordId, {
        routeId: route.id,
        projectId: version.projectId,
        projectVersion: version.version,
        answeredAt: call.answeredAt === undefined ? null : new Date(call.answeredAt),
        endedAt: new Date(now()),
        outcome: result.outcome,
        reason: result.reason,
        agentId: /^[1-9][0-9]*$/.test(String(result.variables.QUEUE_AGENT ?? '')) ? Number(result.variables.QUEUE_AGENT) : null,
        steps: result.steps + (result.finally?.steps ?? 0),
        trace: [...result.trace],
        variables: { ...result.variables },
      });
    } catch (err) {
      log.error({ err }, 'call handling failed');
      await closeCallRecord(deps.db, recordId, {
        routeId: route?.id ?? null,
        endedAt: new Date(now()),
        outcome: 'error',
        reason: err instanceof Error ? err.message : String(err),
      }).catch(() => undefined);
    }
  }

  /** Outbound: no IVR, the route picks the trunk, the digits and the caller id, and Tandem dials. */
  async function outbound(session: AgiSession): Promise<void> {
    const env = session.env;
    const number = dialedNumber(session);
    const call = new AgiCall(session, deps.call);
    const recordId = await openCallRecord(deps.db, {
      uniqueId: env.uniqueId,
      channelName: env.channel,
      direction: 'outbound',
      callerNumber: callerNumberOf(session, call),
      callerName: call.info.callerName,
      did: number,
      startedAt: new Date(now()),
    });
    try {
      const route = matchRoute(await listRoutes(deps.db, 'outbound'), 'outbound', number, now());
      if (!route?.trunkId) {
        await session.setVariable(STATUS_VARIABLE, 'NOROUTE').catch(() => undefined);
        await closeCallRecord(deps.db, recordId, { endedAt: new Date(now()), outcome: 'no-route', reason: `no outbound route matches ${number}` });
        return;
      }
      const trunk = await getTrunk(deps.db, route.trunkId);
      const callerId = route.callerId ?? trunk.callerId ?? undefined;
      const controller = new AbortController();
      // The agent is the calling party: T and H let them use the transfer and disconnect codes
      // (featureCodes), never the called party, whom nobody vouches for.
      const result = await call.dial(
        { kind: 'external', destination: outboundNumber(route, number), trunk: trunk.endpoint, ...(callerId ? { callerId } : {}), timeoutMs: 60_000, options: 'TH' },
        deps.shutdown ? AbortSignal.any([controller.signal, deps.shutdown]) : controller.signal,
      );
      // The dialplan reads DIALSTATUS for the cause; DONE tells it Tandem handled the call.
      if (!call.hungUp) await session.setVariable(STATUS_VARIABLE, 'DONE').catch(() => undefined);
      const answeredAt = result.status === 'answered' && call.answeredAt !== undefined ? new Date(call.answeredAt) : null;
      await closeCallRecord(deps.db, recordId, { routeId: route.id, endedAt: new Date(now()), outcome: result.status, answeredAt });
    } catch (err) {
      await closeCallRecord(deps.db, recordId, { endedAt: new Date(now()), outcome: 'error', reason: err instanceof Error ? err.message : String(err) }).catch(() => undefined);
    }
  }

  return {
    inbound: (session) => runFlow(session, 'inbound'),
    internal: async (session) => {
      if (deps.featureCode && (await deps.featureCode(session, dialedNumber(session)))) return;
      await runFlow(session, 'internal');
    },
    outbound,
  };
}
