// Answers of the API routes the admin app reads across subsystems (server/admin): where a thing is
// used (GET /api/dependents) and the first-run checklist (GET /api/setup/checklist).

/** What a "where used" question can be asked about. */
export const DEPENDENT_TARGETS = ['queue', 'project', 'trunk', 'sound', 'team', 'agent', 'user', 'website', 'route'] as const;
export type DependentTarget = (typeof DEPENDENT_TARGETS)[number];

export interface Dependent {
  kind: 'project' | 'route' | 'website' | 'queue' | 'team' | 'trunk' | 'sound' | 'apiKey';
  id: string | number;
  name: string;
  /** How it depends: which blocks of which project version, which field, which membership. */
  via: string;
}

export interface Dependents {
  dependents: Dependent[];
  /** Dependents outside the principal's scope: counted, not named. */
  hidden: number;
}

/** GET /api/dependents?kind=&id= */
export type DependentsAnswer = Dependents & { kind: DependentTarget; id: string };

export const CHECKLIST_ITEMS = ['asteriskConnected', 'agentExists', 'queueExists', 'ivrPublished', 'routeToIvr', 'agentLoggedIn', 'testCallPlaced'] as const;
export type ChecklistItem = (typeof CHECKLIST_ITEMS)[number];

export interface ChecklistEntry {
  item: ChecklistItem;
  done: boolean;
  /** What was found, for the page to say (counts, connection states). */
  detail: string;
}

/** GET /api/setup/checklist */
export interface ChecklistAnswer {
  items: ChecklistEntry[];
}
