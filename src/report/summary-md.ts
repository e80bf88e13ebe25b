/** `summary.md`: the findings and headline tables in Markdown, for pasting into a paper or an issue. */
import type { Analysis } from '../analysis/analyze.js';
import { RECOMMENDED_SEEDS } from '../analysis/findings.js';
import type { DataTable, TableValue } from './data-table.js';

/** Markdown table cells cannot hold pipes or line breaks. */
function mdCell(v: TableValue, digits = 3, nullText = '—'): string {
  if (v === null) return nullText;
  const text = typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(digits)) : v;
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

export function markdownTable(t: DataTable, keys?: readonly string[]): string {
  const cols = keys ? t.columns.filter((c) => keys.includes(c.key)) : t.columns;
  const head = `| ${cols.map((c) => mdCell(c.label)).join(' | ')} |`;
  const rule = `|${cols.map(() => ' --- ').join('|')}|`;
  const body = t.rows.map((r) => `| ${cols.map((c) => mdCell(r[c.key] ?? null, c.digits ?? 3, c.nullText)).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

export interface SummaryInput {
  readonly studyName: string;
  readonly generatedAt: string;
  readonly analysis: Analysis;
  readonly cells: number;
  readonly completed: number;
  readonly skipped: number;
  readonly tables: { readonly findings: DataTable; readonly aubc: DataTable; readonly paired: DataTable; readonly efficiency: DataTable };
}

export function summaryMarkdown(s: SummaryInput): string {
  const a = s.analysis;
  const [lo, hi] = a.seedRange;
  const lines = [
    `# albench: ${mdCell(s.studyName)}`,
    '',
    `Generated ${s.generatedAt}. ${s.cells} cells: ${s.completed} completed, ${s.cells - s.completed} failed` +
      (s.skipped ? `, ${s.skipped} unreadable result file${s.skipped === 1 ? '' : 's'} skipped` : '') +
      `. Seeds per configuration: ${lo === hi ? lo : `${lo}–${hi}`}. Baseline: \`${a.baseline}\`.` +
      (a.axes.length ? ` Varying axes: ${a.axes.map((x) => `\`${x}\``).join(', ')}.` : ''),
    '',
    lo < RECOMMENDED_SEEDS
      ? `> Verdicts need ≥ 3 seeds; use ≥ ${RECOMMENDED_SEEDS}: CDALBench (Werner et al. 2024) showed that 3 seeds can flip conclusions.`
      : '',
    '',
    '## Findings',
    '',
    markdownTable(s.tables.findings, ['id', 'title', 'verdict', 'value', 'seeds', 'reason']),
    '',
    '## AUBC (mean ± 95% CI over seeds, rank within setting)',
    '',
    markdownTable(s.tables.aubc, ['setting', 'strategy', 'rank', 'aubc_mean', 'aubc_ci95', 'final_accuracy_mean', 'n_seeds']),
    '',
    `## Paired comparison with ${mdCell(a.baseline)} (AUBC)`,
    '',
    markdownTable(
      { ...s.tables.paired, rows: s.tables.paired.rows.filter((r) => r.quantity === 'AUBC') },
      ['setting', 'strategy', 'seeds', 'mean_diff', 'ci_low', 'ci_high', 'wilcoxon_p'],
    ),
    '',
    '## Label efficiency',
    '',
    markdownTable(s.tables.efficiency, ['setting', 'strategy', 'mean_ratio', 'labels_to_90pct', 'labels_to_95pct', 'labels_to_99pct']),
    '',
  ];
  if (a.cd) {
    lines.push(
      '## Average ranks (Demšar 2006)',
      '',
      `${a.cd.strategies.map((st, i) => `${mdCell(st)} ${a.cd!.averageRanks[i].toFixed(2)}`).join(' · ')} — Friedman p = ${a.cd.friedmanP?.toPrecision(3)} over ${a.cd.blocks} blocks.`,
      '',
    );
  }
  lines.push('The full report (index.html), figures/ (SVG, PNG) and tables/ (CSV, JSON) are beside this file.', '');
  return lines.join('\n');
}
