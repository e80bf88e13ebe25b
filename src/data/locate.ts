/**
 * Finding a downloadable data set's files on disk, before any network: the user's directories
 * first, then system packages (Debian's dataset-fashion-mnist), so a machine that already has the
 * data never downloads it again.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DatasetError } from './dataset.js';
import type { DatasetSource } from './sources.js';

/**
 * Directories tried in order: `dataDir`, `$ALBENCH_DATA`, `./data/<dirName>`, then the system
 * directories. `dataDir` and `$ALBENCH_DATA` may name either the files' directory or a data root
 * with a `<dirName>/` subdirectory. Each directory's `subDirs` (an archive's own folder) come right
 * after it.
 */
export function datasetSearchPath(
  source: Pick<DatasetSource, 'dirName' | 'systemDirs' | 'subDirs'>,
  dataDir?: string,
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): string[] {
  const base: string[] = [];
  for (const root of [dataDir, env.ALBENCH_DATA]) {
    if (root) base.push(resolve(cwd, root), resolve(cwd, root, source.dirName));
  }
  base.push(resolve(cwd, 'data', source.dirName), ...source.systemDirs);
  const dirs = base.flatMap((dir) => [dir, ...source.subDirs.map((sub) => join(dir, sub))]);
  return [...new Set(dirs)];
}

/**
 * Where `fetch` puts files: `<dataDir>/<dirName>` if given, else `$ALBENCH_DATA/<dirName>`, else
 * `./data/<dirName>` — each of which is on the search path.
 */
export function downloadDir(source: Pick<DatasetSource, 'dirName'>, dataDir?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string {
  return resolve(cwd, dataDir ?? env.ALBENCH_DATA ?? 'data', source.dirName);
}

/** The raw file if present, else (when allowed) the .gz, else undefined. */
function findFile(dir: string, base: string, gzipOk: boolean): string | undefined {
  for (const name of gzipOk ? [base, `${base}.gz`] : [base]) {
    const path = join(dir, name);
    if (existsSync(path)) return path;
  }
  return undefined;
}

/** Human advice for getting the data, used by every "not found" error. */
export function howToGet(source: DatasetSource): string {
  const system = source.systemDirs.length > 0 && source.name === 'fashion-mnist' ? '`apt-get install dataset-fashion-mnist` (Debian/Ubuntu), or ' : '';
  return (
    `To get ${source.displayName}: ${system}\`albench data fetch ${source.name}\` (downloads ${source.downloads.map((d) => d.fileName).join(', ')} ` +
    `from ${source.homepage} and checks SHA-256), or put the files into ./data/${source.dirName} or a directory named by $ALBENCH_DATA (or --data-dir).`
  );
}

/**
 * Pick the first directory holding any of the files. All must then be there: mixing files from
 * different directories would hide a half-finished download.
 */
export function locateFiles(source: DatasetSource, searchPath: readonly string[]): { dir: string; paths: Record<string, string> } {
  for (const dir of searchPath) {
    const found = source.files.map((f) => [f.key, findFile(dir, f.name, source.gzipOk)] as const);
    if (found.every(([, path]) => path === undefined)) continue;
    const missing = source.files.filter((_, i) => found[i][1] === undefined).map((f) => join(dir, f.name) + (source.gzipOk ? '(.gz)' : ''));
    if (missing.length > 0) {
      throw new DatasetError(`${source.displayName} is incomplete in ${dir}: missing ${missing.join(', ')}. ${howToGet(source)}`);
    }
    return { dir, paths: Object.fromEntries(found) as Record<string, string> };
  }
  throw new DatasetError(
    `${source.displayName} files not found; searched ${searchPath.join(', ')} for ${source.files.map((f) => f.name).join(', ')}` +
      `${source.gzipOk ? ' (each raw or .gz)' : ''}. ${howToGet(source)}`,
  );
}
