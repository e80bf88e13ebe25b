/** The analysis as tables (pure): each becomes HTML in the page and CSV + JSON under tables/. */
import type { Analysis } from '../analysis/analyze.js';
import { canonicalJson } from '../analysis/curves.js';
import { levelLabel } from '../analysis/factors.js';
import { finalPoints } from '../analysis/curves.js';
import { penaltyLosses } from '../analysis/penalty-matrix.js';
import { axisValue } from '../analysis/seed-curves.js';
import type { CellResult, FailedResult } from '../store/schema.js';
import type { DataTable, TableColumn, TableValue } from './data-table.js';

/** A result file the report could not read, and why. */
export interface SkippedFile {
  readonly path: string;
  readonly reason: string;
}

type Row = Record<string, TableValue>;

function axisColumns(a: Analysis): TableColumn[] {
  return a.axes.map((axis) => ({ key: axis, label: axis }));
}

function axisCells(a: Analysis, settingKey: string): Row {
  const setting = JSON.parse(settingKey) as Record<string, unknown>;
  return Object.fromEntries(a.axes.map((axis) => [axis, levelLabel(canonicalJson(axisValue(setting as never, axis) ?? null))]));
}

/** Settings first, strategies in the report's order (baseline first). */
function strategyIndex(a: Analysis): (s: string) => number {
  const names = [...new Set(a.curves.map((r) => r.strategy))].sort();
  const order = names.includes(a.baseline) ? [a.baseline, ...names.filter((n) => n !== a.baseline)] : names;
  return (s) => order.indexOf(s);
}

export function aubcDataTable(a: Analysis): DataTable {
  const finals = finalPoints(a.curves);
  const idx = strategyIndex(a);
  const sorted = [...a.aubc].sort((x, y) => (x.setting < y.setting ? -1 : x.setting > y.setting ? 1 : x.rank - y.rank || idx(x.strategy) - idx(y.strategy)));
  const rows: Row[] = sorted.map((r) => {
    const f = finals.find((p) => p.settingKey === r.settingKey && p.strategy === r.strategy);
    return {
      setting: r.setting,
      ...axisCells(a, r.settingKey),
      strategy: r.strategy,
      rank: r.rank,
      aubc_mean: r.summary.mean,
      aubc_ci95: r.summary.ci95,
      aubc_std: r.summary.std,
      final_labeled: f?.labeled ?? null,
      final_accuracy_mean: f?.accuracy.mean ?? null,
      final_accuracy_ci95: f?.accuracy.ci95 ?? null,
      n_seeds: r.summary.n,
    };
  });
  const bold = new Set(rows.map((r, i) => (r.rank === 1 ? `${i}:aubc_mean` : '')).filter(Boolean));
  return {
    id: 'aubc',
    title: 'AUBC with ranks',
    caption:
      'AUBC (Zhan et al. 2021): area under accuracy vs. labelled examples, divided by the labelled range (an average accuracy over the budget). ' +
      'Mean and 95% CI (Student t) over seeds; rank 1 = best mean within its setting (bold). Final accuracy is at the largest labelled count.',
    columns: [
      { key: 'setting', label: 'Setting' },
      ...axisColumns(a),
      { key: 'strategy', label: 'Strategy' },
      { key: 'rank', label: 'Rank', digits: 1 },
      { key: 'aubc_mean', label: 'AUBC' },
      { key: 'aubc_ci95', label: '± 95% CI' },
      { key: 'aubc_std', label: 'Std' },
      { key: 'final_labeled', label: 'Final labels' },
      { key: 'final_accuracy_mean', label: 'Final accuracy' },
      { key: 'final_accuracy_ci95', label: '± 95% CI' },
      { key: 'n_seeds', label: 'Seeds' },
    ],
    rows,
    bold,
  };
}

const NEVER = 'never reached';

