import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { exitsFor } from '../../flows/catalogue.ts';
import type { RunResult, TraceEntry } from '../../flows/interpreter.ts';
import { loadProject } from '../../flows/project/load.ts';
import type { ChannelKind, Project, ProjectInput } from '../../flows/project/schema.ts';
import { simulate, type Simulation, type SimulationOptions } from '../../flows/testing/simulate.ts';

export type BlockInput = ProjectInput['blocks'][string];

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ProjectOptions {
  readonly channel?: ChannelKind;
  readonly variables?: ProjectInput['variables'];
  readonly entry?: string;
  readonly id?: string;
}

/** A project from blocks; `start` must be among them unless `entry` says otherwise. */
export function makeProject(blocks: Record<string, BlockInput>, options: ProjectOptions = {}): Project {
  return loadProject({
    schemaVersion: 2,
    id: options.id ?? 'test-project',
    name: 'Test project',
    channel: options.channel ?? 'voice',
    entry: options.entry ?? 'start',
    blocks,
    ...(options.variables === undefined ? {} : { variables: options.variables }),
  });
}

export interface BlockUnderTest {
  readonly type: string;
  readonly params?: Record<string, unknown>;
  /** Exits left unwired (the rest lead to an End block named `out_<exit>`). */
  readonly unwired?: readonly string[];
  readonly channel?: ChannelKind;
  readonly variables?: ProjectInput['variables'];
  /** Extra blocks, e.g. a Finally branch. */
  readonly extra?: Record<string, BlockInput>;
}

/** Start → `x` (the block under test) → one End per exit, so the trace tells which exit was taken. */
export function blockProject(spec: BlockUnderTest): Project {
  const exits = exitsFor(spec.type, spec.params ?? {});
  if (exits === null) throw new Error(`params of ${spec.type} are invalid in the test itself`);
  const blocks: Record<string, BlockInput> = {
    start: { type: 'Start', exits: { next: 'x' } },
    x: { type: spec.type, params: spec.params ?? {}, exits: {} },
    ...spec.extra,
  };
  const wiring: Record<string, string | null> = {};
  for (const exit of exits) {
    if (spec.unwired?.includes(exit)) continue;
    const id = `out_${exit.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0)}`)}`;
    wiring[exit] = id;
    blocks[id] = { type: 'End' };
  }
  blocks['x'] = { ...blocks['x']!, exits: wiring };
  return makeProject(blocks, {
    ...(spec.channel === undefined ? {} : { channel: spec.channel }),
    ...(spec.variables === undefined ? {} : { variables: spec.variables }),
  });
}

export async function runBlock(spec: BlockUnderTest, options: SimulationOptions = {}): Promise<Simulation & { exit: string | null; entry: TraceEntry | undefined }> {
  const simulation = await simulate(blockProject(spec), options);
  const entries = simulation.result.trace.filter((e) => e.blockId === 'x');
  const entry = entries[entries.length - 1];
  return { ...simulation, exit: entry?.exit ?? null, entry };
}

export function traceIds(result: RunResult): string[] {
  return result.trace.map((e) => e.blockId);
}

export function ops(simulation: Simulation, op?: string): Array<Readonly<Record<string, unknown>>> {
  return simulation.call.ops.filter((o) => op === undefined || o.op === op).map((o) => o.detail);
}
