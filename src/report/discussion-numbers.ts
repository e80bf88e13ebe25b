/**
 * Numbers in the hand-written discussion files (docs/discussion/<preset>.md), checked against the
 * committed results so the prose cannot drift from the data (issue 20). Pure: the caller reads
 * the results and runs the analysis; this module parses, evaluates and compares.
 *
 * ## Annotation
 * A printed figure followed immediately by an HTML comment whose text starts with `=`:
 *
 *     margin 0.782<!--= acc margin @300 -->        ahead by 5.2 points<!--= diff typiclust margin @60 pts -->
 *     95 % CI [0.011, 0.031]<!--= finding F9 ci -->   by 17–24<!--= treat augmentation mean range neg pts --> points
 *     **F3 is supported<!--= finding F3 verdict -->**
 *
 * Printed forms: a number (`0.782`, `+0.021`, `−0.106`, `28`), optionally followed by `%` or
 * `points` (then the query must carry the matching unit, `%` or `pts`); an interval `[a, b]`; a
 * range `a–b` (en dash); a verdict word (`supported`, `not supported`, `inconclusive`, `not covered`).
 * The printed precision decides the test: the computed value rounded to the printed number of
 * decimals must equal the printed value exactly (each end of an interval or range on its own).
 * The comment is invisible when the Markdown is rendered.
 *
 * ## Queries
 * Words are separated by spaces; a value with spaces is written in double quotes. `@N` is a
 * labelled-set size. `path=value` pins a setting axis (dotted path, e.g. `augmentation=standard`,
 * `dataset.imbalance=10`, `batchSize=25`, `protocol.name=default`): a string matches itself, a
 * config object its `name`, an absent field `default`.
 *
 * - `acc S @N [filters]` — mean test accuracy of strategy S over seeds at N labels. Budgets nested
 *   in a larger one (src/analysis/nested-budgets.ts) are one block: the value is read from the
 *   block's largest budget, one cell per seed. Field `n`: the seeds.
 * - `diff A B @N [filters]` — mean over seeds of accuracy(A) − accuracy(B) at N, paired by seed,
 *   with the paired t 95 % interval of src/analysis/paired-t.ts (the one the report's paired
 *   comparisons use). Fields: `mean` (default), `lo`, `hi`, `ci` (the interval), `p`, `n`.
 * - `aubc S [filters]` — mean AUBC of S over seeds (src/analysis/aubc.ts, the report's AUBC
 *   table). AUBC depends on the budget, so the budget is a setting here like any other axis.
 * - `finding F# FIELD` — the finding as the report and FINDINGS.md show it (src/analysis/analyze.ts):
 *   `value`, `lo`, `hi`, `ci`, `p`, `verdict`, `family` (Holm family size), `seedsNeeded`,
 *   `minEffect`, `seeds`, `effectSize`.
 * - `rows TABLE [selectors] (count | COLUMN)` — a finding's evidence table (TABLE = F1 … F12) or the
 *   treatment checks (TABLE = `treat`: columns axis, setting, without, with, n, mean, lo, hi, ci,
 *   p, improved, fitWithout, fitWith (the baseline's lowest-round mean training accuracy in each
 *   arm), outcome). Selectors: `col=v` (alternatives `a|b`), `col~text` (contains), `col>x`,
 *   `col<x`, `col>=x`, `col<=x`. Columns are named by short keys (the error lists them).
 * - `treat AXIS [selectors] (count | FIELD)` — shorthand for `rows treat axis=AXIS …`: a treatment's
 *   paired AUBC effect on the baseline (src/analysis/treatment-checks.ts).
 * - `kendall AXIS A B [filters]` — Kendall τ-b between the strategies' mean-AUBC rankings at levels
 *   A and B of AXIS, per matched group of the other axes (src/analysis/kendall.ts).
 * - `round FIELD @N [filters] [strategy=S]` — mean of a round record's field (dotted, e.g.
 *   `ssl.fractionAboveThreshold`) over the cells at N labels (one per seed and strategy, nested
 *   budgets read once).
 * - `config PATH [filters]` — a setting's configured value (e.g. `ssl.threshold`).
 * - `seeds` — the number of seeds per setting × strategy (an error when it is not the same everywhere).
 *
 * A query that leaves several settings (or rows) gives several values: it is an error, naming the
 * axes still varying and their values, unless an aggregator reduces them: `min`, `max`, `avg` (the
 * mean of the values), `range` (the pair [min, max]). Units, applied last: `pts` and `%` (×100), `neg` (×−1, so that
 * "trails by 3.8 points" can quote a negative difference).
 *
 * ## Naked numbers
 * nakedNumbers() finds figures that should carry an annotation and do not: a decimal number; a
 * percentage (but not the `95 %` or `90 %` of "95 % CI"); a number or range followed by `points`
 * (optionally `accuracy points`, `AUBC points`); a count followed within a few words by
 * comparisons, contrasts, differences or pairs (also `N of M …`), or by `seeds`. Other integers
 * (`60 labels`, `20 epochs`, `N = 2`) describe the setting and may stay bare. Code spans are skipped.
 */
