import type { Value } from '../expression/index.ts';
import type { CompiledBlock } from '../compile.ts';
import type { Frame } from './frame.ts';

/** Watches a run as it goes (the simulator, the scripted caller); it cannot change the run. */
export interface RunObserver {
  onBlockStart?(event: BlockStartEvent): void;
  onBlockEnd?(entry: TraceEntry): void;
}
export interface BlockStartEvent {
  readonly blockId: string;
  readonly type: string;
  readonly projectId: string;
  readonly depth: number;
  readonly phase: 'main' | 'finally';
  /** 1-based step number within the phase. */
  readonly step: number;
}

export interface TraceEntry {
  readonly blockId: string;
  readonly type: string;
  readonly projectId: string;
  readonly depth: number;
  readonly phase: 'main' | 'finally';
  /** The exit taken; null when the block failed or the call stopped inside it. */
  readonly exit: string | null;
  /** Milliseconds since the run started. */
  readonly startedAt: number;
  readonly durationMs: number;
  readonly changed?: Readonly<Record<string, Value>>;
  readonly error?: string;
  /** Set when the block was not executed (audio in Finally). */
  readonly skipped?: string;
  readonly logs?: readonly string[];
}

/**
 * The entries of one run, up to a limit: past it (or when tracing is off) steps are only counted,
 * so that a long call cannot grow its trace without bound.
 */
export class Trace {
  readonly entries: TraceEntry[] = [];
  /** Entries not recorded because the trace was full. */
  dropped = 0;

  constructor(
    readonly enabled: boolean,
    private readonly maxEntries: number,
  ) {}

  /** Whether the next entry would be kept; entries cost an allocation, so steps ask before building one. */
  hasRoom(): boolean {
    return this.enabled && this.entries.length < this.maxEntries;
  }

  add(entry: TraceEntry): void {
    this.entries.push(entry);
  }

  /** A step that left no entry. */
  skip(): void {
    if (this.enabled) this.dropped++;
  }
}

/** One step's entry; times are relative to `t0`, the start of the run. */
export function traceEntry(
  frame: Frame,
  block: CompiledBlock,
  exit: string | null,
  t0: number,
  startedAt: number,
  now: number,
  changed: Record<string, Value> | undefined,
  error: string | undefined,
  skipped: string | undefined,
): TraceEntry {
  const entry: {
    -readonly [K in keyof TraceEntry]: TraceEntry[K];
  } = {
    blockId: block.id,
    type: block.type,
    projectId: frame.projectId,
    depth: frame.depth,
    phase: frame.phase,
    exit,
    startedAt: startedAt - t0,
    durationMs: now - startedAt,
  };
  if (changed !== undefined) entry.changed = changed;
  if (error !== undefined) entry.error = error;
  if (skipped !== undefined) entry.skipped = skipped;
  if (frame.logs !== null) entry.logs = frame.logs;
  return entry;
}
