// What the API accepts and returns for dispositions: the catalogue (Tools → Dispositions), up to three
// levels, each tree scoped to everyone (global), one queue or one chat website. The server validates
// request bodies with these schemas and the web app's forms with the very same ones.
import { z } from 'zod';

export const DISPOSITION_SCOPES = ['global', 'queue', 'website'] as const;
export type DispositionScope = (typeof DISPOSITION_SCOPES)[number];

/** The deepest level a disposition may have (XCALLY's three). */
export const MAX_DISPOSITION_LEVEL = 3;

/** Between levels in the text an interaction keeps ("Sale / Upgrade / Annual"): what reports read. */
export const DISPOSITION_PATH_SEPARATOR = ' / ';

// The separator is what a stored disposition is split by, so a name never holds a slash.
export const dispositionNameSchema = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(100, 'must be at most 100 characters')
  .regex(/^[^/]*$/, 'must not contain /');

const positiveId = z.number({ message: 'must be a number' }).int().positive();
const scopeSchema = z.enum(DISPOSITION_SCOPES, { message: `must be one of ${DISPOSITION_SCOPES.join(', ')}` });

/**
 * A new disposition: a root names its scope (and the queue or website of it); a child names its
 * parent only and takes the scope of its root.
 */
export const dispositionCreateSchema = z
  .object({
    name: dispositionNameSchema,
    parentId: positiveId.nullish(),
    scope: scopeSchema.optional(),
    queueId: positiveId.nullish(),
    websiteId: positiveId.nullish(),
  })
  .strict()
  .superRefine((v, ctx) => {
    const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.parentId != null) {
      for (const k of ['scope', 'queueId', 'websiteId'] as const) if (v[k] != null) problem(k, 'must be left out: a child takes the scope of its parent');
      return;
    }
    if (!v.scope) return problem('scope', 'is required for a first-level disposition');
    if (v.scope === 'queue' && v.queueId == null) problem('queueId', 'is required for a queue disposition');
    if (v.scope !== 'queue' && v.queueId != null) problem('queueId', `must be left out for a ${v.scope} disposition`);
    if (v.scope === 'website' && v.websiteId == null) problem('websiteId', 'is required for a website disposition');
    if (v.scope !== 'website' && v.websiteId != null) problem('websiteId', `must be left out for a ${v.scope} disposition`);
  });
export type DispositionCreate = z.output<typeof dispositionCreateSchema>;

/**
 * Rename, move (under another node of the same scope, or `parentId: null` to the first level) and
 * reorder (`position`: the place among the siblings, from 0; beyond the end means last).
 */
export const dispositionUpdateSchema = z
  .object({
    name: dispositionNameSchema.optional(),
    parentId: positiveId.nullable().optional(),
    position: z.number({ message: 'must be a number' }).int().min(0, 'must be 0 or more').max(10_000).optional(),
  })
  .strict();
export type DispositionUpdate = z.output<typeof dispositionUpdateSchema>;

/** ?scope=global|queue|website, with queueId / websiteId to narrow to one queue or website. */
export const dispositionListQuery = z
  .object({
    scope: scopeSchema.optional(),
    queueId: z.coerce.number().int().positive().optional(),
    websiteId: z.coerce.number().int().positive().optional(),
  })
  .strict();

/** One node of the catalogue, as lists return it (depth first, siblings by position). */
export interface Disposition {
  readonly id: number;
  readonly name: string;
  readonly parentId: number | null;
  readonly level: number;
  readonly scope: DispositionScope;
  readonly queueId: number | null;
  readonly websiteId: number | null;
  readonly position: number;
  /** The names from the root down, joined by DISPOSITION_PATH_SEPARATOR: what an interaction stores. */
  readonly path: string;
  /** Every node below this one (children, grandchildren). */
  readonly descendants: number;
  readonly updatedAt: string;
}

/** A node of the tree that applies to one interaction, as the agent's close form offers it. */
export interface DispositionChoice {
  readonly id: number;
  readonly name: string;
  readonly path: string;
  readonly children: readonly DispositionChoice[];
}

/** Every disposition one may close with: the leaves' paths (a node with children is not a disposition by itself). */
export function dispositionPaths(tree: readonly DispositionChoice[]): string[] {
  return tree.flatMap((n) => (n.children.length ? dispositionPaths(n.children) : [n.path]));
}