export function labelEfficiencyDataTable(a: Analysis): DataTable {
  const idx = strategyIndex(a);
  const rows: Row[] = [...a.labelEfficiency]
    .sort((x, y) => (x.setting < y.setting ? -1 : x.setting > y.setting ? 1 : idx(x.strategy) - idx(y.strategy)))
    .map((r) => ({
      setting: r.setting,
      ...axisCells(a, r.settingKey),
      strategy: r.strategy,
      mean_ratio: r.meanRatio,
      mean_ratio_kind: r.meanRatio === null ? null : r.meanRatioIsBound ? 'upper bound' : 'exact',
      checkpoints: r.points.length,
      never_reached: r.neverReached,
      labels_to_90pct: r.targets[0].needed,
      labels_to_95pct: r.targets[1].needed,
      labels_to_99pct: r.targets[2].needed,
    }));
  return {
    id: 'label-efficiency',
    title: 'Label efficiency',
    caption:
      `Beck et al. 2021: at each accuracy level random's mean curve rises to (its running maximum, past the initial set), the labels random needs (n) and the labels the strategy needs, ` +
      `both by linear interpolation on the running maximum of the arm's mean curve, so random's own ratio is exactly 1; ratio = n / needed, above 1 saves labels. ` +
      `Geometric mean over the levels; a level the strategy never reaches is censored and enters at its bound n / (its last labelled count), which makes the mean an upper bound. ` +
      `Last columns: labels to reach 90/95/99% of random's final mean accuracy; "${NEVER}" within the budget is a result, not an error.`,
    columns: [
      { key: 'setting', label: 'Setting' },
      ...axisColumns(a),
      { key: 'strategy', label: 'Strategy' },
      { key: 'mean_ratio', label: 'Geo-mean ratio', digits: 2, nullText: NEVER },
      { key: 'mean_ratio_kind', label: 'Mean is' },
      { key: 'checkpoints', label: 'Levels' },
      { key: 'never_reached', label: 'Censored' },
      { key: 'labels_to_90pct', label: 'Labels → 90%', digits: 1, nullText: NEVER },
      { key: 'labels_to_95pct', label: 'Labels → 95%', digits: 1, nullText: NEVER },
      { key: 'labels_to_99pct', label: 'Labels → 99%', digits: 1, nullText: NEVER },
    ],
    rows,
  };
}

export function labelEfficiencyPointsDataTable(a: Analysis): DataTable {
  const rows: Row[] = a.labelEfficiency.flatMap((r) =>
    r.points.map((p) => ({ setting: r.setting, strategy: r.strategy, labeled: p.labeled, baseline_accuracy: p.baselineValue, needed: p.needed, ratio: p.ratio, ratio_at_most: p.ratioAtMost })),
  );
  return {
    id: 'label-efficiency-points',
    title: 'Label efficiency at each checkpoint',
    columns: [
      { key: 'setting', label: 'Setting' },
      { key: 'strategy', label: 'Strategy' },
      { key: 'labeled', label: 'Random’s labels (n)' },
      { key: 'baseline_accuracy', label: 'Random’s accuracy level (running max)' },
      { key: 'needed', label: 'Strategy needs', digits: 1, nullText: NEVER },
      { key: 'ratio', label: 'Ratio n / needed', digits: 2, nullText: NEVER },
      { key: 'ratio_at_most', label: 'Censored: ratio below', digits: 2, nullText: '' },
    ],
    rows,
  };
}

