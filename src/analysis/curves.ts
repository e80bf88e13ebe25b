/**
 * Learning curves: per setting, strategy and labelled-set size, the metrics summarised over seeds.
 *
 * A "setting" is everything in a cell's config except the strategy, the seed and the id (which
 * hashes both). Cells in one setting differ only in those, so their curves are comparable: the
 * paired design gives every strategy of a seed the same start.
 */
import type { CellResult, CompletedResult } from '../store/schema.js';
import type { ResolvedCell } from '../spec/types.js';
import { summarize, type MetricSummary } from './stats.js';

/** The part of a cell config that defines a setting. */
export type Setting = Omit<ResolvedCell, 'id' | 'strategy' | 'strategyParams' | 'plugin' | 'command' | 'seed'>;

/** One point of one learning curve. */
export interface CurveRow {
  /** Canonical JSON of the setting: the grouping key, stable across machines and file order. */
  readonly settingKey: string;
  /** Short human label of the setting (only the axes that vary in the study). */
  readonly setting: string;
  readonly strategy: string;
  readonly labeled: number;
  /** Seeds that reached this labelled count, ascending. */
  readonly seeds: readonly number[];
  readonly accuracy: MetricSummary;
  readonly macroF1: MetricSummary;
}

export interface AggregateOptions {
  /**
   * Dotted paths of the setting axes that vary in the study (e.g. `Object.keys(study.axes)`
   * minus strategy and seed). Defaults to the axes that vary among the given results.
   */
  readonly varyingAxes?: readonly string[];
}

// A strategy's parameters and plugin module (or process command) belong to the strategy, not the setting it is compared in.
const EXCLUDED_FIELDS = new Set(['id', 'strategy', 'strategyParams', 'plugin', 'command', 'seed']);

export function settingOf(cell: ResolvedCell): Setting {
  return Object.fromEntries(Object.entries(cell).filter(([k]) => !EXCLUDED_FIELDS.has(k))) as Setting;
}

export function settingKey(cell: ResolvedCell): string {
  return canonicalJson(settingOf(cell));
}

/** JSON with object keys sorted, so equal configs give equal strings whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

// Display order of setting axes: the field order of ResolvedCell; inside a nested config its
// `name` first, then the rest alphabetically.
const AXIS_ORDER = ['dataset', 'model', 'budget', 'batchSize', 'initialSize', 'augmentation', 'ssl', 'representation', 'training'];

function axisRank(path: string): number {
  const [top, sub] = path.split('.');
  const index = AXIS_ORDER.indexOf(top);
  const base = index >= 0 ? index : AXIS_ORDER.length;
  return base + (sub === undefined ? 0 : sub === 'name' ? 0.25 : 0.5);
}

/** Leaf paths → values of a config object (`{dataset: {name: 'x'}}` → `{'dataset.name': 'x'}`). */
function flatten(value: unknown, prefix: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      flatten(v, prefix ? `${prefix}.${k}` : k, out);
    }
  } else if (prefix) {
    out.set(prefix, value);
  }
  return out;
}

/**
 * Dotted leaf paths of the setting whose values differ between the given cells, in display
 * order. A field set in one cell and absent in another counts as varying.
 */