import type { Analysis } from '../analysis/analyze.js';
import { aubc } from '../analysis/aubc.js';
import { canonicalJson, varyingAxes } from '../analysis/curves.js';
import { matchedGroups } from '../analysis/factors.js';
import { FINDING_IDS, type Cell, type Finding } from '../analysis/findings.js';
import { kendallTauB } from '../analysis/kendall.js';
import { budgetBlocks } from '../analysis/nested-budgets.js';
import { pairedTTest } from '../analysis/paired-t.js';
import { axisValue, type SettingRuns } from '../analysis/seed-curves.js';
import { mean } from '../analysis/stats.js';
import type { ResolvedCell } from '../spec/types.js';
import type { CellResult, CompletedResult } from '../store/schema.js';

export type Value = number | readonly [number, number] | string;

/** What the query is evaluated against: one preset's results and the report's analysis of them. */
export interface DiscussionData {
  readonly results: readonly CellResult[];
  readonly analysis: Analysis;
}

export type Printed =
  | { readonly kind: 'number'; readonly value: number; readonly decimals: number; readonly unit: '' | '%' | 'points' }
  | { readonly kind: 'pair'; readonly values: readonly [number, number]; readonly decimals: readonly [number, number]; readonly unit: '' | '%' | 'points' }
  | { readonly kind: 'word'; readonly text: string };

export interface Annotation {
  readonly line: number;
  /** The printed figure as written. */
  readonly text: string;
  readonly printed: Printed;
  readonly query: string;
}

export interface AnnotationCheck {
  readonly line: number;
  readonly query: string;
  readonly printed: string;
  /** The computed value, formatted at the printed precision (null when the query failed). */
  readonly computed: string | null;
  readonly ok: boolean;
  readonly message: string;
}

export class QueryError extends Error {}

// ---------------------------------------------------------------------------------------------
// Parsing annotations
// ---------------------------------------------------------------------------------------------

const NUM = String.raw`[+\-−]?\d+(?:\.\d+)?`;
const VERDICT_WORDS = ['not supported', 'not covered', 'supported', 'inconclusive'];
const PRINTED_RE = new RegExp(
  String.raw`(?:\[\s*(${NUM})\s*,\s*(${NUM})\s*\]|(${NUM})\s*–\s*(${NUM})|(${NUM}))(\s?%|\s+(?:accuracy\s+|AUBC\s+)?points?)?$|(${VERDICT_WORDS.join('|')})$`,
);
const COMMENT_RE = /<!--=([\s\S]*?)-->/g;

function parseNum(s: string): { value: number; decimals: number } {
  const clean = s.replace('−', '-');
  const dot = clean.indexOf('.');
  return { value: Number(clean), decimals: dot < 0 ? 0 : clean.length - dot - 1 };
}

function unitOf(raw: string | undefined): '' | '%' | 'points' {
  if (!raw) return '';
  return raw.includes('%') ? '%' : 'points';
}

/** Every `<!--= query -->` with the figure printed just before it. */
export function parseAnnotations(markdown: string): { annotations: Annotation[]; errors: { line: number; message: string }[] } {
  const annotations: Annotation[] = [];
  const errors: { line: number; message: string }[] = [];
  for (const m of markdown.matchAll(COMMENT_RE)) {
    const at = m.index;
    const line = markdown.slice(0, at).split('\n').length;
    const query = m[1].trim();
    // CommonMark ends an HTML comment at the first `--` in some renderers: the rest would show.
    if (query.includes('--')) {
      errors.push({ line, message: `annotation '${query}' contains '--', which ends an HTML comment early in some Markdown renderers` });
      continue;
    }
    // The printed figure sits on the same line, right before the comment.
    const before = markdown.slice(markdown.lastIndexOf('\n', at - 1) + 1, at);
    const p = PRINTED_RE.exec(before);
    if (!p) {
      errors.push({ line, message: `annotation '${query}' follows no number, interval [a, b], range a–b or verdict word (text before it: '${before.slice(-30)}')` });
      continue;
    }
    let printed: Printed;
    if (p[7]) printed = { kind: 'word', text: p[7] };
    else if (p[5]) {
      const n = parseNum(p[5]);
      printed = { kind: 'number', value: n.value, decimals: n.decimals, unit: unitOf(p[6]) };
    } else {
      const a = parseNum(p[1] ?? p[3]);
      const b = parseNum(p[2] ?? p[4]);
      printed = { kind: 'pair', values: [a.value, b.value], decimals: [a.decimals, b.decimals], unit: unitOf(p[6]) };
    }
    annotations.push({ line, text: p[0], printed, query });
  }
  return { annotations, errors };
}

