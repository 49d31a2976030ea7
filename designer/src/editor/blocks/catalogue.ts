// The palette's view of the block catalogue: generated from flows/ (describeCatalogue), never a
// second list. Grouping, channel filtering and search are the only things added here.
import { BLOCK_CATEGORIES, defaultRegistry, describeCatalogue, type BlockCategory, type BlockDescription, type ChannelKind } from '../../../../flows/index.ts';

export const CATALOGUE: readonly BlockDescription[] = describeCatalogue(defaultRegistry);
const BY_TYPE: ReadonlyMap<string, BlockDescription> = new Map(CATALOGUE.map((d) => [d.type, d]));

export function describe(type: string): BlockDescription | undefined {
  return BY_TYPE.get(type);
}

export interface PaletteGroup {
  readonly category: BlockCategory;
  readonly blocks: readonly BlockDescription[];
}

/**
 * How well a block matches the search words: a hit in the label counts most, then the type name,
 * then the description; 0 when some word matches nowhere.
 */
export function matchScore(d: BlockDescription, words: readonly string[]): number {
  let score = 0;
  const label = d.label.toLowerCase();
  const type = d.type.toLowerCase();
  const rest = `${d.description} ${d.category}`.toLowerCase();
  for (const word of words) {
    if (label.startsWith(word)) score += 8;
    else if (label.includes(word)) score += 6;
    else if (type.includes(word)) score += 4;
    else if (rest.includes(word)) score += 1;
    else return 0;
  }
  return score;
}

/**
 * Blocks usable on `channel` that match `query`, grouped by category. Without a query the groups
 * follow the category order; with one, the best match comes first (Enter adds it).
 */
export function paletteGroups(channel: ChannelKind, query: string): PaletteGroup[] {
  const words = query.trim().toLowerCase().split(/\s+/).filter((w) => w !== '');
  const scored = CATALOGUE
    // Start is placed once, by the server's starter project; offering it again only makes errors.
    .filter((d) => d.type !== 'Start' && d.channels.includes(channel))
    .map((d) => ({ d, score: words.length === 0 ? 1 : matchScore(d, words) }))
    .filter((x) => x.score > 0);
  const groups: Array<PaletteGroup & { best: number }> = [];
  for (const category of BLOCK_CATEGORIES) {
    const inCategory = scored.filter((x) => x.d.category === category).sort((a, b) => b.score - a.score || a.d.label.localeCompare(b.d.label));
    if (inCategory.length > 0) groups.push({ category, blocks: inCategory.map((x) => x.d), best: inCategory[0]!.score });
  }
  if (words.length > 0) groups.sort((a, b) => b.best - a.best);
  return groups.map(({ category, blocks }) => ({ category, blocks }));
}
