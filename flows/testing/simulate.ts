import type { Value } from '../expression/index.ts';
import type { CompiledProject } from '../compile.ts';
import { runProject, type RunLimits, type RunResult } from '../interpreter.ts';
import type { Project } from '../project/schema.ts';
import { createMemoryServices, type MemoryServices, type MemoryServicesOptions } from './memory-services.ts';
import { ScriptedCall, type ScriptedCallOptions } from './scripted-call.ts';
import { VirtualClock } from './virtual-clock.ts';

export interface SimulationOptions {
  /** Virtual start time (default Monday 2026-01-05 09:00 UTC). */
  readonly now?: number | Date;
  readonly call?: Omit<ScriptedCallOptions, 'clock' | 'channel'>;
  readonly services?: Omit<MemoryServicesOptions, 'clock'>;
  readonly variables?: Readonly<Record<string, Value>>;
  readonly limits?: Partial<RunLimits>;
  readonly projects?: Readonly<Record<string, Project | CompiledProject>>;
  readonly signal?: AbortSignal;
}

export interface Simulation {
  readonly result: RunResult;
  readonly call: ScriptedCall;
  readonly services: MemoryServices;
  readonly clock: VirtualClock;
}

/**
 * Runs a project against a scripted caller and in-memory services in virtual time: the one-liner
 * behind the CLI, the example tests and the designer's simulator.
 */
export async function simulate(project: Project | CompiledProject, options: SimulationOptions = {}): Promise<Simulation> {
  const clock = new VirtualClock(options.now);
  const channel = 'compiled' in project ? project.project.channel : project.channel;
  const call = new ScriptedCall({ ...options.call, clock, channel });
  const services = createMemoryServices({ ...options.services, clock });
  const projects = options.projects ?? {};
  const result = await runProject(project, call, {
    clock,
    services: services.services,
    observer: call.observer,
    ...(options.variables === undefined ? {} : { variables: options.variables }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    resolveProject: async (ref) => (Object.hasOwn(projects, ref) ? projects[ref] : undefined),
  });
  return { result, call, services, clock };
}
