/** Results → everything the report writes, with no file system access (so tests need no disk). */
import type { TopLevelSpec } from 'vega-lite';
import type { CellResult, CompletedResult } from '../store/schema.js';
import { aggregateCurves, varyingAxes, type CurveRow } from '../analysis/curves.js';
import { curvesCsv } from './csv.js';
import { escapeHtml, renderReportHtml, type ReportChart, type ReportTable } from './html.js';
import { DEFAULT_BASELINE, learningCurveSpec } from './learning-curve-spec.js';
import { finalAccuracyTableHtml, summaryTableHtml } from './tables.js';
import type { VegaBundles } from './vega-bundles.js';

export interface BuildReportOptions {
  readonly studyName: string;
  /** ISO timestamp printed in the page; injected so output is reproducible in tests. */
  readonly generatedAt: string;
  /** Strategy name of the random-sampling baseline. */
  readonly baseline?: string;
  /** For tests: stand-ins for the 0.8 MB of Vega libraries. */
  readonly bundles?: VegaBundles;
}

export interface BuiltReport {
  readonly html: string;
  readonly csv: string;
  readonly rows: readonly CurveRow[];
  readonly axes: readonly string[];
  readonly charts: readonly ReportChart[];
  /** The accuracy learning-curve spec, for a static SVG; null when nothing completed. */
  readonly primarySpec: TopLevelSpec | null;
}

export function buildReport(results: readonly CellResult[], options: BuildReportOptions): BuiltReport {
  const baseline = options.baseline ?? DEFAULT_BASELINE;
  const completed = results.filter((r): r is CompletedResult => r.status === 'completed');
  const axes = varyingAxes(completed.map((r) => r.cell));
  const rows = aggregateCurves(completed, { varyingAxes: axes });
  const settings = new Set(rows.map((r) => r.settingKey)).size;

  const charts: ReportChart[] =
    rows.length === 0
      ? []
      : [
          {
            id: 'accuracy',
            title: 'Learning curves: accuracy',
            spec: learningCurveSpec(rows, { metric: 'accuracy', baseline }),
            caption: 'Hover a point for its exact mean, interval and number of seeds.',
          },
          {
            id: 'macro-f1',
            title: 'Learning curves: macro-F1',
            spec: learningCurveSpec(rows, { metric: 'macroF1', baseline }),
            caption: 'Macro-F1 weighs every class equally, so it exposes strategies that neglect rare classes.',
          },
        ];

  const tables: ReportTable[] = [{ id: 'summary', title: 'Summary', html: summaryTableHtml(results, settings) }];
  if (rows.length > 0) {
    tables.push({
      id: 'final-accuracy',
      title: 'Final test accuracy',
      html: finalAccuracyTableHtml(rows, baseline),
      caption:
        'Mean ± 95% confidence interval over seeds at the largest labelled-set size of each setting; best mean in bold. ' +
        'Hover a cell for its number of seeds.',
    });
  }

  const notes = [
    'A <em>setting</em> is one combination of every configuration axis except the strategy and the seed ' +
      (axes.length
        ? `(here the settings differ in ${axes.map((a) => `<code>${escapeHtml(a)}</code>`).join(', ')})`
        : '(this study has one)') +
      '. Within a setting and seed every strategy starts from the same labelled set and the same initial weights, so curves differ only by the strategy’s choices.',
    'Means and intervals are over seeds. The 95% interval is mean ± t·s/√n with Student’s t quantile for n − 1 degrees of ' +
      'freedom: with 3 seeds t = 4.30, not 1.96, so few seeds give wide bands. No interval is shown for a single seed.',
    `Random sampling (<code>${escapeHtml(baseline)}</code>) is the baseline, drawn as a black dashed line.`,
    'The aggregated numbers are in <code>curves.csv</code> next to this file.',
  ];
  if (rows.length === 0) notes.unshift('<strong>No completed cells</strong>: there is nothing to plot yet. See the failed cells above.');

  const html = renderReportHtml(
    {
      title: `albench report: ${options.studyName}`,
      studyName: options.studyName,
      generatedAt: options.generatedAt,
      specs: charts,
      tables,
      notes,
    },
    options.bundles,
  );

  return { html, csv: curvesCsv(rows, axes), rows, axes, charts, primarySpec: charts[0]?.spec ?? null };
}
