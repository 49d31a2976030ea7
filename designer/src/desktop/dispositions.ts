// The dispositions an agent may finish a piece of work with: the trees that apply to it (global, its
// queue's, its website's) as GET /api/me/entries/:id/dispositions and /api/interactions/:id/dispositions
// give them, read defensively like every server answer on the desktop.
import type { DispositionChoice } from '../../../contracts/dispositions.ts';

export interface ApplicableDispositions {
  /** The queue needs a disposition to finish. */
  readonly required: boolean;
  readonly tree: readonly DispositionChoice[];
}

export const NO_DISPOSITIONS: ApplicableDispositions = { required: false, tree: [] };

function parseChoice(v: unknown, depth: number): DispositionChoice | null {
  if (typeof v !== 'object' || v === null || depth > 3) return null;
  const r = v as Record<string, unknown>;
  if (typeof r.id !== 'number' || typeof r.name !== 'string' || typeof r.path !== 'string') return null;
  const children = Array.isArray(r.children) ? r.children.map((c) => parseChoice(c, depth + 1)).filter((c): c is DispositionChoice => c !== null) : [];
  return { id: r.id, name: r.name, path: r.path, children };
}

export function parseApplicable(v: unknown): ApplicableDispositions {
  if (typeof v !== 'object' || v === null) return NO_DISPOSITIONS;
  const r = v as Record<string, unknown>;
  const tree = Array.isArray(r.dispositions) ? r.dispositions.map((c) => parseChoice(c, 1)).filter((c): c is DispositionChoice => c !== null) : [];
  return { required: r.required === true, tree };
}
