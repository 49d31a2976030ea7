// Tools → Dispositions: being built (issue 14). Registered in nav.ts and AdminArea.tsx already.
export function DispositionsPage() {
  return <h1>Dispositions</h1>;
}
