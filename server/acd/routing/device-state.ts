// Asterisk device states → what routing needs to know about a voice device.
//
// AMI reports them as `State:` of `DeviceStateChange` events, live and in answer to
// `DeviceStateList` (test/fixtures/asterisk/ami-session.txt shows INUSE, NOT_INUSE, and INVALID
// for Local/999@ami-test, an extension that does not exist; ami-actions.txt shows RINGING); ARI's `GET /deviceStates` uses the same names. The full set is
// Asterisk's `ast_device_state` (main/devicestate.c, devstatestring): UNKNOWN, NOT_INUSE, INUSE,
// BUSY, INVALID, UNAVAILABLE, RINGING, RINGINUSE, ONHOLD.
import type { DeviceReachability } from './types.ts';

const BY_ASTERISK_STATE: Readonly<Record<string, DeviceReachability>> = {
  NOT_INUSE: 'registered',
  INUSE: 'inuse',
  BUSY: 'inuse',
  ONHOLD: 'inuse',
  RINGING: 'ringing',
  RINGINUSE: 'ringing',
  UNAVAILABLE: 'unavailable',
  INVALID: 'invalid',
  UNKNOWN: 'unknown',
};

/**
 * Maps an Asterisk device state name (case-insensitive, surrounding blanks ignored) to a
 * reachability. A name this Asterisk version does not have becomes 'unknown' rather than an
 * error: presence is a live feed, and Asterisk itself still rings members whose state is unknown.
 */
export function reachabilityFromDeviceState(state: string): DeviceReachability {
  return BY_ASTERISK_STATE[state.trim().toUpperCase()] ?? 'unknown';
}

/**
 * A device that cannot ring at all: not registered (UNAVAILABLE) or not a device (INVALID).
 * 'unknown' is NOT unreachable: Asterisk rings such members (app_queue's member_status_available
 * accepts AST_DEVICE_UNKNOWN), and remote agents reached through Local channels report nothing else.
 */
export function isUnreachable(device: DeviceReachability): boolean {
  return device === 'unavailable' || device === 'invalid';
}

/** The device is busy with something (a call, a ring) — blocks voice offers unless ring-in-use. */
export function isOccupied(device: DeviceReachability): boolean {
  return device === 'inuse' || device === 'ringing';
}
