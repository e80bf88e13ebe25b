/**
 * Vega-Lite spec for learning curves (pure: rows in, JSON out).
 *
 * Lines are the mean over seeds, bands the 95 % CI of that mean. Random sampling is the
 * baseline every claim is measured against, so it is drawn black and dashed, in the legend too.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CurveRow } from '../analysis/curves.js';
import { levelLabel } from '../analysis/factors.js';
import { canonicalJson } from '../analysis/curves.js';

/** One layer of a layered chart, typed from Vega-Lite's own spec type so literals are checked. */
type LayerItem = Extract<TopLevelSpec, { layer: unknown }>['layer'][number];

export type CurveMetric = 'accuracy' | 'macroF1';

export interface LearningCurveOptions {
  readonly metric?: CurveMetric;
  /** Strategy name of the random-sampling baseline. */
  readonly baseline?: string;
  readonly title?: string;
  /**
   * 'setting' (default): one panel per setting label. 'augmentation-ssl': rows by augmentation,
   * columns by SSL (only those that vary), for rows that share everything else.
   */
  readonly facetBy?: 'setting' | 'augmentation-ssl';
}

/** Name of the random-sampling strategy unless told otherwise. */
export const DEFAULT_BASELINE = 'random';

const METRIC_LABEL: Record<CurveMetric, string> = { accuracy: 'Test accuracy', macroF1: 'Test macro-F1' };

// Tableau 10 without its grey, so no strategy is confused with the black baseline.
const STRATEGY_COLORS = [
  '#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f',
];
const BASELINE_COLOR = '#000000';
const BASELINE_DASH = [6, 4];
const SOLID: number[] = [];

/** Strategies in legend order: the baseline first, then alphabetical. */
export function strategyOrder(rows: readonly CurveRow[], baseline: string = DEFAULT_BASELINE): string[] {
  const names = [...new Set(rows.map((r) => r.strategy))].sort();
  return names.includes(baseline) ? [baseline, ...names.filter((n) => n !== baseline)] : names;
}

/** One colour per strategy (in `strategies` order): black for the baseline, Tableau for the rest. */
export function strategyColors(strategies: readonly string[], baseline: string = DEFAULT_BASELINE): string[] {
  let colorIndex = 0;
  return strategies.map((s) => (s === baseline ? BASELINE_COLOR : STRATEGY_COLORS[colorIndex++ % STRATEGY_COLORS.length]));
}

/** Flat records for the chart: one per curve point, the CI already turned into bounds. */
export function curveChartData(rows: readonly CurveRow[], metric: CurveMetric = 'accuracy') {
  return rows.map((r) => {
    const m = r[metric];
    const setting = JSON.parse(r.settingKey) as Record<string, unknown>;
    return {
      setting: r.setting,
      augmentation: levelLabel(canonicalJson(setting.augmentation ?? null)),
      ssl: levelLabel(canonicalJson(setting.ssl ?? null)),
      strategy: r.strategy,
      labeled: r.labeled,
      n: m.n,
      mean: m.mean,
      std: m.std,
      ci95: m.ci95,
      // null when one seed only: Vega-Lite drops the band there instead of drawing a zero-width one.
      // Clipped to [0, 1]: the t interval is symmetric, but accuracy and F1 cannot leave that range.
      lower: m.ci95 === null ? null : Math.max(0, m.mean - m.ci95),
      upper: m.ci95 === null ? null : Math.min(1, m.mean + m.ci95),
    };
  });
}

