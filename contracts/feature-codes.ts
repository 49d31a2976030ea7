// Feature codes (Tools → Feature codes; the setting `featureCodes`): the star codes internal phones
// dial for telephony features, and the in-call codes Asterisk's bridging features listen for. One
// object, checked as a whole: a code shadowing another (equal, or a prefix of it) would make one of
// them unreachable. Dialled codes and in-call codes are compared within their own kind only: the
// first are matched on the number an idle phone dials, the second on keys pressed during a
// conversation, and no dialled number is ever compared with an in-call code.
import { z } from 'zod';

/** Dialled from an idle internal phone: exact codes, and codes followed by an extension. */
export const DIALLED_FEATURES = ['spy', 'pickup', 'agentLogin', 'agentLogout', 'agentPause', 'agentUnpause'] as const;
/** Keyed during a conversation; Asterisk's own features (FEATUREMAP) act on them. */
export const IN_CALL_FEATURES = ['blindTransfer', 'attendedTransfer', 'disconnect'] as const;
export const FEATURES = [...DIALLED_FEATURES, ...IN_CALL_FEATURES] as const;
export type DialledFeature = (typeof DIALLED_FEATURES)[number];
export type InCallFeature = (typeof IN_CALL_FEATURES)[number];
export type Feature = (typeof FEATURES)[number];

/** Features whose code is followed by an extension (`*2221001`); the others are dialled alone. */
export const FEATURES_WITH_EXTENSION: ReadonlySet<DialledFeature> = new Set(['spy', 'pickup']);

export const FEATURE_CODE_PATTERN = /^[*#][0-9]{1,6}$/;
const code = z.string().regex(FEATURE_CODE_PATTERN, 'must be * or # followed by 1 to 6 digits, e.g. *45');

const shape = Object.fromEntries(FEATURES.map((f) => [f, code])) as Record<Feature, typeof code>;

export type FeatureCodes = Record<Feature, string>;

/**
 * Why `codes` cannot be used together. Each clash is reported once, on the feature among `changed`
 * (what an administrator just edited) when only one of the two is, else on the later one. Codes of
 * the wrong shape are left to the shape check.
 */
export function featureCodeClashes(codes: Readonly<Record<Feature, string>>, changed: ReadonlySet<Feature> = new Set()): { feature: Feature; message: string }[] {
  const problems: { feature: Feature; message: string }[] = [];
  for (const kind of [DIALLED_FEATURES, IN_CALL_FEATURES] as readonly (readonly Feature[])[]) {
    const valid = kind.filter((f) => FEATURE_CODE_PATTERN.test(codes[f]));
    valid.forEach((later, i) => {
      for (const earlier of valid.slice(0, i)) {
        const relation = clash(codes[later], codes[earlier]);
        if (!relation) continue;
        const [mine, other] = changed.has(earlier) && !changed.has(later) ? [earlier, later] : [later, earlier];
        problems.push({ feature: mine, message: relation === 'same' ? `same code as ${other}` : codes[mine].startsWith(codes[other]) ? `starts with the code of ${other} (${codes[other]})` : `is the beginning of the code of ${other} (${codes[other]})` });
      }
    });
  }
  return problems;
}

function clash(a: string, b: string): 'same' | 'prefix' | undefined {
  if (a === b) return 'same';
  return a.startsWith(b) || b.startsWith(a) ? 'prefix' : undefined;
}

/** The shape of each code, without the clash check (a patch is checked for clashes on its own terms). */
export const featureCodesShapeSchema = z.object(shape).strict();

export const featureCodesSchema = featureCodesShapeSchema.superRefine((codes, ctx) => {
    for (const p of featureCodeClashes(codes)) ctx.addIssue({ code: 'custom', path: [p.feature], message: p.message });
  });

/**
 * *222 as before, *8 + extension for directed pickup, *45…*48 for agents; in a call #1 blind
 * transfer, *2 attended transfer (Asterisk's own default), *0 disconnect.
 */
export const DEFAULT_FEATURE_CODES: FeatureCodes = {
  spy: '*222',
  pickup: '*8',
  agentLogin: '*45',
  agentLogout: '*46',
  agentPause: '*47',
  agentUnpause: '*48',
  blindTransfer: '#1',
  attendedTransfer: '*2',
  disconnect: '*0',
};
