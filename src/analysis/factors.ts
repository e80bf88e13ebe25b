/**
 * Read study axes generically from the cells' configs, so findings work with whatever axes a
 * study has (today: dataset, model, budget, batch size, augmentation, SSL; later others).
 *
 * A *factor* is one dotted path in the setting (e.g. 'augmentation', 'dataset.imbalance').
 * Settings that agree on everything but that path form a *matched group*: comparing across its
 * levels isolates the factor, and seeds still pair the runs.
 */
import { canonicalJson } from './curves.js';
import { axisValue, type SettingRuns } from './seed-curves.js';

export interface FactorLevel {
  /** Canonical JSON of the value at the factor's path (undefined → "null"). */
  readonly value: string;
  readonly runs: SettingRuns;
}

/**
 * `obj` without the value at `path`. A sub-config left empty is dropped too: a cell that leaves a
 * default config out (plain retrain has no `protocol`) must match one whose config held only the
 * factor (`protocol: { name: 'warm-start' }`).
 */
function withoutPath(obj: unknown, path: readonly string[]): unknown {
  if (path.length === 0 || obj === null || typeof obj !== 'object') return obj;
  const [head, ...rest] = path;
  const copy: Record<string, unknown> = { ...(obj as Record<string, unknown>) };
  const inner = rest.length === 0 ? undefined : withoutPath(copy[head], rest);
  const empty = inner === undefined || (typeof inner === 'object' && inner !== null && Object.keys(inner).length === 0);
  if (empty) delete copy[head];
  else copy[head] = inner;
  return copy;
}

/** Distinct values of a path over the settings, as canonical JSON, sorted. */
export function factorValues(settings: readonly SettingRuns[], path: string): string[] {
  return [...new Set(settings.map((s) => canonicalJson(axisValue(s.setting, path) ?? null)))].sort();
}

/** Settings grouped by everything except `path`; only groups with ≥ 2 levels are returned. */
export function matchedGroups(settings: readonly SettingRuns[], path: string): FactorLevel[][] {
  const groups = new Map<string, FactorLevel[]>();
  for (const runs of settings) {
    const key = canonicalJson(withoutPath(runs.setting, path.split('.')));
    const list = groups.get(key) ?? [];
    list.push({ value: canonicalJson(axisValue(runs.setting, path) ?? null), runs });
    groups.set(key, list);
  }
  return [...groups.values()].filter((g) => g.length >= 2).map((g) => g.sort((a, b) => (a.value < b.value ? -1 : 1)));
}

/** The first varying axis path equal to or under `top`, or matching `pattern`. */
export function findAxis(axes: readonly string[], test: string | RegExp): string | undefined {
  return axes.find((a) => (typeof test === 'string' ? a === test || a.startsWith(`${test}.`) : test.test(a)));
}

/** 'none', {name: 'none'}, null/absent and false all mean "this treatment is off". */
export function isOffValue(canonical: string): boolean {
  const v = JSON.parse(canonical) as unknown;
  if (v === null || v === false || v === 'none') return true;
  return typeof v === 'object' && !Array.isArray(v) && (v as Record<string, unknown>).name === 'none';
}

/** A level's value for people: strings bare, objects by their name. */
export function levelLabel(canonical: string): string {
  const v = JSON.parse(canonical) as unknown;
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object' && typeof (v as Record<string, unknown>).name === 'string') {
    const { name, ...rest } = v as Record<string, unknown>;
    const extra = Object.entries(rest).map(([k, x]) => `${k}=${JSON.stringify(x)}`);
    return extra.length ? `${String(name)} (${extra.join(', ')})` : String(name);
  }
  return v === null ? 'default' : JSON.stringify(v);
}