export function pairedDataTable(a: Analysis): DataTable {
  const rows: Row[] = a.paired.map((p) => ({
    setting: p.setting,
    ...axisCells(a, p.settingKey),
    strategy: p.strategy,
    quantity: p.quantity === 'aubc' ? 'AUBC' : 'final accuracy',
    seeds: p.seeds.length,
    mean_diff: p.meanDiff,
    ci_low: p.ci95 === null ? null : p.meanDiff - p.ci95,
    ci_high: p.ci95 === null ? null : p.meanDiff + p.ci95,
    wilcoxon_p: p.wilcoxonP,
    t_p: p.tP,
  }));
  return {
    id: 'paired-vs-random',
    title: `Paired comparison with ${a.baseline}`,
    caption:
      `Strategy − ${a.baseline} per seed (seeds pair the runs). Mean difference, its 95% t interval, and the two-sided Wilcoxon signed-rank p (exact for small n). ` +
      'With n seeds the smallest Wilcoxon p is 2/2ⁿ: 0.25 for 3 seeds, 0.0625 for 5, 0.031 for 6.',
    columns: [
      { key: 'setting', label: 'Setting' },
      ...axisColumns(a),
      { key: 'strategy', label: 'Strategy' },
      { key: 'quantity', label: 'Compared' },
      { key: 'seeds', label: 'Seeds' },
      { key: 'mean_diff', label: 'Mean Δ', digits: 4 },
      { key: 'ci_low', label: 'CI low', digits: 4 },
      { key: 'ci_high', label: 'CI high', digits: 4 },
      { key: 'wilcoxon_p', label: 'Wilcoxon p' },
      { key: 't_p', label: 't-test p' },
    ],
    rows,
  };
}

export function penaltyDataTable(a: Analysis): DataTable {
  const p = a.penalty;
  const losses = penaltyLosses(p);
  const rows: Row[] = p.strategies.map((s, i) => ({
    strategy: s,
    ...Object.fromEntries(p.strategies.map((t, j) => [t, i === j ? null : p.matrix[i][j]])),
  }));
  rows.push({ strategy: 'Σ losses (column sum)', ...Object.fromEntries(p.strategies.map((t, j) => [t, losses[j]])) });
  return {
    id: 'penalty-matrix',
    title: 'Pairwise penalty matrix',
    caption: `Row beats column (Ash et al. 2020): paired t-test over seeds at each checkpoint after the initial one, α = ${p.alpha}; each significant win adds 1/#checkpoints. Summed over ${p.settings} independent settings${p.nestedSettings ? ` (${p.nestedSettings} smaller budgets nested in them are their first checkpoints, not counted again)` : ''}.`,
    columns: [{ key: 'strategy', label: 'Wins ↓ / loses →' }, ...p.strategies.map((s) => ({ key: s, label: s, digits: 2 }))],
    rows,
  };
}

export function cdDataTables(a: Analysis): DataTable[] {
  const cd = a.cd;
  if (!cd) return [];
  return [
    {
      id: 'cd-ranks',
      title: 'Average ranks',
      caption: `Rank of each strategy's AUBC within each of ${cd.blocks} independent blocks (one per dataset × seed; each strategy's AUBC averaged over the ${cd.independentSettings} independent setting${cd.independentSettings === 1 ? '' : 's'} of the block${cd.nestedSettings ? `, ${cd.nestedSettings} smaller budgets nested in them counted once` : ''}), averaged; 1 = best. Friedman χ² = ${cd.friedmanChiSquare?.toFixed(3)}, p = ${cd.friedmanP?.toPrecision(3)}.`,
      columns: [
        { key: 'strategy', label: 'Strategy' },
        { key: 'average_rank', label: 'Average rank', digits: 3 },
      ],
      rows: cd.strategies.map((s, i) => ({ strategy: s, average_rank: cd.averageRanks[i] })),
    },
    {
      id: 'cd-pairwise',
      title: 'Pairwise Wilcoxon signed-rank tests (Holm)',
      caption: `Over the ${cd.blocks} independent blocks; exact Wilcoxon p, Holm-adjusted p < ${cd.alpha} counts as significantly different. HL = Hodges–Lehmann median Δ with its exact 95% interval (none below 6 blocks); r = matched-pairs rank-biserial.`,
      columns: [
        { key: 'a', label: 'A' },
        { key: 'b', label: 'B' },
        { key: 'mean_diff', label: 'Mean Δ AUBC (A − B)', digits: 4 },
        { key: 'hl', label: 'HL Δ', digits: 4 },
        { key: 'hl_low', label: 'HL low', digits: 4, nullText: '—' },
        { key: 'hl_high', label: 'HL high', digits: 4, nullText: '—' },
        { key: 'r', label: 'r', digits: 2 },
        { key: 'p', label: 'p' },
        { key: 'p_holm', label: 'p (Holm)' },
        { key: 'significant', label: 'Significant' },
      ],
      rows: cd.pairwise.map((p) => ({ a: p.a, b: p.b, mean_diff: p.meanDiff, hl: p.hodgesLehmann.estimate, hl_low: p.hodgesLehmann.low, hl_high: p.hodgesLehmann.high, r: p.rankBiserial, p: p.p, p_holm: p.pHolm, significant: p.significant ? 'yes' : 'no' })),
    },
  ];
}

