/** `albench compare` output: a plain-text table, Markdown for a pull-request comment, or JSON. */
import type { CellRef, CompareReport, ComparisonRow } from './compare-runs.js';
import type { SkippedResultFile } from './read-results.js';

export const COMPARE_FORMATS = ['text', 'markdown', 'json'] as const;
export type CompareFormat = (typeof COMPARE_FORMATS)[number];

/** Where the two sides came from, for the heading. */
export interface CompareSources {
  readonly baseline: { readonly dir: string; readonly cells: number; readonly skipped: readonly SkippedResultFile[] };
  readonly candidate: { readonly dir: string; readonly cells: number; readonly skipped: readonly SkippedResultFile[] };
}

const QUANTITY_LABEL = { aubc: 'AUBC', 'final-accuracy': 'final acc' } as const;

const num = (x: number) => x.toFixed(4);
const signed = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
const pValue = (p: number) => (p < 0.0001 ? '<0.0001' : p.toFixed(4));
const ci = (r: ComparisonRow) => (r.ci95 ? `[${signed(r.ci95[0])}, ${signed(r.ci95[1])}]` : '(1 seed)');
const verdict = (r: ComparisonRow) => (r.identical ? 'unchanged (identical)' : r.verdict);

function cells(row: ComparisonRow): string[] {
  return [row.setting, row.strategy, QUANTITY_LABEL[row.quantity], String(row.seeds.length), num(row.baselineMean), num(row.candidateMean), signed(row.meanDiff), ci(row), pValue(row.wilcoxonP), row.rankBiserial.toFixed(2), verdict(row)];
}

const HEADER = ['setting', 'strategy', 'metric', 'seeds', 'baseline', 'candidate', 'diff', '95% CI of diff', 'Wilcoxon p', 'r', 'verdict'];

function verdictLine(report: CompareReport): string {
  const { regressed, improved, unchanged } = report.counts;
  const failing = report.failedInCandidate.length ? `, ${report.failedInCandidate.length} cell(s) newly failing` : '';
  const outcome = report.regressed ? 'REGRESSION (exit 1)' : 'no regression (exit 0)';
  return `${regressed} regressed, ${improved} improved, ${unchanged} unchanged${failing}: ${outcome}`;
}

function refLine(c: CellRef): string {
  return `${c.id}  ${c.strategy}, seed ${c.seed}, ${c.setting}${c.error ? `: ${c.error}` : ''}`;
}

/** The listings that are not rows: one-sided cells, failures, skipped files, notes. */
function listings(report: CompareReport, sources: CompareSources): [string, string[]][] {
  return [
    ['Missing in the candidate', report.missingInCandidate.map(refLine)],
    ['Missing in the baseline', report.missingInBaseline.map(refLine)],
    ['Failed in the candidate (counted as regressions)', report.failedInCandidate.map(refLine)],
    ['Failed in the baseline (not compared)', report.failedInBaseline.map(refLine)],
    ['Unreadable result files, skipped', [...sources.baseline.skipped, ...sources.candidate.skipped].map((s) => `${s.path}: ${s.reason}`)],
    ['Notes', [...report.notes]],
  ];
}

export function formatCompareText(report: CompareReport, sources: CompareSources): string {
  const lines = [
    `baseline:  ${sources.baseline.dir} (${sources.baseline.cells} cells)`,
    `candidate: ${sources.candidate.dir} (${sources.candidate.cells} cells)`,
    `differences are candidate − baseline, paired by seed; regressed/improved: Wilcoxon p < ${report.alpha} and |diff| > ${report.minEffect}`,
    `Wilcoxon p is exact (all 2^n sign patterns, ties midranked, zero differences dropped); r = matched-pairs rank-biserial (W+ − W−)/(W+ + W−)`,
    '',
  ];
  const table = [HEADER, ...report.rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  for (const [i, row] of table.entries()) {
    lines.push(row.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd());
    if (i === 0) lines.push(widths.map((w) => '-'.repeat(w)).join('  '));
  }
  for (const [title, items] of listings(report, sources)) {
    if (items.length === 0) continue;
    lines.push('', `${title} (${items.length}):`, ...items.map((x) => `  ${x}`));
  }
  lines.push('', verdictLine(report));
  return `${lines.join('\n')}\n`;
}

const md = (s: string) => s.replace(/\|/g, '\\|');

export function formatCompareMarkdown(report: CompareReport, sources: CompareSources): string {
  const lines = [
    `### albench compare: ${report.regressed ? '❌ regression' : '✅ no regression'}`,
    '',
    `Baseline \`${sources.baseline.dir}\` (${sources.baseline.cells} cells) against candidate \`${sources.candidate.dir}\` (${sources.candidate.cells} cells). ` +
      `Differences are candidate − baseline, paired by seed; a row is regressed or improved when the Wilcoxon p < ${report.alpha} and |diff| > ${report.minEffect}. ` +
      `The Wilcoxon p is exact (all 2^n sign patterns, ties midranked, zero differences dropped); r is the matched-pairs rank-biserial correlation.`,
    '',
    `| ${HEADER.join(' | ')} |`,
    `|${HEADER.map((_, i) => (i >= 3 && i <= 9 ? ' ---: ' : ' --- ')).join('|')}|`,
    ...report.rows.map((r) => {
      const c = cells(r).map(md);
      if (r.verdict !== 'unchanged') c[10] = `**${c[10]}**`;
      return `| ${c.join(' | ')} |`;
    }),
  ];
  for (const [title, items] of listings(report, sources)) {
    if (items.length === 0) continue;
    lines.push('', `**${title}** (${items.length}):`, '', ...items.map((x) => `- ${md(x)}`));
  }
  lines.push('', `**${verdictLine(report)}**`);
  return `${lines.join('\n')}\n`;
}

export function formatCompareJson(report: CompareReport, sources: CompareSources): string {
  return `${JSON.stringify({ baseline: sources.baseline, candidate: sources.candidate, ...report }, null, 2)}\n`;
}

export function formatCompare(format: CompareFormat, report: CompareReport, sources: CompareSources): string {
  if (format === 'markdown') return formatCompareMarkdown(report, sources);
  if (format === 'json') return formatCompareJson(report, sources);
  return formatCompareText(report, sources);
}
