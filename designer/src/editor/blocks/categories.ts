// How each block category looks: name, accent colour and icon. Pure presentation; which blocks are
// in a category comes from the block definitions. Names are in the catalogue (designer.categories).
import type { BlockCategory } from '../../../../flows/index.ts';
import { i18next } from '../../i18n/index.ts';

export interface CategoryStyle {
  /** Accent (header stripe, minimap, palette dot). */
  readonly color: string;
  /** Soft tint behind the icon. */
  readonly tint: string;
  /** SVG path data on a 24×24 grid, stroked. */
  readonly icon: string;
}

export const CATEGORY_STYLES: Readonly<Record<BlockCategory, CategoryStyle>> = {
  structure: {
    color: '#475569',
    tint: '#f1f5f9',
    icon: 'M6 3v6a3 3 0 0 0 3 3h6a3 3 0 0 1 3 3v6M6 21v-4M18 3v4',
  },
  call: {
    color: '#059669',
    tint: '#ecfdf5',
    icon: 'M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2',
  },
  audio: {
    color: '#7c3aed',
    tint: '#f5f3ff',
    icon: 'M11 5 6 9H3v6h3l5 4V5zM15.5 8.5a5 5 0 0 1 0 7M18.5 5.5a9 9 0 0 1 0 13',
  },
  logic: {
    color: '#d97706',
    tint: '#fffbeb',
    icon: 'M6 3v12M18 9a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM6 21a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM18 9a9 9 0 0 1-9 9',
  },
  integration: {
    color: '#0891b2',
    tint: '#ecfeff',
    icon: 'M9 17H7a5 5 0 0 1 0-10h2M15 7h2a5 5 0 0 1 0 10h-2M8 12h8',
  },
  agent: {
    color: '#db2777',
    tint: '#fdf2f8',
    icon: 'M20 21v-2a4 4 0 0 0-4-4H8a4 4 0 0 0-4 4v2M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z',
  },
  messaging: {
    color: '#2563eb',
    tint: '#eff6ff',
    icon: 'M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z',
  },
};

export const UNKNOWN_STYLE: CategoryStyle = {
  color: '#dc2626',
  tint: '#fef2f2',
  icon: 'M12 9v4M12 17h.01M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z',
};

export function categoryStyle(category: BlockCategory | undefined): CategoryStyle {
  return category === undefined ? UNKNOWN_STYLE : CATEGORY_STYLES[category];
}

/** A category's name as the palette and the inspector show it. */
export function categoryLabel(category: BlockCategory | undefined): string {
  return i18next.t(`designer.categories.${category ?? 'unknown'}`);
}