export function varianceDataTable(a: Analysis): DataTable {
  return {
    id: 'seed-variance',
    title: 'Seed variance per configuration',
    caption: 'Sample standard deviation (n − 1) over seeds of the final accuracy and of AUBC, and the range of the final accuracy.',
    columns: [
      { key: 'setting', label: 'Setting' },
      ...axisColumns(a),
      { key: 'strategy', label: 'Strategy' },
      { key: 'seeds', label: 'Seeds' },
      { key: 'final_mean', label: 'Final accuracy' },
      { key: 'final_std', label: 'Std (final)', digits: 4 },
      { key: 'final_range', label: 'Max − min (final)', digits: 4 },
      { key: 'aubc_std', label: 'Std (AUBC)', digits: 4 },
    ],
    rows: a.variance.map((v) => ({
      setting: v.setting,
      ...axisCells(a, v.settingKey),
      strategy: v.strategy,
      seeds: v.seeds,
      final_mean: v.finalMean,
      final_std: v.finalStd,
      final_range: v.finalRange,
      aubc_std: v.aubcStd,
    })),
  };
}

export function costDataTable(a: Analysis): DataTable {
  return {
    id: 'cost',
    title: 'Cost per strategy',
    caption: 'Wall-clock seconds recorded by the loop, summed over completed cells. Query time is the strategy’s own cost; training time follows the labelled-set sizes.',
    columns: [
      { key: 'strategy', label: 'Strategy' },
      { key: 'cells', label: 'Cells' },
      { key: 'rounds', label: 'Rounds' },
      { key: 'train_seconds', label: 'Train s (total)', digits: 1 },
      { key: 'train_per_cell_seconds', label: 'Train s / cell', digits: 2 },
      { key: 'query_seconds', label: 'Query s (total)', digits: 3 },
      { key: 'query_per_round_seconds', label: 'Query s / round', digits: 4 },
    ],
    rows: a.cost.map((c) => ({
      strategy: c.strategy,
      cells: c.cells,
      rounds: c.rounds,
      train_seconds: c.trainSeconds,
      train_per_cell_seconds: c.trainPerCellSeconds,
      query_seconds: c.querySeconds,
      query_per_round_seconds: c.queryPerRoundSeconds,
    })),
  };
}

export function findingsDataTable(a: Analysis): DataTable {
  return {
    id: 'findings',
    title: 'Findings',
    columns: [
      { key: 'id', label: 'ID' },
      { key: 'title', label: 'Finding' },
      { key: 'verdict', label: 'Verdict' },
      { key: 'value', label: 'Statistic', digits: 4 },
      { key: 'ci_low', label: 'CI low', digits: 4 },
      { key: 'ci_high', label: 'CI high', digits: 4 },
      { key: 'seeds', label: 'Seeds' },
      { key: 'reason', label: 'Why' },
      { key: 'citation', label: 'Citation' },
    ],
    rows: a.findings.map((f) => ({
      id: f.id,
      title: f.title,
      verdict: f.verdict,
      value: f.value,
      ci_low: f.interval?.[0] ?? null,
      ci_high: f.interval?.[1] ?? null,
      seeds: f.seeds,
      reason: f.reason,
      citation: f.citation,
    })),
  };
}

