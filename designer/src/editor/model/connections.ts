// Which wires may be drawn: the same rule for a wire dragged on the canvas (isValidConnection) and
// for a target picked in the inspector's exit list.
import type { Project } from '../../../../flows/index.ts';
import { allExits } from '../blocks/exits.ts';

export function canConnect(doc: Project, source: string, exit: string | null | undefined, target: string): boolean {
  const from = doc.blocks[source];
  const to = doc.blocks[target];
  if (from === undefined || to === undefined || exit === null || exit === undefined) return false;
  // A block wired to itself loops with no way to tell: retries or a Go to block say it better.
  if (source === target) return false;
  // Start and Finally are where phases begin; nothing leads into them.
  if (target === doc.entry || to.type === 'Start' || to.type === 'Finally') return false;
  return allExits(from).includes(exit);
}
