// Finding a block of the project by label, id or type (the Find dialog, Ctrl+K).
import type { Project } from '../../../../flows/index.ts';
import { describe } from '../blocks/catalogue.ts';

const MAX_RESULTS = 50;

/** Ids of matching blocks, best first: exact id or label, then label, id, type. */
export function findBlocks(doc: Project, query: string): string[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter((w) => w !== '');
  const scored: Array<{ id: string; score: number }> = [];
  for (const [id, block] of Object.entries(doc.blocks)) {
    const label = block.label.toLowerCase();
    const type = `${block.type} ${describe(block.type)?.label ?? ''}`.toLowerCase();
    let score = 0;
    for (const word of words) {
      if (id.toLowerCase() === word || label === word) score += 10;
      else if (label.includes(word)) score += 6;
      else if (id.toLowerCase().includes(word)) score += 5;
      else if (type.includes(word)) score += 2;
      else {
        score = -1;
        break;
      }
    }
    if (score >= 0) scored.push({ id, score });
  }
  scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
  return scored.slice(0, MAX_RESULTS).map((x) => x.id);
}