export function failedDataTable(results: readonly CellResult[], a: Analysis, skipped: readonly SkippedFile[]): DataTable {
  const failed = results.filter((r): r is FailedResult => r.status === 'failed');
  return {
    id: 'failed-cells',
    title: 'Failed cells and unreadable files',
    columns: [
      { key: 'cell', label: 'Cell / file' },
      { key: 'setting', label: 'Setting' },
      { key: 'strategy', label: 'Strategy' },
      { key: 'seed', label: 'Seed' },
      { key: 'error', label: 'Error' },
    ],
    rows: [
      ...failed.map((r) => ({
        cell: r.cell.id,
        setting: `${r.cell.dataset.name} · ${r.cell.model} · budget ${r.cell.budget} · batch ${r.cell.batchSize} · aug ${levelLabel(canonicalJson(r.cell.augmentation))} · ssl ${levelLabel(canonicalJson(r.cell.ssl))}`,
        strategy: r.cell.strategy,
        seed: r.cell.seed,
        error: r.error.message,
      })),
      ...skipped.map((s) => ({ cell: s.path, setting: null, strategy: null, seed: null, error: `skipped: ${s.reason}` })),
    ],
  };
}

export function environmentDataTable(results: readonly CellResult[], a: Analysis, studyName: string, skipped: readonly SkippedFile[]): DataTable {
  const count = (values: readonly string[]) => {
    const m = new Map<string, number>();
    for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
    const e = [...m.entries()].sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1));
    return e.length === 1 ? e[0][0] : e.map(([v, n]) => `${v} (${n})`).join(', ');
  };
  const cells = results.map((r) => r.cell);
  const sorted = <T extends string | number>(xs: readonly T[]) => [...new Set(xs)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)).join(', ');
  const completed = results.filter((r) => r.status === 'completed').length;
  const times = results.flatMap((r) => [r.startedAt, r.finishedAt]).filter(Boolean).sort();
  const rows: [string, string][] = [
    ['Study', studyName],
    ['Cells', `${results.length}: ${completed} completed, ${results.length - completed} failed${skipped.length ? `, ${skipped.length} unreadable file${skipped.length === 1 ? '' : 's'} skipped` : ''}`],
    ['Settings', String(a.settings.length)],
    ['Varying axes', a.axes.length ? a.axes.join(', ') : '(none besides strategy and seed)'],
    ['Datasets', count(cells.map((c) => c.dataset.name))],
    ['Models', count(cells.map((c) => c.model))],
    ['Strategies', sorted(cells.map((c) => c.strategy))],
    ['Seeds', sorted(cells.map((c) => c.seed))],
    ['Budgets (labels)', sorted(cells.map((c) => c.budget))],
    ['AL batch sizes', sorted(cells.map((c) => c.batchSize))],
    ['Augmentation', sorted(cells.map((c) => levelLabel(canonicalJson(c.augmentation))))],
    ['SSL', sorted(cells.map((c) => levelLabel(canonicalJson(c.ssl))))],
    ['Training', count(cells.map((c) => canonicalJson(c.training)))],
    ['Backends', count(results.map((r) => r.env.backend))],
    ['albench', count(results.map((r) => r.env.albench))],
    ['tfjs', count(results.map((r) => r.env.tfjs))],
    ['Node.js', count(results.map((r) => r.env.node))],
    ['OS', count(results.map((r) => r.env.os))],
    ['Ran', times.length ? `${times[0]} → ${times[times.length - 1]}` : '—'],
  ];
  return {
    id: 'study',
    title: 'Study and environment',
    columns: [
      { key: 'field', label: 'Field' },
      { key: 'value', label: 'Value' },
    ],
    rows: rows.map(([field, value]) => ({ field, value })),
  };
}
