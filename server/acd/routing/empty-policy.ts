// joinEmpty / leaveWhenEmpty: when is a queue "empty"? Asterisk's semantics (apps/app_queue.c,
// parse_empty_options and get_member_status), translated to Tandem's model.
//
// A policy is a set of conditions; a queue is empty when no member is PRESENT, and a member is
// present when it is logged in and none of the policy's conditions holds for it:
//   paused       paused on the queue's channel
//   inuse        cannot take more now: at the tab limit, at capacity, or (voice) device in use
//   ringing      an offer is pending on the channel, or (voice) the device is ringing
//   unavailable  (voice) device not registered            — Asterisk AST_DEVICE_UNAVAILABLE
//   invalid      (voice) device does not exist            — Asterisk AST_DEVICE_INVALID
//   unknown      (voice) device state unknown             — Asterisk AST_DEVICE_UNKNOWN
//   wrapup       in wrap-up on the channel
// Device conditions never hold on other channels (an e-mail agent has no phone to be unregistered).
// A logged-out agent is never present: in Asterisk a dynamic member who logs out leaves the queue.
//
// Asterisk's keywords, as parse_empty_options expands them:
//   joinEmpty      'yes' → {} (always join)          'no' → {penalty, invalid, paused}
//   leaveWhenEmpty 'no'  → {} (never leave)          'yes' → {penalty, invalid, paused}
//   both           'strict' → {penalty, invalid, paused, unavailable}   'loose' → {penalty, invalid}
// (yes/no mean opposite things for the two options, as in Asterisk.) Asterisk's `penalty` condition
// is about a caller's QUEUE_MAX_PENALTY/QUEUE_MIN_PENALTY window; Tandem has no per-caller penalty
// window, so that part of the keywords has nothing to act on and is dropped.
import type { EmptyCondition, EmptyPolicy } from './types.ts';

export const EMPTY_BIT: Readonly<Record<EmptyCondition, number>> = {
  paused: 1,
  inuse: 2,
  ringing: 4,
  unavailable: 8,
  invalid: 16,
  unknown: 32,
  wrapup: 64,
};

const { paused, invalid, unavailable } = EMPTY_BIT;

/** The condition bit mask of a policy; 0 = the check is off. */
export function emptyMask(policy: EmptyPolicy, option: 'joinEmpty' | 'leaveWhenEmpty'): number {
  if (typeof policy !== 'string') return policy.reduce((mask, c) => mask | EMPTY_BIT[c], 0);
  switch (policy) {
    case 'strict':
      return invalid | paused | unavailable;
    case 'loose':
      return invalid;
    case 'yes':
      return option === 'joinEmpty' ? 0 : invalid | paused;
    case 'no':
      return option === 'joinEmpty' ? invalid | paused : 0;
  }
}

/** The conditions of a mask, for messages and the README's examples. */
export function emptyConditions(mask: number): EmptyCondition[] {
  return (Object.keys(EMPTY_BIT) as EmptyCondition[]).filter((c) => (mask & EMPTY_BIT[c]) !== 0);
}
