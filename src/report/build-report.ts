/** Results → everything the report writes, with no file system access (so tests need no disk). */
import type { TopLevelSpec } from 'vega-lite';
import { analyze, type Analysis } from '../analysis/analyze.js';
import { canonicalJson, settingLabel, type CurveRow } from '../analysis/curves.js';
import type { FindingOptions } from '../analysis/findings.js';
import type { ResolvedCell } from '../spec/types.js';
import type { CellResult } from '../store/schema.js';
import {
  aubcDataTable,
  cdDataTables,
  costDataTable,
  environmentDataTable,
  failedDataTable,
  findingsDataTable,
  labelEfficiencyDataTable,
  labelEfficiencyPointsDataTable,
  pairedDataTable,
  penaltyDataTable,
  varianceDataTable,
  type SkippedFile,
} from './analysis-tables.js';
import { fitReport } from './fit-section.js';
import { cdDiagramSpec } from './cd-diagram-spec.js';
import { curvesCsv } from './csv.js';
import { toReportTable, type DataTable } from './data-table.js';
import type { Finding } from '../analysis/findings.js';
import { evidenceDataTable, findingsHtml, verdictBadge } from './findings-html.js';
import { treatmentChecksDataTable } from './treatment-checks-html.js';
import { escapeHtml, renderReportHtml, type ReportBlock, type ReportChart, type ReportSection } from './html.js';
import { DEFAULT_BASELINE, learningCurveSpec, strategyOrder } from './learning-curve-spec.js';
import { penaltyMatrixSpec } from './penalty-matrix-spec.js';
import { summaryMarkdown } from './summary-md.js';
import { varianceSpec } from './variance-spec.js';
import type { VegaBundles } from './vega-bundles.js';

export type { SkippedFile } from './analysis-tables.js';

export interface BuildReportOptions {
  readonly studyName: string;
  /** The spec's description (study.json), shown first; plain text, escaped. */
  readonly description?: string;
  /** ISO timestamp printed in the page; injected so output is reproducible in tests. */
  readonly generatedAt: string;
  /** Strategy name of the random-sampling baseline. */
  readonly baseline?: string;
  /** Result files that could not be read; listed with the failed cells. */
  readonly skipped?: readonly SkippedFile[];
  /** The spec's per-finding overrides (study.json's `findings`). */
  readonly findings?: FindingOptions;
  /** For tests: stand-ins for the 0.8 MB of Vega libraries. */
  readonly bundles?: VegaBundles;
}

export interface BuiltReport {
  readonly html: string;
  /** The aggregated learning curves (curves.csv). */
  readonly csv: string;
  readonly rows: readonly CurveRow[];
  readonly axes: readonly string[];
  readonly analysis: Analysis;
  /** Every chart of the page, in order (figures/<id>.svg and .png). */
  readonly charts: readonly ReportChart[];
  /** Every table (tables/<id>.csv and .json), findings' evidence included. */
  readonly tables: readonly DataTable[];
  readonly summaryMd: string;
  /** The first accuracy learning-curve spec, for learning-curves.svg; null when nothing completed. */
  readonly primarySpec: TopLevelSpec | null;
}

const GRID_AXES = ['augmentation', 'ssl'];

/**
 * Learning-curve charts: one per combination of the non-augmentation/SSL axes (budget, batch
 * size, dataset …), each faceted by augmentation × SSL where those vary.
 */
