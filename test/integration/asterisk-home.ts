// Where the integration suite finds a real Asterisk 22: the tree CI extracted (TANDEM_ASTERISK_HOME,
// set by .ci/run), else the prebuilt tarball shared beside the clone, extracted once into a cache
// folder outside the clone. Neither there (a contributor's laptop): the suite is skipped, saying how
// to get one. Found but broken: the suite fails (that is lab.ts's job: it starts what is found here).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The folder CI copies beside the clone (and developers have beside their work tree). */
const sharedFolder = path.resolve(repoRoot, '..', 'shared', 'asterisk');

export const HOW_TO_GET_ASTERISK =
  'set TANDEM_ASTERISK_HOME to an Asterisk 22 tree with asterisk-run (the prebuilt tarball, extracted), ' +
  'or put the tarball in shared/asterisk beside the clone; apt-get install sip-tester for SIPp';

export type AsteriskHome = { found: true; home: string; origin: string } | { found: false; reason: string };

function isTree(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'asterisk-run')) && fs.existsSync(path.join(dir, 'sbin', 'asterisk'));
}

/** The tree inside an extraction folder (the tarball holds one top folder). */
function treeIn(dir: string): string | undefined {
  if (!fs.existsSync(dir)) return undefined;
  for (const name of fs.readdirSync(dir)) if (isTree(path.join(dir, name))) return path.join(dir, name);
  return undefined;
}

function cacheRoot(): string {
  if (process.env.TANDEM_ASTERISK_CACHE) return process.env.TANDEM_ASTERISK_CACHE;
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'tandem-asterisk');
}

/** Finds (and if needed extracts) the Asterisk tree. Throws when a tree is announced but unusable. */
export function findAsteriskHome(): AsteriskHome {
  const fromEnv = process.env.TANDEM_ASTERISK_HOME;
  if (fromEnv) {
    if (!isTree(fromEnv)) throw new Error(`TANDEM_ASTERISK_HOME=${fromEnv} holds no asterisk-run and sbin/asterisk`);
    return { found: true, home: fromEnv, origin: 'TANDEM_ASTERISK_HOME' };
  }
  if (!fs.existsSync(sharedFolder)) return { found: false, reason: 'no Asterisk: TANDEM_ASTERISK_HOME is not set and there is no shared/asterisk folder beside the clone' };
  const tarball = fs.readdirSync(sharedFolder).find((f) => /^asterisk-.*\.tar\.xz$/.test(f));
  // The shared folder exists, so an Asterisk is expected: a missing tarball is a failure, not a skip.
  if (!tarball) throw new Error(`shared/asterisk beside the clone holds no asterisk-*.tar.xz`);
  const file = path.join(sharedFolder, tarball);
  const stat = fs.statSync(file);
  // Same key as .ci/run: one folder per tarball (name, size, modification time).
  const target = path.join(cacheRoot(), `${tarball.replace(/\.tar\.xz$/, '')}-${stat.size}-${Math.floor(stat.mtimeMs / 1000)}`);
  let tree = treeIn(target);
  if (!tree) {
    const tmp = `${target}.tmp-${process.pid}`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp, { recursive: true });
    execFileSync('tar', ['-xJf', file, '-C', tmp]);
    fs.rmSync(target, { recursive: true, force: true });
    fs.renameSync(tmp, target);
    tree = treeIn(target);
    if (!tree) throw new Error(`${file} did not extract to an Asterisk tree (no asterisk-run)`);
  }
  return { found: true, home: tree, origin: `extracted into ${target}` };
}

/** SIPp on the PATH (Debian: sip-tester). */
export function sippPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, 'sipp');
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}
