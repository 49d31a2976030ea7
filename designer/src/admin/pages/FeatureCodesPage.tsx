// Tools → FeatureCodes: being built (issue 14). Registered in nav.ts and AdminArea.tsx already.
export function FeatureCodesPage() {
  return <h1>FeatureCodes</h1>;
}