function curveCharts(rows: readonly CurveRow[], axes: readonly string[], baseline: string): ReportChart[] {
  const groupAxes = axes.filter((a) => !GRID_AXES.some((g) => a === g || a.startsWith(`${g}.`)));
  const groups = new Map<string, { label: string; rows: CurveRow[] }>();
  for (const r of rows) {
    const setting = JSON.parse(r.settingKey) as Record<string, unknown>;
    for (const g of GRID_AXES) delete setting[g];
    const key = canonicalJson(setting);
    const g = groups.get(key) ?? { label: groupAxes.length ? settingLabel(setting as unknown as ResolvedCell, groupAxes) : '', rows: [] };
    g.rows.push(r);
    groups.set(key, g);
  }
  const sorted = [...groups.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return sorted.map((g, i) => ({
    id: sorted.length === 1 ? 'learning-curves' : `learning-curves-${i + 1}`,
    title: g.label ? `Accuracy: ${g.label}` : 'Accuracy',
    spec: learningCurveSpec(g.rows, {
      metric: 'accuracy',
      baseline,
      facetBy: 'augmentation-ssl',
      title: g.label ? `Learning curves (${g.label}): test accuracy vs. labelled examples` : undefined,
    }),
  }));
}

/** The findings in one line: how many of each verdict, and which. */
export function verdictSummary(findings: readonly Finding[]): string {
  const of = (v: Finding['verdict']) => findings.filter((f) => f.verdict === v);
  const part = (v: Finding['verdict']) => {
    const list = of(v);
    return `${verdictBadge(v)} ${list.length}${list.length ? ` (${list.map((f) => escapeHtml(f.id)).join(', ')})` : ''}`;
  };
  const covered = findings.length - of('not covered').length;
  return (
    `<p class="verdict-line"><strong>Verdicts on the ${covered} finding${covered === 1 ? '' : 's'} this study covers:</strong> ` +
    `${part('supported')}, ${part('not supported')}, ${part('inconclusive')}; ${of('not covered').length} not covered ` +
    `(<a href="#findings-not-covered">which axes would cover them</a>).</p>`
  );
}

/**
 * The AUBC ranking in one small table for the first screen: a row per strategy (best mean rank
 * first), a column per setting with mean ± 95% CI and the rank. The full table follows below.
 */
export function aubcRankingHtml(a: Analysis): string {
  const settings = [...new Set(a.aubc.map((r) => r.setting))].sort();
  const strategies = [...new Set(a.aubc.map((r) => r.strategy))];
  const meanRank = (s: string) => {
    const ranks = a.aubc.filter((r) => r.strategy === s).map((r) => r.rank);
    return ranks.reduce((x, y) => x + y, 0) / ranks.length;
  };
  strategies.sort((x, y) => meanRank(x) - meanRank(y) || (x < y ? -1 : 1));
  const cell = (strategy: string, setting: string) => {
    const r = a.aubc.find((x) => x.strategy === strategy && x.setting === setting);
    if (!r) return '<td class="num">—</td>';
    const ci = r.summary.ci95 === null ? '' : ` ± ${r.summary.ci95.toFixed(3)}`;
    return `<td class="num${r.rank === 1 ? ' best' : ''}">${r.summary.mean.toFixed(3)}${ci} <span class="rank">(${r.rank})</span></td>`;
  };
  const head = settings.map((s) => `<th class="num">${escapeHtml(s || 'AUBC')}</th>`).join('');
  const body = strategies.map((s) => `<tr><td>${escapeHtml(s)}</td>${settings.map((x) => cell(s, x)).join('')}</tr>`).join('');
  return (
    `<div class="table ranking" id="table-aubc-ranking"><h3>AUBC ranking</h3><div class="scroll"><table><thead><tr><th>Strategy</th>${head}</tr></thead><tbody>${body}</tbody></table></div>` +
    '<p class="caption">Area under the learning curve, mean ± 95% CI over seeds (rank within the setting; best in bold). Details in the AUBC table below.</p></div>'
  );
}

/** A learning-curve chart sized for the first screen: smaller, its title given by the heading. */
function compactChart(c: ReportChart): ReportChart {
  const spec = c.spec as unknown as Record<string, unknown>;
  if (!('width' in spec) || !('layer' in spec)) return c;
  const { title: _title, ...rest } = spec;
  return { ...c, spec: { ...rest, width: 380, height: 200 } as unknown as TopLevelSpec };
}

const table = (t: DataTable): ReportBlock => ({ kind: 'table', table: toReportTable(t, '') });
const chart = (c: ReportChart): ReportBlock => ({ kind: 'chart', chart: c });
const p = (html: string): ReportBlock => ({ kind: 'html', html: `<p>${html}</p>` });

export function buildReport(results: readonly CellResult[], options: BuildReportOptions): BuiltReport {
  const baseline = options.baseline ?? DEFAULT_BASELINE;
  const skipped = options.skipped ?? [];
  const a = analyze(results, baseline, options.findings);
  const rows = a.curves;
  const completed = results.filter((r) => r.status === 'completed').length;
  const none = rows.length === 0;

  const curves = none ? [] : curveCharts(rows, a.axes, baseline);
  const f1Chart: ReportChart | null = none
    ? null
    : {
        id: 'macro-f1',
        title: 'Macro-F1, every setting',
        spec: learningCurveSpec(rows, { metric: 'macroF1', baseline }),
        caption: 'Macro-F1 weighs every class equally, so it exposes strategies that neglect rare classes.',
      };
  const penaltyChart: ReportChart | null =
    a.penalty.strategies.length >= 2 && a.penalty.settings > 0
      ? { id: 'penalty-matrix', title: '', spec: penaltyMatrixSpec(a.penalty) }
      : null;
  const cdChart: ReportChart | null = a.cd ? { id: 'cd-diagram', title: '', spec: cdDiagramSpec(a.cd) } : null;
  const strategies = strategyOrder(rows, baseline);
  const varianceChart: ReportChart | null = a.variance.some((v) => v.finalStd !== null)
    ? { id: 'seed-variance', title: '', spec: varianceSpec(a.variance, strategies, baseline) }
    : null;

  const t = {
    study: environmentDataTable(results, a, options.studyName, skipped),
    findings: findingsDataTable(a),
    aubc: aubcDataTable(a),
    efficiency: labelEfficiencyDataTable(a),
    efficiencyPoints: labelEfficiencyPointsDataTable(a),
    paired: pairedDataTable(a),
    penalty: penaltyDataTable(a),
    cd: cdDataTables(a),
    variance: varianceDataTable(a),
    cost: costDataTable(a),
    failed: failedDataTable(results, a, skipped),
  };
  const fit = fitReport(results);
  const evidence = a.findings.filter((f) => f.evidence.rows.length > 0).map(evidenceDataTable);
  const emptyNote = (what: string) => p(`<em>Nothing to show: ${escapeHtml(what)}.</em>`);

  const description = options.description?.trim()
    ? `<p class="description">${escapeHtml(options.description.trim())}</p>`
    : '<p class="description"><em>No description: add <code>description:</code> to the spec to say what this study asks.</em></p>';
  const sections: ReportSection[] = [
    {
      // The first screen answers the study's question: what it is, the curves, the ranking, the verdicts.
      id: 'answer',
      title: 'At a glance',
      lead: true,
      intro: `${description}\n${verdictSummary(a.findings)}`,
      blocks: none
        ? [emptyNote('no completed cells')]
        : [
            { kind: 'html', html: '<div class="charts">' },
            ...curves.map(compactChart).map(chart),
            { kind: 'html', html: aubcRankingHtml(a) },
            { kind: 'html', html: '</div>' },
            p('Accuracy: mean over seeds with a 95% CI band; the black dashed line is random sampling. Macro-F1 curves and the detail tables follow the findings.'),
          ],
    },
    {
      id: 'findings',
      title: 'Findings',
      intro:
        '<p>Each claim of the critique papers that this run covers, tested on it; the claims it does not cover are listed in one line below the cards, ' +
        'with the axes that would cover them. The one decision procedure is in <code>src/analysis/findings/procedure.ts</code> (each finding in its own file beside it) and under “How to read this report”.</p>',
      blocks: [{ kind: 'html', html: findingsHtml(a.findings, a.seedRange) }],
    },
    ...(a.treatments.length
      ? [{ id: 'treatments', title: 'Treatment checks', intro: `<p>Each treatment’s paired effect on <code>${escapeHtml(baseline)}</code> (per seed, AUBC with − without). Findings about what a treatment does to AL (F1, F2, F6, F8, F11) are judged only where it improved the baseline. The training-accuracy columns tell a treatment that honestly did not help (both arms fit their labelled sets) from one whose models underfit (the recipe, not the treatment).</p>`, blocks: [table(treatmentChecksDataTable(a.treatments))] }]
      : []),
    { id: 'study', title: 'Study and environment', blocks: [table(t.study)] },
    {
      id: 'curves',
      title: 'Macro-F1 learning curves',
      intro: '<p>Mean ± 95% CI over seeds (the accuracy curves are at the top of the page, one chart per budget / batch size and any other axis, panels by augmentation × SSL where those vary).</p>',
      blocks: none || !f1Chart ? [emptyNote('no completed cells')] : [chart(f1Chart)],
    },
    ...fit.sections,
    { id: 'aubc', title: 'AUBC table with ranks', blocks: none ? [emptyNote('no completed cells')] : [table(t.aubc)] },
    {
      id: 'label-efficiency',
      title: 'Label efficiency',
      blocks: t.efficiency.rows.length
        ? [table(t.efficiency), { kind: 'html', html: `<details><summary>Every checkpoint (${t.efficiencyPoints.rows.length} rows)</summary>` }, table(t.efficiencyPoints), { kind: 'html', html: '</details>' }]
        : [emptyNote(`no setting has the '${baseline}' baseline`)],
    },
    {
      id: 'paired',
      title: `Paired comparison with ${baseline}`,
      blocks: t.paired.rows.length ? [table(t.paired)] : [emptyNote(`no strategy ran next to '${baseline}'`)],
    },
    {
      id: 'penalty',
      title: 'Pairwise penalty matrix',
      blocks: penaltyChart ? [chart(penaltyChart), table(t.penalty)] : [emptyNote('needs ≥ 2 strategies with ≥ 2 common seeds')],
    },
    {
      id: 'cd',
      title: 'Critical-difference diagram',
      blocks: cdChart ? [chart(cdChart), ...t.cd.map(table)] : [emptyNote('needs ≥ 2 strategies sharing ≥ 2 (setting, seed) blocks')],
    },
    {
      id: 'variance',
      title: 'Seed variance',
      blocks: none ? [emptyNote('no completed cells')] : [...(varianceChart ? [chart(varianceChart)] : []), table(t.variance)],
    },
    { id: 'cost', title: 'Cost per strategy', blocks: none ? [emptyNote('no completed cells')] : [table(t.cost)] },
    {
      id: 'failed',
      title: 'Failed cells',
      blocks: t.failed.rows.length ? [table(t.failed)] : [p('None: every cell completed and every result file was readable.')],
    },
  ];

  const notes = [
    'A <em>setting</em> is one combination of every configuration axis except the strategy and the seed ' +
      (a.axes.length
        ? `(here the settings differ in ${a.axes.map((x) => `<code>${escapeHtml(x)}</code>`).join(', ')})`
        : '(this study has one)') +
      '. Within a setting and seed every strategy starts from the same labelled set and the same initial weights, so curves differ only by the strategy’s choices.',
    'Means and intervals are over seeds. The 95% interval is mean ± t·s/√n with Student’s t quantile for n − 1 degrees of ' +
      'freedom: with 3 seeds t = 4.30, not 1.96, so few seeds give wide bands. No interval is shown for a single seed.',
    `Random sampling (<code>${escapeHtml(baseline)}</code>) is the baseline, drawn as a black dashed line.`,
    'Verdicts: the seed is the unit, and each finding declares an estimand, a direction and a smallest effect of interest m. <em>Supported</em>: the 95% interval excludes 0 on the claimed side (Holm-adjusted within the finding’s family) and the estimate is at least m. <em>Not supported</em>: equivalence within ±m (two one-sided tests: the 90% interval inside ±m) or the opposite effect of at least m. Otherwise <em>inconclusive</em>, with the seeds that would decide it. Ranking claims need a significant reversal to be supported and, to be not supported, every pair’s interaction equivalent within ±m or the same significant order at both levels. Budgets nested in a larger one count once; findings about a treatment use only pairs where it improved the baseline. Every verdict needs ≥ 3 seeds.',
    'Every chart is in <code>figures/</code> as SVG and PNG, every table in <code>tables/</code> as CSV and JSON, the curves in <code>curves.csv</code>, and a Markdown digest in <code>summary.md</code>.',
  ];
  if (none) notes.unshift('<strong>No completed cells</strong>: there is nothing to plot yet. See the failed cells.');

  // The files (figures/) get the full-size, titled curves; the page's first screen the compact ones.
  const full = new Map(curves.map((c) => [c.id, c]));
  const charts = sections.flatMap((s) => s.blocks.flatMap((b) => (b.kind === 'chart' ? [full.get(b.chart.id) ?? b.chart] : [])));
  const html = renderReportHtml(
    {
      title: `albench report: ${options.studyName}`,
      studyName: options.studyName,
      generatedAt: options.generatedAt,
      sections,
      notes,
    },
    options.bundles,
  );
  const tables = [t.findings, ...(a.treatments.length ? [treatmentChecksDataTable(a.treatments)] : []), t.study, t.aubc, t.efficiency, t.efficiencyPoints, t.paired, t.penalty, ...t.cd, t.variance, t.cost, t.failed, ...fit.tables, ...evidence];
  return {
    html,
    csv: curvesCsv(rows, a.axes),
    rows,
    axes: a.axes,
    analysis: a,
    charts,
    tables,
    summaryMd: summaryMarkdown({
      studyName: options.studyName,
      generatedAt: options.generatedAt,
      analysis: a,
      cells: results.length,
      completed,
      skipped: skipped.length,
      tables: { findings: t.findings, aubc: t.aubc, paired: t.paired, efficiency: t.efficiency },
    }),
    primarySpec: curves[0]?.spec ?? null,
  };
}
