/**
 * `albench report`: read `<resultsDir>/cells/*.json` and write into `<outDir>/`:
 * `index.html`, `summary.md`, `curves.csv`, `learning-curves.svg`, `figures/<chart>.{svg,png}`
 * and `tables/<table>.{csv,json}`. Each file goes through the store's atomic write (temp file,
 * fsync, rename), so a reader never sees half a report. A result file that cannot be read is
 * named and skipped, not fatal: one corrupt file must not hide a week of results.
 */
import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { FINDING_IDS, type FindingId, type FindingOptions } from '../analysis/findings.js';
import { ResultsDirError } from '../regression/read-results.js';
import { writeFileAtomic } from '../store/atomic.js';
import { cellsDir as cellsDirOf, parseCellResult } from '../store/results.js';
import type { CellResult } from '../store/schema.js';
import { buildReport, type SkippedFile } from './build-report.js';
import { dataTableCsv, dataTableJson } from './data-table.js';
import { svgToPng } from './png.js';
import { renderSvg } from './svg.js';

export interface WriteReportOptions {
  /** Timestamp printed in the report; defaults to now. */
  readonly now?: Date;
  /** Also write a static `learning-curves.svg` (default true). */
  readonly svg?: boolean;
  /** Strategy name of the random-sampling baseline (default 'random'). */
  readonly baseline?: string;
  /** Write figures/ as SVG and PNG (default true). */
  readonly figures?: boolean;
  /** Told about each result file that was skipped (the CLI prints them). */
  readonly onSkip?: (skipped: SkippedFile) => void;
}

export interface WriteReportResult {
  readonly htmlPath: string;
  readonly csvPath: string;
  /** Absent when the SVG was not asked for or nothing completed. */
  readonly svgPath?: string;
  readonly summaryPath: string;
  /** Every figure written (SVG and PNG paths). */
  readonly figurePaths: readonly string[];
  /** Every table written (CSV and JSON paths). */
  readonly tablePaths: readonly string[];
  /** Result files that could not be read, with the reason. */
  readonly skipped: readonly SkippedFile[];
  /** Result files read (completed and failed). */
  readonly cells: number;
  readonly completed: number;
  readonly studyName: string;
}

/** Whether a file name in `cells/` is a finished result (not a temp file of an atomic write). */
export function isResultFileName(name: string): boolean {
  return name.endsWith('.json') && !name.startsWith('.') && !name.includes('.tmp');
}

/**
 * Reads every result of a study. Throws naming the directory when there is nothing to read;
 * a file that is not a readable result is returned in `skipped` with the reason.
 */
export async function readCellResults(resultsDir: string): Promise<{ results: CellResult[]; skipped: SkippedFile[] }> {
  const dirStat = await stat(resultsDir).catch(() => null);
  if (!dirStat) throw new ResultsDirError(`Results directory not found: ${resolve(resultsDir)}`);
  if (!dirStat.isDirectory()) throw new ResultsDirError(`Not a directory: ${resolve(resultsDir)} (expected a study's results directory)`);
  const cellsDir = cellsDirOf(resultsDir);
  const names = await readdir(cellsDir).catch(() => null);
  if (!names) {
    throw new ResultsDirError(`No cells/ directory in ${resolve(resultsDir)}: run the study first (albench run <spec>).`);
  }

  // Sorted so every run reads (and reports) in the same order.
  const files = names.filter(isResultFileName).sort();
  const results: CellResult[] = [];
  const skipped: SkippedFile[] = [];
  for (const name of files) {
    const path = join(cellsDir, name);
    try {
      // The store's parser checks JSON and schema version with messages that say what to do.
      results.push(checkCellResult(parseCellResult(await readFile(path, 'utf8'), path), path));
    } catch (err) {
      skipped.push({ path, reason: (err as Error).message });
    }
  }
  if (results.length === 0) {
    const why = skipped.length ? `; unreadable: ${skipped.map((x) => x.reason).join('; ')}` : '';
    throw new ResultsDirError(`No cell results in ${resolve(cellsDir)}: expected <cell-id>.json files written by albench run${why}`);
  }
  return { results, skipped };
}

/** The fields the report relies on beyond what the store's parser checks. */
function checkCellResult(parsed: CellResult, path: string): CellResult {
  // Typed as a result, but nothing has checked these fields yet.
  const r = parsed as Partial<Record<keyof CellResult, unknown>> | null;
  if (r === null || typeof r !== 'object') throw new Error(`result file ${path} is not a JSON object`);
  if (r.status !== 'completed' && r.status !== 'failed') {
    throw new Error(`result file ${path} has status ${JSON.stringify(r.status)}, expected 'completed' or 'failed'`);
  }
  if (!r.cell || typeof r.cell !== 'object' || !Array.isArray(r.rounds) || !r.env) {
    throw new Error(`result file ${path} lacks 'cell', 'env' or 'rounds'`);
  }
  return parsed;
}

