/** Runs the built CLI (dist/) as a user would. `npm test` builds before vitest runs. */
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CLI = join(ROOT, 'dist', 'cli', 'main.js');

export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first (npm test does)`);
}

export function albench(args: string[], cwd = ROOT): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 600_000 });
}

/** Starts the CLI in its own process group, so the test can kill it and all its workers at once. */
export function albenchDetached(args: string[], cwd = ROOT) {
  return spawn(process.execPath, [CLI, ...args], { cwd, detached: true, stdio: 'ignore' });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `albench-${prefix}-`));
}

/** Writes a spec file into `dir` and returns its path. */
export function writeSpec(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}
