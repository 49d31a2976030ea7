import type { Value } from '../expression/index.ts';
import type { CallPort } from '../call-port.ts';
import type { CompiledProject } from '../compile.ts';

/** Names every template can use without a round trip: Cally Square / Asterisk spellings and ours. */
export function builtinVariables(call: CallPort, compiled: CompiledProject): ReadonlyMap<string, Value> {
  const info = call.info;
  const map = new Map<string, Value>();
  for (const [name, value] of Object.entries(info.variables)) map.set(name, value);
  map.set('CALLERID(num)', info.callerNumber);
  map.set('CALLERID(name)', info.callerName);
  map.set('CALLERID(dnid)', info.dialed);
  map.set('CALLER_NUMBER', info.callerNumber);
  map.set('CALLER_NAME', info.callerName);
  map.set('DIALED_NUMBER', info.dialed);
  map.set('UNIQUEID', info.callId);
  map.set('CALL_ID', info.callId);
  map.set('CHANNEL_KIND', info.channel);
  map.set('PROJECT_ID', compiled.project.id);
  map.set('PROJECT_NAME', compiled.project.name);
  return map;
}

/** Names every template can use without declaring them (for the validator). */
export const BUILTIN_VARIABLE_NAMES: ReadonlySet<string> = new Set([
  'CALLERID(num)',
  'CALLERID(name)',
  'CALLERID(dnid)',
  'CALLER_NUMBER',
  'CALLER_NAME',
  'DIALED_NUMBER',
  'UNIQUEID',
  'CALL_ID',
  'CHANNEL_KIND',
  'PROJECT_ID',
  'PROJECT_NAME',
  'NOW',
]);

export async function fetchChannelVariables(call: CallPort, names: readonly string[], signal: AbortSignal): Promise<ReadonlyMap<string, Value>> {
  const out = new Map<string, Value>();
  for (const name of names) {
    const value = await call.getVariable(name, signal);
    if (value !== undefined) out.set(name, value);
  }
  return out;
}