/** The study's name and description from `study.json` (the directory's name when it has none). */
export async function readStudyInfo(resultsDir: string): Promise<{ name: string; description?: string }> {
  const fallback = basename(resolve(resultsDir));
  const text = await readFile(join(resultsDir, 'study.json'), 'utf8').catch(() => null);
  if (text === null) return { name: fallback };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new Error(`Cannot parse ${join(resultsDir, 'study.json')}: ${(err as Error).message}`, { cause: err });
  }
  const { name, description } = (parsed as { name?: unknown; description?: unknown } | null) ?? {};
  return {
    name: typeof name === 'string' && name.length > 0 ? name : fallback,
    ...(typeof description === 'string' && description.trim() ? { description } : {}),
  };
}

/**
 * The spec's `findings` overrides as `albench run` recorded them in study.json (undefined when
 * absent), checked again because the file may have been edited by hand.
 */
export async function readStudyFindings(resultsDir: string): Promise<FindingOptions | undefined> {
  const text = await readFile(join(resultsDir, 'study.json'), 'utf8').catch(() => null);
  if (text === null) return undefined;
  const raw = (JSON.parse(text) as { findings?: unknown } | null)?.findings;
  if (raw === undefined) return undefined;
  const where = join(resultsDir, 'study.json');
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error(`${where}: "findings" must be a mapping, got ${JSON.stringify(raw)}`);
  const out: Partial<Record<FindingId, { minEffect?: number }>> = {};
  for (const [id, v] of Object.entries(raw as Record<string, unknown>)) {
    if (!(FINDING_IDS as readonly string[]).includes(id)) throw new Error(`${where}: findings.${id} is not a finding; allowed: ${FINDING_IDS.join(', ')}`);
    const m = (v as { minEffect?: unknown } | null)?.minEffect;
    if (m !== undefined && !(typeof m === 'number' && m > 0 && m <= 1)) throw new Error(`${where}: findings.${id}.minEffect must be a number > 0 and ≤ 1, got ${JSON.stringify(m)}`);
    out[id as FindingId] = m === undefined ? {} : { minEffect: m };
  }
  return out;
}

export async function writeReport(
  resultsDir: string,
  outDir: string,
  options: WriteReportOptions = {},
): Promise<WriteReportResult> {
  const { results, skipped } = await readCellResults(resultsDir);
  for (const x of skipped) options.onSkip?.(x);
  const { name: studyName, description } = await readStudyInfo(resultsDir);
  const findings = await readStudyFindings(resultsDir);
  const report = buildReport(results, {
    studyName,
    description,
    ...(findings ? { findings } : {}),
    generatedAt: (options.now ?? new Date()).toISOString(),
    baseline: options.baseline,
    skipped,
  });

  await mkdir(outDir, { recursive: true });
  const htmlPath = join(outDir, 'index.html');
  const csvPath = join(outDir, 'curves.csv');
  const summaryPath = join(outDir, 'summary.md');
  // Files of an earlier report would be taken for this one's.
  await rm(join(outDir, 'figures'), { recursive: true, force: true });
  await rm(join(outDir, 'tables'), { recursive: true, force: true });

  let svgPath: string | undefined;
  const figurePaths: string[] = [];
  const svgs = new Map<string, string>();
  if (options.figures !== false || options.svg !== false) {
    for (const chart of report.charts) svgs.set(chart.id, await renderSvg(chart.spec));
  }
  if (options.svg !== false && report.primarySpec) {
    svgPath = join(outDir, 'learning-curves.svg');
    writeFileAtomic(svgPath, svgs.get(report.charts[0].id) ?? (await renderSvg(report.primarySpec)));
  } else {
    await rm(join(outDir, 'learning-curves.svg'), { force: true });
  }
  if (options.figures !== false && report.charts.length) {
    await mkdir(join(outDir, 'figures'), { recursive: true });
    for (const chart of report.charts) {
      const svg = svgs.get(chart.id)!;
      const base = join(outDir, 'figures', chart.id);
      writeFileAtomic(`${base}.svg`, svg);
      writeFileAtomic(`${base}.png`, await svgToPng(svg));
      figurePaths.push(`${base}.svg`, `${base}.png`);
    }
  }
  await mkdir(join(outDir, 'tables'), { recursive: true });
  const tablePaths: string[] = [];
  for (const t of report.tables) {
    const base = join(outDir, 'tables', t.id);
    writeFileAtomic(`${base}.csv`, dataTableCsv(t));
    writeFileAtomic(`${base}.json`, dataTableJson(t));
    tablePaths.push(`${base}.csv`, `${base}.json`);
  }
  writeFileAtomic(csvPath, report.csv);
  writeFileAtomic(summaryPath, report.summaryMd);
  // Last, so an index.html on disk means the files it mentions are there too.
  writeFileAtomic(htmlPath, report.html);

  return {
    htmlPath,
    csvPath,
    summaryPath,
    ...(svgPath ? { svgPath } : {}),
    figurePaths,
    tablePaths,
    skipped,
    cells: results.length,
    completed: results.filter((r) => r.status === 'completed').length,
    studyName,
  };
}