// ---------------------------------------------------------------------------------------------
// Naked numbers
// ---------------------------------------------------------------------------------------------

const COUNT_NOUNS = String.raw`(?:comparisons?|contrasts?|differences?|pairs?)`;
const NAKED_RULES: readonly { readonly re: RegExp; readonly what: string }[] = [
  { re: /(?<![\w.])\d*\.\d+/g, what: 'a decimal number' },
  { re: /(?<![\w.])\d+\s?%(?!\s*CI)/g, what: 'a percentage' },
  { re: /(?<![\w.])\d+(?:\s*[–-]\s*\d+)?\s+(?:accuracy\s+|AUBC\s+)?points?\b/g, what: 'a figure in points' },
  { re: new RegExp(String.raw`(?<![\w.§])\d+(?:\s+of(?:\s+the)?\s+\d+)?(?:\s+[^\s\d§]+){0,4}?\s+${COUNT_NOUNS}\b`, 'g'), what: 'a count of comparisons' },
  { re: /(?<![\w.§])\d+\s+seeds?\b/g, what: 'a count of seeds' },
];

/** Figures the prose quotes without an annotation (see the header for the rule). */
export function nakedNumbers(markdown: string): { line: number; text: string; what: string }[] {
  const out: { line: number; text: string; what: string }[] = [];
  // Annotated figures become '§' so that a count rule does not read past them ("24§ of the 40§ …").
  const stripped = markdown
    .replace(/```[\s\S]*?```/g, (s) => s.replace(/[^\n]/g, ' '))
    .replace(/`[^`\n]*`/g, ' ')
    .split('\n')
    .map((line) =>
      line.replace(COMMENT_RE, '\u0000').split('\u0000').map((seg, i, all) => {
        if (i === all.length - 1) return seg;
        const p = PRINTED_RE.exec(seg);
        return p ? `${seg.slice(0, p.index)}§` : seg;
      }).join('').replace(/<!--[\s\S]*?-->/g, ' '),
    );
  stripped.forEach((text, i) => {
    for (const rule of NAKED_RULES) {
      for (const m of text.matchAll(rule.re)) out.push({ line: i + 1, text: m[0], what: rule.what });
    }
  });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Query evaluation
// ---------------------------------------------------------------------------------------------

const HEADS = ['acc', 'diff', 'aubc', 'finding', 'rows', 'treat', 'kendall', 'round', 'config', 'seeds'] as const;
const AGGREGATORS = ['min', 'max', 'avg', 'range'] as const;
const UNITS = ['pts', '%', 'neg'] as const;
type Aggregator = (typeof AGGREGATORS)[number];
type Op = '=' | '~' | '>' | '<' | '>=' | '<=';

interface Selector {
  readonly key: string;
  readonly op: Op;
  readonly value: string;
}

interface Parsed {
  readonly words: string[];
  readonly at: number | null;
  readonly selectors: Selector[];
  readonly aggregator: Aggregator | null;
  readonly units: (typeof UNITS)[number][];
}

function tokenize(query: string): string[] {
  const tokens: string[] = [];
  const re = /(?:[^\s"]+|"[^"]*")+/g;
  for (const m of query.matchAll(re)) tokens.push(m[0]);
  return tokens;
}

function unquote(s: string): string {
  return s.replace(/"/g, '');
}

function parseQuery(query: string): Parsed {
  const words: string[] = [];
  const selectors: Selector[] = [];
  const units: (typeof UNITS)[number][] = [];
  let at: number | null = null;
  let aggregator: Aggregator | null = null;
  for (const token of tokenize(query)) {
    const sel = /^([A-Za-z][\w.]*)(>=|<=|=|~|>|<)(.+)$/.exec(token);
    if (token.startsWith('@')) {
      const n = Number(token.slice(1));
      if (!Number.isInteger(n) || n <= 0) throw new QueryError(`query '${query}': '${token}' is not a labelled-set size; write @N with N a positive integer (e.g. @60)`);
      at = n;
    } else if (sel) {
      selectors.push({ key: sel[1], op: sel[2] as Op, value: unquote(sel[3]) });
    } else if ((AGGREGATORS as readonly string[]).includes(token)) {
      if (aggregator) throw new QueryError(`query '${query}': two aggregators ('${aggregator}' and '${token}'); use one of ${AGGREGATORS.join(', ')}`);
      aggregator = token as Aggregator;
    } else if ((UNITS as readonly string[]).includes(token)) {
      units.push(token as (typeof UNITS)[number]);
    } else {
      words.push(unquote(token));
    }
  }
  return { words, at, selectors, aggregator, units };
}

// --- settings ---------------------------------------------------------------------------------

/** A filter value against a setting's value: strings and numbers as written, configs by name, absent as `default`. */
function matchesValue(v: unknown, want: string): boolean {
  if (v === undefined || v === null) return want === 'default';
  if (typeof v === 'object' && !Array.isArray(v)) return (v as { name?: unknown }).name === want || canonicalJson(v) === want;
  return String(v) === want;
}

function shortValue(v: unknown): string {
  if (v === undefined || v === null) return 'default';
  if (typeof v === 'object' && !Array.isArray(v) && typeof (v as { name?: unknown }).name === 'string') return String((v as { name: string }).name);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function valuesAt(settings: readonly SettingRuns[], path: string): string[] {
  return [...new Set(settings.map((s) => shortValue(axisValue(s.setting, path))))].sort();
}

function filterSettings(query: string, settings: readonly SettingRuns[], filters: readonly Selector[], axes: readonly string[]): SettingRuns[] {
  let out = [...settings];
  for (const f of filters) {
    if (f.op !== '=') throw new QueryError(`query '${query}': setting filter '${f.key}${f.op}${f.value}' must use '='`);
    const known = settings.some((s) => axisValue(s.setting, f.key) !== undefined);
    if (!known && f.value !== 'default') {
      throw new QueryError(`query '${query}': '${f.key}' is not a setting field of this run; axes that vary: ${axes.join(', ') || 'none'}`);
    }
    const kept = out.filter((s) => matchesValue(axisValue(s.setting, f.key), f.value));
    if (!kept.length) {
      throw new QueryError(`query '${query}': no setting has ${f.key}=${f.value}; values: ${valuesAt(out, f.key).join(', ')}`);
    }
    out = kept;
  }
  return out;
}

/** "axes still varying: batchSize (100, 20), protocol.name (default, warm-start)". */
function stillVarying(settings: readonly SettingRuns[]): string {
  const axes = varyingAxes(settings.map((s) => s.setting as unknown as ResolvedCell));
  return axes.map((a) => `${a} (${valuesAt(settings, a).join(', ')})`).join(', ') || 'none (the settings differ only in budget)';
}

function reduce(query: string, values: readonly Value[], aggregator: Aggregator | null, what: () => string): Value {
  if (!values.length) throw new QueryError(`query '${query}': nothing matched`);
  if (!aggregator) {
    if (values.length === 1) return values[0];
    throw new QueryError(`query '${query}': ${values.length} values (${what()}); pin them down or add an aggregator (${AGGREGATORS.join(', ')})`);
  }
  const nums = values.map((v) => {
    if (typeof v !== 'number') throw new QueryError(`query '${query}': '${aggregator}' needs numbers, got ${JSON.stringify(v)}`);
    return v;
  });
  if (aggregator === 'min') return Math.min(...nums);
  if (aggregator === 'max') return Math.max(...nums);
  if (aggregator === 'avg') return mean(nums);
  return [Math.min(...nums), Math.max(...nums)];
}

function needStrategy(query: string, runs: SettingRuns, s: string | undefined, role: string): void {
  if (s === undefined) throw new QueryError(`query '${query}': missing ${role}; strategies: ${[...runs.byStrategy.keys()].join(', ')}`);
  if (!runs.byStrategy.has(s)) throw new QueryError(`query '${query}': '${s}' is not a strategy of this setting; strategies: ${[...runs.byStrategy.keys()].join(', ')}`);
}

function needAt(query: string, at: number | null): number {
  if (at === null) throw new QueryError(`query '${query}': missing the labelled-set size; add @N (e.g. @60)`);
  return at;
}

/**
 * The budget blocks whose settings pass the filters and reach `at` labels; each is read from its
 * largest budget, whose first rounds are the smaller budgets' (one cell per seed).
 */
function blocksAt(query: string, data: DiscussionData, filters: readonly Selector[], at: number): SettingRuns[] {
  const { settings, axes } = data.analysis;
  const kept = new Set(filterSettings(query, settings, filters, axes));
  const reaches = (r: SettingRuns) => [...r.byStrategy.values()].some((m) => [...m.values()].some((c) => c.labeled.includes(at)));
  const out = budgetBlocks(settings).filter((b) => b.levels.some((l) => kept.has(l.runs) && reaches(l.runs))).map((b) => b.largest);
  if (!out.length) {
    const sizes = [...new Set([...kept].flatMap((r) => [...r.byStrategy.values()].flatMap((m) => [...m.values()].flatMap((c) => c.labeled))))].sort((a, b) => a - b);
    throw new QueryError(`query '${query}': no curve reaches @${at}; labelled sizes: ${sizes.join(', ')}`);
  }
  return out;
}

function accuracyAt(runs: SettingRuns, strategy: string, at: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [seed, c] of runs.byStrategy.get(strategy) ?? []) {
    const i = c.labeled.indexOf(at);
    if (i >= 0) out.set(seed, c.accuracy[i]);
  }
  return out;
}

function evalAcc(query: string, p: Parsed, data: DiscussionData): Value {
  const [, strategy, field = 'mean'] = p.words;
  const at = needAt(query, p.at);
  const blocks = blocksAt(query, data, p.selectors, at);
  if (!['mean', 'n'].includes(field)) throw new QueryError(`query '${query}': unknown field '${field}'; allowed: mean, n`);
  const values = blocks.map((runs) => {
    needStrategy(query, runs, strategy, 'the strategy (acc S @N)');
    const acc = [...accuracyAt(runs, strategy, at).values()];
    if (!acc.length) throw new QueryError(`query '${query}': ${strategy} has no checkpoint at @${at} in ${runs.label}`);
    return field === 'n' ? acc.length : mean(acc);
  });
  return reduce(query, values, p.aggregator, () => `${blocks.length} settings; axes still varying: ${stillVarying(blocks)}`);
}

function evalDiff(query: string, p: Parsed, data: DiscussionData): Value {
  const [, a, b, field = 'mean'] = p.words;
  const fields = ['mean', 'lo', 'hi', 'ci', 'p', 'n'];
  if (!fields.includes(field)) throw new QueryError(`query '${query}': unknown field '${field}'; allowed: ${fields.join(', ')}`);
  const at = needAt(query, p.at);
  const blocks = blocksAt(query, data, p.selectors, at);
  const values = blocks.map((runs): Value => {
    needStrategy(query, runs, a, 'the first strategy (diff A B @N)');
    needStrategy(query, runs, b, 'the second strategy (diff A B @N)');
    const xa = accuracyAt(runs, a, at);
    const xb = accuracyAt(runs, b, at);
    const d = [...xa.keys()].filter((s) => xb.has(s)).map((s) => xa.get(s)! - xb.get(s)!);
    if (!d.length) throw new QueryError(`query '${query}': ${a} and ${b} share no seed at @${at} in ${runs.label}`);
    const t = pairedTTest(d);
    if (field === 'mean') return t.meanDiff;
    if (field === 'n') return t.n;
    if (field === 'p') {
      if (t.p === null) throw new QueryError(`query '${query}': a p needs ≥ 2 seeds, got ${t.n}`);
      return t.p;
    }
    if (t.ci95 === null) throw new QueryError(`query '${query}': an interval needs ≥ 2 seeds, got ${t.n}`);
    const ci: [number, number] = [t.meanDiff - t.ci95, t.meanDiff + t.ci95];
    return field === 'lo' ? ci[0] : field === 'hi' ? ci[1] : ci;
  });
  return reduce(query, values, p.aggregator, () => `${blocks.length} settings; axes still varying: ${stillVarying(blocks)}`);
}

function evalAubc(query: string, p: Parsed, data: DiscussionData): Value {
  const [, strategy, field = 'mean'] = p.words;
  if (!['mean', 'n'].includes(field)) throw new QueryError(`query '${query}': unknown field '${field}'; allowed: mean, n`);
  if (p.at !== null) throw new QueryError(`query '${query}': AUBC covers the whole curve; drop @${p.at} and pin the budget with budget=N`);
  const settings = filterSettings(query, data.analysis.settings, p.selectors, data.analysis.axes);
  const values = settings.map((runs) => {
    needStrategy(query, runs, strategy, 'the strategy (aubc S)');
    const row = data.analysis.aubc.find((r) => r.settingKey === runs.key && r.strategy === strategy)!;
    return field === 'n' ? row.summary.n : row.summary.mean;
  });
  return reduce(query, values, p.aggregator, () => `${settings.length} settings; axes still varying: ${stillVarying(settings)}`);
}

const FINDING_FIELDS = ['value', 'lo', 'hi', 'ci', 'p', 'verdict', 'family', 'seedsNeeded', 'minEffect', 'seeds', 'effectSize'] as const;

function findingOf(query: string, data: DiscussionData, id: string | undefined): Finding {
  const f = data.analysis.findings.find((x) => x.id === id);
  if (!f) throw new QueryError(`query '${query}': '${id ?? ''}' is not a finding; allowed: ${FINDING_IDS.join(', ')}`);
  return f;
}

function evalFinding(query: string, p: Parsed, data: DiscussionData): Value {
  const [, id, field] = p.words;
  const f = findingOf(query, data, id);
  const missing = (what: string): never => {
    throw new QueryError(`query '${query}': ${f.id} has no ${what} (verdict: ${f.verdict})`);
  };
  switch (field) {
    case 'value': return f.value ?? missing('estimate');
    case 'lo': return f.interval?.[0] ?? missing('interval');
    case 'hi': return f.interval?.[1] ?? missing('interval');
    case 'ci': return f.interval ?? missing('interval');
    case 'p': return f.p ?? missing('p');
    case 'verdict': return f.verdict;
    case 'family': return f.familySize;
    case 'seedsNeeded': return f.seedsNeeded ?? missing('seeds-needed estimate');
    case 'minEffect': return f.minEffect;
    case 'seeds': return f.seeds;
    case 'effectSize': return f.effectSize ?? missing('effect size');
    default: throw new QueryError(`query '${query}': unknown field '${field ?? ''}'; allowed: ${FINDING_FIELDS.join(', ')}`);
  }
}

// --- tables -----------------------------------------------------------------------------------

/** Short keys of the evidence tables' columns (src/analysis/findings/*.ts), so queries stay readable. */
const COLUMN_KEYS: Readonly<Record<string, string>> = {
  Setting: 'setting', Strategy: 'strategy', 'Low-budget checkpoints': 'checkpoints', Seeds: 'n', Seed: 'seed',
  'Mean Δ accuracy': 'mean', '95% CI low': 'lo', '95% CI high': 'hi', 'p (t)': 'p', 'p (Holm)': 'pHolm', Outcome: 'outcome',
  'Matched group': 'group', Pair: 'pair', 'Level A': 'levelA', 'Level B': 'levelB', 'Δ at A': 'deltaA', 'p Holm at A': 'pHolmA',
  'Δ at B': 'deltaB', 'p Holm at B': 'pHolmB', 'Interaction (A − B)': 'interaction', '90% CI low': 'lo90', '90% CI high': 'hi90',
};

/**
 * A column header's key: the short key above; `delta` for the per-seed tables' value column
 * ("Δ AUBC (warm − retrain)", "Δ AL gain (AUBC)", "Δ std", …); else the header in lower case
 * without spaces or symbols.
 */
export function columnKey(header: string): string {
  if (COLUMN_KEYS[header]) return COLUMN_KEYS[header];
  if (header.startsWith('Δ ') || header.startsWith('Training gain')) return 'delta';
  return header.toLowerCase().replace(/[^a-z0-9]+/g, '') || header;
}

interface Table {
  readonly name: string;
  readonly keys: readonly string[];
  readonly rows: readonly (readonly (Cell | boolean)[])[];
}

function treatTable(data: DiscussionData): Table {
  return {
    name: 'treat',
    keys: ['axis', 'setting', 'without', 'with', 'n', 'mean', 'lo', 'hi', 'p', 'improved', 'fitWithout', 'fitWith', 'outcome'],
    rows: data.analysis.treatments.map((t) => [
      t.axis, t.setting, t.without, t.with, t.estimate?.n ?? null, t.estimate?.mean ?? null,
      t.estimate?.ci95?.[0] ?? null, t.estimate?.ci95?.[1] ?? null, t.estimate?.p ?? null, t.improved,
      t.fit.without, t.fit.with, t.outcome,
    ]),
  };
}

function tableOf(query: string, data: DiscussionData, name: string | undefined): Table {
  if (name === 'treat') return treatTable(data);
  const f = findingOf(query, data, name);
  if (!f.evidence.rows.length) throw new QueryError(`query '${query}': ${f.id} has no evidence rows (verdict: ${f.verdict})`);
  return { name: f.id, keys: f.evidence.columns.map(columnKey), rows: f.evidence.rows };
}

function cellMatches(cell: Cell | boolean, s: Selector): boolean {
  const text = cell === null ? 'null' : String(cell);
  if (s.op === '=') return s.value.split('|').some((v) => (typeof cell === 'number' ? cell === Number(v) : text === v));
  if (s.op === '~') return text.includes(s.value);
  if (typeof cell !== 'number') return false;
  const x = Number(s.value);
  return s.op === '>' ? cell > x : s.op === '<' ? cell < x : s.op === '>=' ? cell >= x : cell <= x;
}

function evalRows(query: string, p: Parsed, data: DiscussionData, table: Table, column: string | undefined): Value {
  const index = (key: string) => {
    const i = table.keys.indexOf(key);
    if (i < 0) throw new QueryError(`query '${query}': '${key}' is not a column of ${table.name}; columns: ${table.keys.join(', ')}`);
    return i;
  };
  if (column === undefined) throw new QueryError(`query '${query}': name a column or 'count'; columns of ${table.name}: ${table.keys.join(', ')}`);
  const checks = p.selectors.map((s) => ({ s, i: index(s.key) }));
  const rows = table.rows.filter((r) => checks.every(({ s, i }) => cellMatches(r[i], s)));
  if (column === 'count') return rows.length;
  if (!rows.length) throw new QueryError(`query '${query}': no row of ${table.name} matches ${p.selectors.map((s) => `${s.key}${s.op}${s.value}`).join(' ')}`);
  if (column === 'ci') {
    if (rows.length !== 1) throw new QueryError(`query '${query}': ${rows.length} rows of ${table.name} match; an interval comes from one row: narrow with column=value (columns: ${table.keys.join(', ')})`);
    const [lo, hi] = [rows[0][index('lo')], rows[0][index('hi')]];
    if (typeof lo !== 'number' || typeof hi !== 'number') throw new QueryError(`query '${query}': the row has no interval`);
    return [lo, hi];
  }
  const i = index(column);
  const values = rows.map((r) => {
    const v = r[i];
    if (v === null) throw new QueryError(`query '${query}': column ${column} is empty in a matching row`);
    return typeof v === 'boolean' ? String(v) : v;
  });
  return reduce(query, values, p.aggregator, () => `${rows.length} rows of ${table.name}`);
}

function evalKendall(query: string, p: Parsed, data: DiscussionData): Value {
  const [, path, a, b] = p.words;
  if (!path || a === undefined || b === undefined) throw new QueryError(`query '${query}': write kendall AXIS A B (two levels of the axis); axes: ${data.analysis.axes.join(', ')}`);
  const settings = filterSettings(query, budgetBlocks(data.analysis.settings).map((x) => x.largest), p.selectors, data.analysis.axes);
  const meanAubc = (runs: SettingRuns, s: string) => mean([...runs.byStrategy.get(s)!.values()].map((c) => aubc(c.labeled, c.accuracy)));
  const values: number[] = [];
  for (const group of matchedGroups(settings, path)) {
    const x = group.find((l) => matchesValue(JSON.parse(l.value), a));
    const y = group.find((l) => matchesValue(JSON.parse(l.value), b));
    if (!x || !y) continue;
    const strategies = [...x.runs.byStrategy.keys()].filter((s) => y.runs.byStrategy.has(s));
    const tau = kendallTauB(strategies.map((s) => meanAubc(x.runs, s)), strategies.map((s) => meanAubc(y.runs, s)));
    if (tau !== null) values.push(tau);
  }
  if (!values.length) throw new QueryError(`query '${query}': no matched group has both ${path}=${a} and ${path}=${b}; values: ${valuesAt(settings, path).join(', ')}`);
  return reduce(query, values, p.aggregator, () => `${values.length} matched groups`);
}

function evalRound(query: string, p: Parsed, data: DiscussionData): Value {
  const [, field] = p.words;
  if (!field) throw new QueryError(`query '${query}': name a round field (e.g. ssl.fractionAboveThreshold, trainAccuracy)`);
  const at = needAt(query, p.at);
  const strategy = p.selectors.find((s) => s.key === 'strategy');
  const blocks = blocksAt(query, data, p.selectors.filter((s) => s !== strategy), at);
  const completed = data.results.filter((r): r is CompletedResult => r.status === 'completed');
  const values = blocks.map((runs) => {
    const ids = new Set([...runs.byStrategy.entries()].filter(([s]) => !strategy || s === strategy.value).flatMap(([, m]) => [...m.values()].map((c) => c.cellId)));
    const xs = completed.filter((r) => ids.has(r.cell.id)).flatMap((r) => {
      const round = r.rounds.find((x) => x.labeled === at);
      const v = round ? axisValue(round as never, field) : undefined;
      return typeof v === 'number' ? [v] : [];
    });
    if (!xs.length) throw new QueryError(`query '${query}': no round at @${at} records '${field}' in ${runs.label}`);
    return mean(xs);
  });
  return reduce(query, values, p.aggregator, () => `${blocks.length} settings; axes still varying: ${stillVarying(blocks)}`);
}

function evalConfig(query: string, p: Parsed, data: DiscussionData): Value {
  const [, path] = p.words;
  if (!path) throw new QueryError(`query '${query}': name a setting path (e.g. ssl.threshold)`);
  const settings = filterSettings(query, data.analysis.settings, p.selectors, data.analysis.axes);
  const values = [...new Set(settings.map((s) => axisValue(s.setting, path)).filter((v) => v !== undefined).map((v) => JSON.stringify(v)))];
  if (!values.length) throw new QueryError(`query '${query}': no setting sets '${path}'`);
  if (values.length > 1) throw new QueryError(`query '${query}': '${path}' takes ${values.length} values (${values.join(', ')}); pin the setting with filters`);
  const v = JSON.parse(values[0]) as unknown;
  if (typeof v !== 'number' && typeof v !== 'string') throw new QueryError(`query '${query}': '${path}' is a config, not a value: ${values[0]}`);
  return v;
}

function evalSeeds(query: string, data: DiscussionData): Value {
  const [lo, hi] = data.analysis.seedRange;
  if (lo !== hi) throw new QueryError(`query '${query}': settings have ${lo} to ${hi} seeds; quote the range instead`);
  return lo;
}

function applyUnits(query: string, v: Value, units: Parsed['units']): Value {
  if (!units.length) return v;
  if (typeof v === 'string') throw new QueryError(`query '${query}': units (${units.join(', ')}) apply to numbers, not '${v}'`);
  let factor = 1;
  for (const u of units) factor *= u === 'neg' ? -1 : 100;
  if (typeof v === 'number') return v * factor;
  const [a, b] = [v[0] * factor, v[1] * factor];
  return a <= b ? [a, b] : [b, a];
}

/** The value a query names, in the data's units after `pts` / `%` / `neg`. Throws QueryError. */
export function evaluateQuery(query: string, data: DiscussionData): Value {
  const p = parseQuery(query);
  const head = p.words[0];
  let v: Value;
  switch (head) {
    case 'acc': v = evalAcc(query, p, data); break;
    case 'diff': v = evalDiff(query, p, data); break;
    case 'aubc': v = evalAubc(query, p, data); break;
    case 'finding': v = evalFinding(query, p, data); break;
    case 'rows': v = evalRows(query, p, data, tableOf(query, data, p.words[1]), p.words[2]); break;
    case 'treat': {
      const axis = p.words[1];
      const table = treatTable(data);
      const checked = [...new Set(table.rows.map((r) => String(r[0])))];
      if (!axis || !checked.includes(axis)) throw new QueryError(`query '${query}': '${axis ?? ''}' is not a checked treatment axis; axes checked here: ${checked.join(', ') || 'none'} (treat AXIS [selectors] FIELD)`);
      v = evalRows(query, { ...p, selectors: [{ key: 'axis', op: '=', value: axis }, ...p.selectors] }, data, table, p.words[2]);
      break;
    }
    case 'kendall': v = evalKendall(query, p, data); break;
    case 'round': v = evalRound(query, p, data); break;
    case 'config': v = evalConfig(query, p, data); break;
    case 'seeds': v = evalSeeds(query, data); break;
    default: throw new QueryError(`query '${query}': '${head ?? ''}' is not a query; allowed: ${HEADS.join(', ')}`);
  }
  return applyUnits(query, v, p.units);
}

// ---------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------

/**
 * `x` rounded to `decimals` is `printed`. Compared as a distance, not with toFixed, so a value that
 * lies exactly half-way (0.69445 stored as 0.694449999…) is not decided by its binary representation.
 */
function roundedEqual(x: number, printed: number, decimals: number): { ok: boolean; shown: string } {
  const half = 0.5 * 10 ** -decimals;
  return { ok: Math.abs(x - printed) < half * (1 + 1e-9), shown: x.toFixed(decimals) };
}

/** One annotation: does the printed figure equal the computed value at the printed precision? */
export function checkAnnotation(a: Annotation, data: DiscussionData): AnnotationCheck {
  const base = { line: a.line, query: a.query, printed: a.text };
  let v: Value;
  try {
    v = evaluateQuery(a.query, data);
  } catch (err) {
    if (!(err instanceof QueryError)) throw err;
    return { ...base, computed: null, ok: false, message: err.message };
  }
  const p = a.printed;
  const unitQuery = parseQuery(a.query).units;
  if (p.kind !== 'word' && p.unit === 'points' && !unitQuery.includes('pts')) {
    return { ...base, computed: null, ok: false, message: `'${a.text}' is printed in points but query '${a.query}' has no 'pts'` };
  }
  if (p.kind !== 'word' && p.unit === '%' && !unitQuery.includes('%')) {
    return { ...base, computed: null, ok: false, message: `'${a.text}' is printed as a percentage but query '${a.query}' has no '%'` };
  }
  if (p.kind === 'word') {
    const ok = v === p.text;
    return { ...base, computed: String(v), ok, message: ok ? 'ok' : `printed '${p.text}', the results give '${String(v)}'` };
  }
  if (p.kind === 'number') {
    if (typeof v !== 'number') return { ...base, computed: JSON.stringify(v), ok: false, message: `printed a number, query '${a.query}' gives ${JSON.stringify(v)}` };
    const r = roundedEqual(v, p.value, p.decimals);
    return { ...base, computed: r.shown, ok: r.ok, message: r.ok ? 'ok' : `printed ${a.text}, the results give ${r.shown} (${v})` };
  }
  if (typeof v === 'number' || typeof v === 'string') {
    return { ...base, computed: String(v), ok: false, message: `printed a pair, query '${a.query}' gives ${String(v)}; use ci or range` };
  }
  const lo = roundedEqual(v[0], p.values[0], p.decimals[0]);
  const hi = roundedEqual(v[1], p.values[1], p.decimals[1]);
  const shown = `${lo.shown}, ${hi.shown}`;
  const ok = lo.ok && hi.ok;
  return { ...base, computed: shown, ok, message: ok ? 'ok' : `printed ${a.text}, the results give ${shown} (${v[0]}, ${v[1]})` };
}

/** Every annotation of a discussion file checked, plus its parse errors and naked numbers. */
export function checkDiscussion(markdown: string, data: DiscussionData): {
  checks: AnnotationCheck[];
  parseErrors: { line: number; message: string }[];
  naked: { line: number; text: string; what: string }[];
} {
  const { annotations, errors } = parseAnnotations(markdown);
  return { checks: annotations.map((a) => checkAnnotation(a, data)), parseErrors: errors, naked: nakedNumbers(markdown) };
}
