// Which feature a number dialled on an internal phone asks for. Pure: the codes come from the
// settings, which guarantee that no dialled code is a prefix of another, so at most one matches.
import { DIALLED_FEATURES, FEATURES_WITH_EXTENSION, type DialledFeature, type FeatureCodes } from '../../../contracts/feature-codes.ts';

export type FeatureCodeMatch = { feature: DialledFeature; code: string; extension?: string };

/** An extension after a code: what Tandem generates and PJSIP endpoints are named (letters, digits). */
const EXTENSION = /^[0-9A-Za-z]{1,20}$/;

/**
 * `*2221001` with spy `*222` → {feature: 'spy', extension: '1001'}; `*47` with agentPause `*47` →
 * {feature: 'agentPause'}. Undefined when the number is no feature code (it goes on to the routes):
 * a code that takes an extension dialled without one, or an exact code with digits after it.
 */
export function matchFeatureCode(dialled: string, codes: Readonly<Pick<FeatureCodes, DialledFeature>>): FeatureCodeMatch | undefined {
  for (const feature of DIALLED_FEATURES) {
    const code = codes[feature];
    if (!dialled.startsWith(code)) continue;
    const rest = dialled.slice(code.length);
    if (!FEATURES_WITH_EXTENSION.has(feature)) return rest === '' ? { feature, code } : undefined;
    return EXTENSION.test(rest) ? { feature, code, extension: rest } : undefined;
  }
  return undefined;
}
