// The pure core of the queue engine: who gets an offer, when, and why not. No database, sockets
// or timers; every instant is passed in. See README.md for the contract with the engine shell.
export { RoutingInputError } from './errors.ts';
export * from './types.ts';
export { compileQueue, DEFAULT_RETRY_MS, type CompiledQueue } from './queue-config.ts';
export { eligibility } from './eligibility.ts';
export { decide, decideAcross, decideMany, type AcrossState } from './decide.ts';
export { autoAnswerFor } from './auto-answer.ts';
export { admit, shouldLeave, type Admission } from './admission.ts';
export { emptyConditions, emptyMask } from './empty-policy.ts';
export { compareWaiting } from './waiting-entry.ts';
export { queueReportRow, type PassageEnd, type QueueReportReason, type QueueReportRow, type ReportEntry, type ReportQueue } from './report.ts';
export {
  hotdeskChoices,
  hotdeskCallUserId,
  type HotdeskAgentState,
  type HotdeskChoices,
  type HotdeskExclusion,
  type HotdeskLogin,
  type HotdeskPhone,
} from './hotdesk.ts';
export { reachabilityFromDeviceState } from './device-state.ts';
export { DEFAULT_VOICE_CAPACITY, capacityOf } from './capacity.ts';