export function varyingAxes(cells: readonly ResolvedCell[]): string[] {
  const seen = new Map<string, Set<string>>();
  const flats = cells.map((c) => flatten(settingOf(c), '', new Map()));
  const allPaths = new Set(flats.flatMap((f) => [...f.keys()]));
  for (const path of allPaths) {
    if (EXCLUDED_FIELDS.has(path)) continue;
    seen.set(path, new Set(flats.map((f) => canonicalJson(f.get(path)))));
  }
  return [...seen.entries()]
    .filter(([, values]) => values.size > 1)
    .map(([path]) => path)
    .sort((a, b) => axisRank(a) - axisRank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

function valueAt(cell: ResolvedCell, path: string): unknown {
  let v: unknown = cell;
  for (const key of path.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function formatValue(v: unknown): string {
  if (v === undefined) return 'default';
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    // A whole sub-config as one axis (e.g. 'dataset'): its name, then what else is set.
    const { name, ...rest } = v as Record<string, unknown>;
    const extras = Object.entries(rest)
      .filter(([, x]) => x !== undefined)
      .map(([k, x]) => `${k}=${formatValue(x)}`);
    if (name === undefined) return extras.join(', ');
    return extras.length ? `${String(name)} (${extras.join(', ')})` : String(name);
  }
  return typeof v === 'string' ? v : JSON.stringify(v);
}

// How known axes read in a label. Names like 'digits' and 'mlp' speak for themselves; numbers need a word.
const AXIS_FORMAT: Readonly<Record<string, (v: string) => string>> = {
  dataset: (v) => v,
  'dataset.name': (v) => v,
  model: (v) => v,
  budget: (v) => `budget ${v}`,
  batchSize: (v) => `batch ${v}`,
  initialSize: (v) => `init ${v}`,
  augmentation: (v) => `aug ${v}`,
  ssl: (v) => `ssl ${v}`,
  // Raw cells have no representation field (src/spec/expand.ts), which formats as 'default'.
  'representation.name': (v) => (v === 'default' ? 'raw' : v),
  // Plain retrain cells have no protocol field either; options read as what they switch on.
  'protocol.name': (v) => (v === 'default' ? 'retrain' : v),
  'protocol.swaStart': (v) => (v === 'default' ? 'no SWA' : `SWA from ${v}`),
  'protocol.weightDecay': (v) => (v === 'default' ? 'no weight decay' : `weight decay ${v}`),
  'protocol.validationFraction': (v) => (v === 'default' ? 'no early stopping' : `early stopping on ${v}`),
  'training.epochs': (v) => `${v} epochs`,
  'training.batchSize': (v) => `train batch ${v}`,
  'training.learningRate': (v) => `lr ${v}`,
};

/**
 * A short human label of a cell's setting, e.g. `digits · mlp · batch 10`, naming only
 * `axes` (the ones that vary in the study). With no varying axis, names dataset and model.
 */
export function settingLabel(cell: ResolvedCell, axes: readonly string[]): string {
  if (axes.length === 0) return `${cell.dataset.name} · ${cell.model}`;
  return axes
    .map((axis) => {
      const value = formatValue(valueAt(cell, axis));
      const format = AXIS_FORMAT[axis];
      return format ? format(value) : `${axis.split('.').pop()}=${value}`;
    })
    .join(' · ');
}

interface Observation {
  readonly seed: number;
  readonly cellId: string;
  readonly accuracy: number;
  readonly macroF1: number;
}

/**
 * Completed results → one row per (setting, strategy, labelled count), sorted by setting label,
 * strategy and labelled count. Failed results are ignored: they carry no complete curve.
 */
export function aggregateCurves(results: readonly CellResult[], options: AggregateOptions = {}): CurveRow[] {
  const completed = results.filter((r): r is CompletedResult => r.status === 'completed');
  const axes = options.varyingAxes ?? varyingAxes(completed.map((r) => r.cell));

  // settingKey → strategy → labelled count → one observation per seed
  const groups = new Map<string, { label: string; byStrategy: Map<string, Map<number, Observation[]>> }>();
  for (const result of completed) {
    const key = settingKey(result.cell);
    let group = groups.get(key);
    if (!group) {
      group = { label: settingLabel(result.cell, axes), byStrategy: new Map() };
      groups.set(key, group);
    }
    let byLabeled = group.byStrategy.get(result.cell.strategy);
    if (!byLabeled) {
      byLabeled = new Map();
      group.byStrategy.set(result.cell.strategy, byLabeled);
    }
    for (const round of result.rounds) {
      const observations = byLabeled.get(round.labeled) ?? [];
      const clash = observations.find((o) => o.seed === result.cell.seed);
      if (clash) {
        // Two results for one seed would be counted as two seeds and shrink the CI.
        throw new Error(
          `Duplicate results for strategy '${result.cell.strategy}', seed ${result.cell.seed}, ` +
            `${round.labeled} labels: cells ${clash.cellId} and ${result.cell.id}`,
        );
      }
      observations.push({
        seed: result.cell.seed,
        cellId: result.cell.id,
        accuracy: round.accuracy,
        macroF1: round.macroF1,
      });
      byLabeled.set(round.labeled, observations);
    }
  }

  const rows: CurveRow[] = [];
  for (const [key, group] of groups) {
    for (const [strategy, byLabeled] of group.byStrategy) {
      for (const [labeled, unordered] of byLabeled) {
        // By seed, so float sums (and the report's bytes) do not depend on file order.
        const observations = [...unordered].sort((a, b) => a.seed - b.seed);
        rows.push({
          settingKey: key,
          setting: group.label,
          strategy,
          labeled,
          seeds: observations.map((o) => o.seed),
          accuracy: summarize(observations.map((o) => o.accuracy)),
          macroF1: summarize(observations.map((o) => o.macroF1)),
        });
      }
    }
  }
  return rows.sort(
    (a, b) =>
      compareStrings(a.setting, b.setting) ||
      compareStrings(a.settingKey, b.settingKey) ||
      compareStrings(a.strategy, b.strategy) ||
      a.labeled - b.labeled,
  );
}

/** The last point (largest labelled count) of each (setting, strategy) curve. */
export function finalPoints(rows: readonly CurveRow[]): CurveRow[] {
  const last = new Map<string, CurveRow>();
  for (const row of rows) {
    const key = `${row.settingKey}\u0000${row.strategy}`;
    const prev = last.get(key);
    if (!prev || row.labeled > prev.labeled) last.set(key, row);
  }
  return [...last.values()];
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
