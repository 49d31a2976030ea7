// Builds the web app (designer/dist) and the chat widget (designer/dist-widget) when they are missing
// or older than their sources (the app's include flows/, both include contracts/). `npm start` runs it
// first (prestart), so a fresh clone serves both without a separate step, while the server itself
// only serves the built files; the browser tests call ensureDesignerBuilt() and buildWidgetIfStale().
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const designerDir = path.join(repoRoot, 'designer');
const widgetDir = path.join(designerDir, 'widget');
const contractsDir = path.join(repoRoot, 'contracts');
export const distIndex = path.join(designerDir, 'dist', 'index.html');
/** The widget's build, which the server serves at GET /chat/tandem-chat.js. */
export const widgetFile = path.join(designerDir, 'dist-widget', 'tandem-chat.js');

/** The newest modification time of the files below `dir` (node_modules and dist folders skipped). */
export function newestMtime(dir: string, filter: (file: string) => boolean = () => true): number {
  let newest = 0;
  const stack = [dir];
  while (stack.length > 0) {
    const current = stack.pop()!;
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'dist') stack.push(full);
      } else if (filter(full)) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  }
  return newest;
}

export function designerIsStale(): boolean {
  if (!existsSync(distIndex)) return true;
  const built = statSync(distIndex).mtimeMs;
  const sources = Math.max(
    newestMtime(path.join(designerDir, 'src'), () => true),
    statSync(path.join(designerDir, 'index.html')).mtimeMs,
    statSync(path.join(designerDir, 'vite.config.ts')).mtimeMs,
    newestMtime(path.join(repoRoot, 'flows'), (f) => f.endsWith('.ts')),
    newestMtime(contractsDir, (f) => f.endsWith('.ts')),
  );
  return built < sources;
}

/** Runs a Vite build when `stale`; checks that it produced `output`. */
export async function viteBuildIfStale(stale: boolean, configFile: string, output: string): Promise<'built' | 'up-to-date'> {
  if (!stale) return 'up-to-date';
  const { build } = await import('vite');
  await build({ configFile, logLevel: 'warn' });
  if (!existsSync(output)) throw new Error(`vite build finished without ${output}`);
  return 'built';
}

export function ensureDesignerBuilt(): Promise<'built' | 'up-to-date'> {
  return viteBuildIfStale(designerIsStale(), path.join(designerDir, 'vite.config.ts'), distIndex);
}

export function widgetIsStale(file: string = widgetFile): boolean {
  if (!existsSync(file)) return true;
  const sources = Math.max(
    newestMtime(path.join(widgetDir, 'src')),
    statSync(path.join(widgetDir, 'vite.config.ts')).mtimeMs,
    newestMtime(contractsDir, (f) => f.endsWith('.ts')),
  );
  return statSync(file).mtimeMs < sources;
}

/** Builds the widget when its output is missing or older than its sources. */
export function buildWidgetIfStale(): Promise<'built' | 'up-to-date'> {
  return viteBuildIfStale(widgetIsStale(), path.join(widgetDir, 'vite.config.ts'), widgetFile);
}

/** The `prestart` step: build if stale; without the build tools (a production install) an existing build still serves. */
export function runBuildStep(what: string, output: string, build: () => Promise<'built' | 'up-to-date'>): Promise<void> {
  return build()
    .then((r) => {
      if (r === 'built') console.error(`Built ${what}.`);
    })
    .catch((err: unknown) => {
      const reason = err instanceof Error ? err.message : String(err);
      if (existsSync(output)) {
        console.error(`Could not rebuild ${what} (${reason}); serving the existing build.`);
        return;
      }
      console.error(`Could not build ${what}: ${reason}`);
      process.exit(1);
    });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // One after the other: two Vite builds at once would compete for the same cores.
  void runBuildStep('the web app (designer/dist)', distIndex, ensureDesignerBuilt).then(() =>
    runBuildStep('the chat widget (designer/dist-widget/tandem-chat.js)', widgetFile, buildWidgetIfStale),
  );
}
