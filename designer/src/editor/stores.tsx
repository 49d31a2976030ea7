// Per-block state that changes often — validation problems, the simulator's current block — kept
// outside the node objects: a node subscribes to its own entry and re-renders alone, instead of
// every node being rebuilt on each keystroke or simulator step.
import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Problem } from '../../../flows/index.ts';

type Listener = () => void;

class Subscribable {
  private readonly listeners = new Set<Listener>();
  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };
  protected notify(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

const NO_PROBLEMS: readonly Problem[] = [];

export class ProblemsStore extends Subscribable {
  private byBlock = new Map<string, readonly Problem[]>();
  private signatures = new Map<string, string>();
  private all: readonly Problem[] = NO_PROBLEMS;

  /** Replaces the problems; blocks whose problems did not change keep the same array. */
  set(problems: readonly Problem[]): void {
    const grouped = new Map<string, Problem[]>();
    for (const problem of problems) {
      const key = problem.blockId ?? '';
      let list = grouped.get(key);
      if (list === undefined) grouped.set(key, (list = []));
      list.push(problem);
    }
    const next = new Map<string, readonly Problem[]>();
    const signatures = new Map<string, string>();
    let changed = this.byBlock.size !== grouped.size;
    for (const [id, list] of grouped) {
      const signature = list.map((p) => `${p.severity}|${p.code}|${p.field ?? ''}|${p.message}`).join('\n');
      signatures.set(id, signature);
      if (this.signatures.get(id) === signature) next.set(id, this.byBlock.get(id)!);
      else {
        next.set(id, list);
        changed = true;
      }
    }
    if (!changed) return;
    this.all = problems;
    this.byBlock = next;
    this.signatures = signatures;
    this.notify();
  }

  forBlock = (id: string): readonly Problem[] => this.byBlock.get(id) ?? NO_PROBLEMS;
  list = (): readonly Problem[] => this.all;
}

export type SimStatus = 'active' | 'visited' | null;

export class SimulationStore extends Subscribable {
  private active: string | null = null;
  private visited = new Set<string>();

  enter(blockId: string): void {
    if (this.active !== null) this.visited.add(this.active);
    this.active = blockId;
    this.notify();
  }
  finish(): void {
    if (this.active !== null) this.visited.add(this.active);
    this.active = null;
    this.notify();
  }
  clear(): void {
    this.active = null;
    this.visited = new Set();
    this.notify();
  }
  statusOf = (id: string): SimStatus => (this.active === id ? 'active' : this.visited.has(id) ? 'visited' : null);
  activeBlock = (): string | null => this.active;
}

export interface EditorStores {
  readonly problems: ProblemsStore;
  readonly simulation: SimulationStore;
}

export const EditorStoresContext = createContext<EditorStores | null>(null);

export function useEditorStores(): EditorStores {
  const stores = useContext(EditorStoresContext);
  if (stores === null) throw new Error('editor stores are missing');
  return stores;
}

export function useBlockProblems(blockId: string): readonly Problem[] {
  const { problems } = useEditorStores();
  return useSyncExternalStore(problems.subscribe, () => problems.forBlock(blockId));
}

export function useAllProblems(): readonly Problem[] {
  const { problems } = useEditorStores();
  return useSyncExternalStore(problems.subscribe, problems.list);
}

export function useSimStatus(blockId: string): SimStatus {
  const { simulation } = useEditorStores();
  return useSyncExternalStore(simulation.subscribe, () => simulation.statusOf(blockId));
}

export function useActiveSimBlock(): string | null {
  const { simulation } = useEditorStores();
  return useSyncExternalStore(simulation.subscribe, simulation.activeBlock);
}
