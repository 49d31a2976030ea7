// One or two lines that say what a block does, shown on the canvas node. Derived from the params
// and their schema, so every block type gets a useful summary without a per-type list.
import { canonicalJson, type Block } from '../../../../flows/index.ts';
import { describe } from './catalogue.ts';
import { asSchema, effectiveSchema, humanize } from './schema.ts';

export interface SummaryLine {
  readonly label: string;
  readonly value: string;
  /** Code-like values (expressions, URLs, SQL) are shown in monospace. */
  readonly mono: boolean;
}

/** Fields that say most about a block, in order of preference; anything else follows schema order. */
const HEADLINE = ['prompts', 'text', 'expression', 'value', 'url', 'sql', 'queue', 'destination', 'number', 'mailbox', 'project', 'tags', 'assignments', 'message', 'application', 'command', 'identity', 'agent', 'seconds', 'musicClass', 'timezone'];
const MONO = new Set(['expression', 'url', 'sql', 'value', 'command', 'application']);
const MAX_LINES = 2;
const MAX_TEXT = 60;

export function summarize(block: Block): SummaryLine[] {
  const description = describe(block.type);
  const properties = asSchema(description?.paramsSchema).properties ?? {};
  const names = [...HEADLINE.filter((n) => n in properties), ...Object.keys(properties).filter((n) => !HEADLINE.includes(n))];
  const lines: SummaryLine[] = [];
  for (const name of names) {
    if (lines.length >= MAX_LINES) break;
    const value = block.params[name];
    // A value left at its default says nothing about this block.
    const fallback = effectiveSchema(properties[name]!).default;
    if (fallback !== undefined && canonicalJson(value) === canonicalJson(fallback)) continue;
    const text = render(value);
    if (text === '') continue;
    lines.push({ label: humanize(name), value: clip(text), mono: MONO.has(name) });
  }
  return lines;
}

function render(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v) : pairText(v))).filter((s) => s !== '');
    return parts.join(', ');
  }
  return '';
}

/** `{variable: "X", value: "1"}` → `X = 1`, `{id, label}` → label. */
function pairText(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  const r = value as Record<string, unknown>;
  if (typeof r.variable === 'string' && (typeof r.value === 'string' || typeof r.from === 'string')) return `${r.variable} = ${String(r.value ?? r.from)}`;
  if (typeof r.label === 'string') return r.label;
  if (typeof r.name === 'string') return r.name;
  return '';
}

function clip(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > MAX_TEXT ? `${flat.slice(0, MAX_TEXT - 1)}…` : flat;
}
