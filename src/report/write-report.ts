/**
 * `albench report`: read `<resultsDir>/cells/*.json`, write `<outDir>/index.html`,
 * `curves.csv` and `learning-curves.svg`. Each file is written to a temp name and renamed,
 * so a reader never sees half a report.
 */
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { SCHEMA_VERSION, type CellResult } from '../store/schema.js';
import { buildReport } from './build-report.js';
import { renderSvg } from './svg.js';

export interface WriteReportOptions {
  /** Timestamp printed in the report; defaults to now. */
  readonly now?: Date;
  /** Also write a static `learning-curves.svg` (default true). */
  readonly svg?: boolean;
  /** Strategy name of the random-sampling baseline (default 'random'). */
  readonly baseline?: string;
}

export interface WriteReportResult {
  readonly htmlPath: string;
  readonly csvPath: string;
  /** Absent when the SVG was not asked for or nothing completed. */
  readonly svgPath?: string;
  /** Result files read (completed and failed). */
  readonly cells: number;
  readonly completed: number;
  readonly studyName: string;
}

/** Whether a file name in `cells/` is a finished result (not a temp file of an atomic write). */
export function isResultFileName(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.') && !name.includes('.tmp');
}

/** Reads every result of a study. Throws naming the directory or file that is wrong. */
export async function readCellResults(resultsDir: string): Promise<CellResult[]> {
  const dirStat = await stat(resultsDir).catch(() => null);
  if (!dirStat) throw new Error(`Results directory not found: ${resolve(resultsDir)}`);
  if (!dirStat.isDirectory()) throw new Error(`Not a directory: ${resolve(resultsDir)} (expected a study's results directory)`);
  const cellsDir = join(resultsDir, 'cells');
  const names = await readdir(cellsDir).catch(() => null);
  if (!names) {
    throw new Error(`No cells/ directory in ${resolve(resultsDir)}: run the study first (albench run <spec>).`);
  }

  // Sorted so every run reads (and reports) in the same order.
  const files = names.filter(isResultFileName).sort();
  const results: CellResult[] = [];
  for (const name of files) {
    const path = join(cellsDir, name);
    let parsed: unknown;
    try {
      parsed = JSON.parse(await readFile(path, 'utf8'));
    } catch (err) {
      throw new Error(`Cannot parse cell result ${path}: ${(err as Error).message}`);
    }
    results.push(checkCellResult(parsed, path));
  }
  if (results.length === 0) {
    throw new Error(`No cell results in ${resolve(cellsDir)}: expected <cell-id>.json files written by albench run.`);
  }
  return results;
}

/** The fields the report relies on; a deeper check belongs to the store's integrity command. */
function checkCellResult(value: unknown, path: string): CellResult {
  const r = value as Partial<CellResult> | null;
  if (r === null || typeof r !== 'object') throw new Error(`${path}: not a JSON object`);
  if (r.schemaVersion !== SCHEMA_VERSION) {
    throw new Error(`${path}: schemaVersion ${String(r.schemaVersion)}, but this albench reads ${SCHEMA_VERSION}`);
  }
  if (r.status !== 'completed' && r.status !== 'failed') {
    throw new Error(`${path}: status ${JSON.stringify(r.status)}, expected 'completed' or 'failed'`);
  }
  if (!r.cell || typeof r.cell !== 'object' || !Array.isArray(r.rounds) || !r.env) {
    throw new Error(`${path}: missing 'cell', 'env' or 'rounds'`);
  }
  return r as CellResult;
}

/** The study's name: `study.json`'s "name" when there is one, else the directory's name. */
export async function readStudyName(resultsDir: string): Promise<string> {
  const fallback = basename(resolve(resultsDir));
  const text = await readFile(join(resultsDir, 'study.json'), 'utf8').catch(() => null);
  if (text === null) return fallback;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`Cannot parse ${join(resultsDir, 'study.json')}: ${(err as Error).message}`);
  }
  const name = (parsed as { name?: unknown } | null)?.name;
  return typeof name === 'string' && name.length > 0 ? name : fallback;
}

/** Writes to a temp file in the same directory, fsyncs, then renames over the target. */
export async function writeFileAtomic(path: string, content: string): Promise<void> {
  // Same directory so rename is atomic; the prefix matches the repository's .gitignore.
  const tmp = join(resolve(path, '..'), `.albench-tmp-${basename(path)}-${process.pid}`);
  const handle = await open(tmp, 'w');
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

export async function writeReport(
  resultsDir: string,
  outDir: string,
  options: WriteReportOptions = {},
): Promise<WriteReportResult> {
  const results = await readCellResults(resultsDir);
  const studyName = await readStudyName(resultsDir);
  const report = buildReport(results, {
    studyName,
    generatedAt: (options.now ?? new Date()).toISOString(),
    baseline: options.baseline,
  });

  await mkdir(outDir, { recursive: true });
  const htmlPath = join(outDir, 'index.html');
  const csvPath = join(outDir, 'curves.csv');
  let svgPath: string | undefined;
  if (options.svg !== false && report.primarySpec) {
    svgPath = join(outDir, 'learning-curves.svg');
    await writeFileAtomic(svgPath, await renderSvg(report.primarySpec));
  } else {
    // A chart left by an earlier report would be taken for this one's.
    await rm(join(outDir, 'learning-curves.svg'), { force: true });
  }
  await writeFileAtomic(csvPath, report.csv);
  // Last, so an index.html on disk means the files it mentions are there too.
  await writeFileAtomic(htmlPath, report.html);

  return {
    htmlPath,
    csvPath,
    ...(svgPath ? { svgPath } : {}),
    cells: results.length,
    completed: results.filter((r) => r.status === 'completed').length,
    studyName,
  };
}
