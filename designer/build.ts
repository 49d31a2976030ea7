// Builds the web app (designer/dist) when it is missing or older than its sources or flows/.
// `npm start` runs it first (prestart), so a fresh clone serves the app without a separate step;
// the browser tests call ensureDesignerBuilt() the same way.
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const designerDir = path.join(repoRoot, 'designer');
export const distIndex = path.join(designerDir, 'dist', 'index.html');

function newestMtime(dir: string, filter: (file: string) => boolean): number {
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
  );
  return built < sources;
}

export async function ensureDesignerBuilt(): Promise<'built' | 'up-to-date'> {
  if (!designerIsStale()) return 'up-to-date';
  const { build } = await import('vite');
  await build({ configFile: path.join(designerDir, 'vite.config.ts'), logLevel: 'warn' });
  if (!existsSync(distIndex)) throw new Error('vite build finished without designer/dist/index.html');
  return 'built';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  ensureDesignerBuilt()
    .then((r) => {
      if (r === 'built') console.error('Built the web app (designer/dist).');
    })
    .catch((err: unknown) => {
      // Without the build tools (a production install without dev dependencies) an existing build still serves.
      if (existsSync(distIndex)) {
        console.error(`Could not rebuild the web app (${err instanceof Error ? err.message : String(err)}); serving the existing build.`);
        return;
      }
      console.error(`Could not build the web app: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(1);
    });
}