export function learningCurveSpec(rows: readonly CurveRow[], options: LearningCurveOptions = {}): TopLevelSpec {
  const metric = options.metric ?? 'accuracy';
  const baseline = options.baseline ?? DEFAULT_BASELINE;
  const metricLabel = METRIC_LABEL[metric];
  const strategies = strategyOrder(rows, baseline);
  const settings = [...new Set(rows.map((r) => r.setting))];
  const data0 = curveChartData(rows, metric);
  const augLevels = [...new Set(data0.map((d) => d.augmentation))];
  const sslLevels = [...new Set(data0.map((d) => d.ssl))];
  const grid = options.facetBy === 'augmentation-ssl';
  const faceted = grid ? augLevels.length > 1 || sslLevels.length > 1 : settings.length > 1;

  const colors = strategyColors(strategies, baseline);
  const dashes = strategies.map((s) => (s === baseline ? BASELINE_DASH : SOLID));

  // Same field, type and domain on color and strokeDash: Vega-Lite merges them into one legend,
  // whose baseline entry then shows the dashed black stroke.
  const color = {
    field: 'strategy',
    type: 'nominal',
    title: 'Strategy',
    scale: { domain: strategies, range: colors },
  } as const;
  const strokeDash = {
    field: 'strategy',
    type: 'nominal',
    title: 'Strategy',
    scale: { domain: strategies, range: dashes },
  } as const;
  const x = {
    field: 'labeled',
    type: 'quantitative',
    title: 'Labelled examples',
    scale: { zero: false, nice: false },
  } as const;
  const lineLegend = { symbolType: 'stroke', symbolStrokeWidth: 2.5, symbolSize: 400, symbolOpacity: 1 } as const;
  // Short on purpose: a long rotated title pushes the facet headers away from their panels.
  const yAxis = { title: metricLabel, format: '.0%' };

  const seedCounts = rows.map((r) => r[metric].n);
  const minSeeds = Math.min(...seedCounts);
  const maxSeeds = Math.max(...seedCounts);
  const seedText = rows.length === 0 ? 'no' : minSeeds === maxSeeds ? `${minSeeds}` : `${minSeeds}–${maxSeeds}`;
  const subtitle = [
    `Line: mean over ${seedText} seed${maxSeeds === 1 ? '' : 's'}. Band: 95% confidence interval of the mean (Student t).`,
    strategies.includes(baseline) ? `Black dashed line: random sampling ('${baseline}'), the baseline.` : `No '${baseline}' baseline in these results.`,
  ];

  const layer: LayerItem[] = [
    {
      mark: { type: 'area', opacity: 1, fillOpacity: 0.15 },
      encoding: {
        x,
        y: { field: 'lower', type: 'quantitative', axis: yAxis, scale: { zero: false } },
        y2: { field: 'upper' },
        color,
      },
    },
    {
      mark: { type: 'line', strokeWidth: 2 },
      encoding: {
        x,
        y: { field: 'mean', type: 'quantitative', axis: yAxis, scale: { zero: false } },
        // The legend is drawn from this layer: a stroke symbol shows each strategy's dash.
        color: { ...color, legend: lineLegend },
        strokeDash: { ...strokeDash, legend: lineLegend },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 28 },
      encoding: {
        x,
        y: { field: 'mean', type: 'quantitative' },
        color,
        tooltip: [
          { field: 'strategy', title: 'Strategy' },
          ...(faceted ? [{ field: 'setting', title: 'Setting' }] : []),
          { field: 'labeled', type: 'quantitative', title: 'Labelled' },
          { field: 'mean', type: 'quantitative', title: `${metricLabel} (mean)`, format: '.4f' },
          { field: 'ci95', type: 'quantitative', title: '± 95% CI', format: '.4f' },
          { field: 'std', type: 'quantitative', title: 'Std over seeds', format: '.4f' },
          { field: 'n', type: 'quantitative', title: 'Seeds' },
        ],
      },
    },
  ];

  const title = {
    text: options.title ?? `Learning curves: ${metricLabel.toLowerCase()} vs. labelled examples`,
    subtitle,
    anchor: 'start',
  } as const;
  const data = { values: data0 };

  // No "$schema": it is a URL and this page must not mention the network; vega-embed is told the mode.
  if (!faceted) {
    return { title, data, width: 560, height: 340, layer };
  }
  if (grid) {
    const header = { labelFontSize: 12, labelFontWeight: 'bold' } as const;
    return {
      title,
      data,
      facet: {
        ...(augLevels.length > 1 ? { row: { field: 'augmentation', type: 'nominal', title: 'Augmentation', sort: augLevels, header } } : {}),
        ...(sslLevels.length > 1 ? { column: { field: 'ssl', type: 'nominal', title: 'SSL', sort: sslLevels, header } } : {}),
      },
      spec: { width: 280, height: 200, layer },
      // Shared within a budget/batch group: the point of this grid is to compare panels.
      resolve: { scale: { y: 'shared' } },
    };
  }
  return {
    title,
    data,
    facet: { field: 'setting', type: 'nominal', title: null, sort: settings, header: { labelFontSize: 12, labelFontWeight: 'bold' } },
    columns: Math.min(3, settings.length),
    spec: { width: 280, height: 200, layer },
    // Settings differ in budget and in attainable accuracy; a shared scale would flatten the
    // strategy differences inside each panel, which are what the chart is for.
    resolve: { scale: { x: 'independent', y: 'independent' } },
  };
}
