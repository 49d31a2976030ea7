// What a call record's trace says about its path through the project it ran (pure): the steps in
// order with the time spent in each, the blocks it went through and the wires it followed.
import type { Project } from '../../../../flows/index.ts';
import { edgeId } from '../../editor/model/editor-state.ts';

/** The part of a trace entry (flows/runtime/trace.ts) the path view reads; anything else is ignored. */
export interface TraceStep {
  readonly step: number;
  readonly blockId: string;
  readonly type: string;
  readonly exit: string | null;
  /** Milliseconds since the run started, and spent in the block; null when the trace has no times. */
  readonly startedAt: number | null;
  readonly durationMs: number | null;
}

export interface CallPath {
  readonly steps: readonly TraceStep[];
  readonly visited: ReadonlySet<string>;
  readonly edges: ReadonlySet<string>;
  /** Whether any step carries times (older records may not). */
  readonly timed: boolean;
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/**
 * Reads the trace of the top-level run (depth 0: a subflow's blocks belong to another project and
 * are not on this canvas). Entries that are not objects with a block id are skipped.
 */
export function callPathOf(trace: readonly unknown[], doc: Pick<Project, 'blocks'> | null): CallPath {
  const steps: TraceStep[] = [];
  for (const raw of trace) {
    if (typeof raw !== 'object' || raw === null) continue;
    const e = raw as Record<string, unknown>;
    const blockId = str(e.blockId);
    if (blockId === null || (num(e.depth) ?? 0) !== 0) continue;
    steps.push({ step: steps.length + 1, blockId, type: str(e.type) ?? '', exit: str(e.exit), startedAt: num(e.startedAt), durationMs: num(e.durationMs) });
  }
  const visited = new Set(steps.map((s) => s.blockId).filter((id) => doc === null || Object.hasOwn(doc.blocks, id)));
  const edges = new Set<string>();
  for (let i = 0; i + 1 < steps.length; i++) {
    const { blockId, exit } = steps[i]!;
    const block = doc?.blocks[blockId];
    if (exit !== null && block !== undefined && block.exits[exit] === steps[i + 1]!.blockId) edges.add(edgeId(blockId, exit));
  }
  return { steps, visited, edges, timed: steps.some((s) => s.durationMs !== null) };
}
