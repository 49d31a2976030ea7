// Validation as you edit: the same validateProject the server runs at publish, in the browser.
// Moving blocks does not change what is valid, so a drag reuses the last result instead of
// validating a large project sixty times a second.
import { useDeferredValue, useEffect, useMemo, useRef } from 'react';
import { validateProject, type Problem, type Project, type ValidationResult } from '../../../../flows/index.ts';
import type { ProblemsStore } from '../stores.tsx';

/** True when `a` and `b` differ at most in block positions (and labels). */
export function sameLogic(a: Project, b: Project): boolean {
  if (a === b) return true;
  if (a.entry !== b.entry || a.channel !== b.channel || a.variables !== b.variables) return false;
  const ka = Object.keys(a.blocks);
  if (ka.length !== Object.keys(b.blocks).length) return false;
  for (const id of ka) {
    const x = a.blocks[id]!;
    const y = b.blocks[id];
    if (y === undefined) return false;
    if (x !== y && (x.type !== y.type || x.params !== y.params || x.exits !== y.exits)) return false;
  }
  return true;
}

export function useValidation(doc: Project, store: ProblemsStore, serverProblems: readonly Problem[]): ValidationResult {
  const deferred = useDeferredValue(doc);
  const last = useRef<{ doc: Project; result: ValidationResult } | null>(null);
  const result = useMemo(() => {
    const previous = last.current;
    if (previous !== null && sameLogic(previous.doc, deferred)) return previous.result;
    const next = validateProject(deferred);
    last.current = { doc: deferred, result: next };
    return next;
  }, [deferred]);
  useEffect(() => {
    if (serverProblems.length === 0) {
      store.set(result.problems);
      return;
    }
    // Problems the server reported at publish stay visible until they are fixed; the browser's own
    // validator normally finds the same ones, so duplicates are dropped.
    const seen = new Set(result.problems.map(signature));
    store.set([...result.problems, ...serverProblems.filter((p) => !seen.has(signature(p)))]);
  }, [result, serverProblems, store]);
  return result;
}

function signature(p: Problem): string {
  return `${p.blockId ?? ''}|${p.code}|${p.field ?? ''}|${p.message}`;
}
