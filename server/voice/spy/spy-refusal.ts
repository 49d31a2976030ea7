// Why a spy session cannot start or change. One class for the service, the REST routes (a domain
// error: `kind` picks its code, the error middleware maps it like any other) and the feature code
// (which plays a short prompt); `reason` is the stable code clients and the audit rows (end_reason of
// a failed session) carry.
import { DomainError, type DomainErrorCode, type ErrorDetails } from '../../errors.ts';

export type SpyRefusalKind = 'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'unavailable';

export type SpyRefusalReason =
  | 'no-phone' // no phone given and none saved for the supervisor
  | 'no-permission' // not admin, and no chanspy read-edit
  | 'out-of-scope' // the agent is in none of the supervisor's queues (audited only: answered as no-agent)
  | 'agent-not-spyable' // the agent's chanspy flag is off
  | 'not-your-session'
  | 'no-agent'
  | 'no-session'
  | 'self' // a user cannot spy on their own calls
  | 'agent-not-on-call'
  | 'agent-already-spied' // another supervisor is on this agent already
  | 'supervisor-busy' // this supervisor already has a session
  | 'session-ended'
  | 'voice-unavailable'; // ARI not configured or not connected

const CODE_OF: Record<SpyRefusalKind, DomainErrorCode> = {
  invalid: 'validation',
  forbidden: 'forbidden',
  'not-found': 'not_found',
  conflict: 'conflict',
  unavailable: 'voice_unavailable',
};

/** What a client is told: the reason, the refusal's own details, and the field it names if any. */
function refusalDetails(reason: SpyRefusalReason, message: string, details: Readonly<Record<string, unknown>>): ErrorDetails {
  const field = typeof details['field'] === 'string' ? details['field'] : undefined;
  return { reason, ...details, ...(field ? { fields: [{ field, message }] } : {}) };
}

export class SpyRefusal extends DomainError {
  constructor(
    readonly kind: SpyRefusalKind,
    readonly reason: SpyRefusalReason,
    message: string,
    details: Readonly<Record<string, unknown>> = {},
    /** What the audit row records when it must say more than the answer does (an out-of-scope agent answers as an unknown one). */
    readonly auditReason: SpyRefusalReason = reason,
  ) {
    super(CODE_OF[kind], message, refusalDetails(reason, message, details));
    this.name = 'SpyRefusal';
  }
}
