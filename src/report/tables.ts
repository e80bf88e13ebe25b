/** HTML tables of the report (pure: data in, escaped HTML fragment out). */
import type { CellResult, FailedResult } from '../store/schema.js';
import { finalPoints, type CurveRow } from '../analysis/curves.js';
import type { MetricSummary } from '../analysis/stats.js';
import { escapeHtml } from './html.js';
import { DEFAULT_BASELINE, strategyOrder } from './learning-curve-spec.js';

/** `value → count` as "a (3), b (1)", most frequent first; a single value without its count. */
function countsText(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const entries = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  if (entries.length === 1) return entries[0][0];
  return entries.map(([v, n]) => `${v} (${n})`).join(', ');
}

function distinctSorted<T extends string | number>(values: readonly T[]): T[] {
  return [...new Set(values)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function table(head: readonly string[], body: readonly (readonly string[])[], numeric: ReadonlySet<number> = new Set()): string {
  const cls = (i: number) => (numeric.has(i) ? ' class="num"' : '');
  return `<table>
<thead><tr>${head.map((h, i) => `<th${cls(i)}>${h}</th>`).join('')}</tr></thead>
<tbody>
${body.map((row) => `<tr>${row.map((c, i) => (c.startsWith('<td') ? c : `<td${cls(i)}>${c}</td>`)).join('')}</tr>`).join('\n')}
</tbody>
</table>`;
}

/**
 * What ran, where and how it went: cell counts, strategies, seeds, backends and versions
 * from the results' `env`, then the failed cells with their errors.
 */
export function summaryTableHtml(results: readonly CellResult[], settings: number): string {
  const completed = results.filter((r) => r.status === 'completed');
  const failed = results.filter((r): r is FailedResult => r.status === 'failed');
  const cells = results.map((r) => r.cell);
  const times = results.flatMap((r) => [r.startedAt, r.finishedAt]).filter(Boolean).sort();
  const rows: [string, string][] = [
    ['Cells', `${results.length}: ${completed.length} completed, ${failed.length} failed`],
    ['Settings', String(settings)],
    ['Datasets', countsText(cells.map((c) => c.dataset.name))],
    ['Models', countsText(cells.map((c) => c.model))],
    ['Strategies', distinctSorted(cells.map((c) => c.strategy)).join(', ')],
    ['Seeds', distinctSorted(cells.map((c) => c.seed)).join(', ')],
    ['Budgets (labels)', distinctSorted(cells.map((c) => c.budget)).join(', ')],
    ['Backends', countsText(results.map((r) => r.env.backend))],
    ['albench', countsText(results.map((r) => r.env.albench))],
    ['tfjs', countsText(results.map((r) => r.env.tfjs))],
    ['Node.js', countsText(results.map((r) => r.env.node))],
    ['Ran', times.length ? `${times[0]} → ${times[times.length - 1]}` : '—'],
  ];
  const summary = `<table class="summary">
<tbody>
${rows.map(([k, v]) => `<tr><th scope="row">${escapeHtml(k)}</th><td>${escapeHtml(v)}</td></tr>`).join('\n')}
</tbody>
</table>`;
  if (failed.length === 0) return summary;

  const failedTable = table(
    ['Cell', 'Setting', 'Strategy', 'Seed', 'Error'],
    failed.map((r) => [
      `<code>${escapeHtml(r.cell.id)}</code>`,
      escapeHtml(`${r.cell.dataset.name} · ${r.cell.model} · budget ${r.cell.budget} · batch ${r.cell.batchSize}`),
      escapeHtml(r.cell.strategy),
      String(r.cell.seed),
      escapeHtml(truncate(r.error.message, 300)),
    ]),
    new Set([3]),
  );
  return `${summary}\n<h3>Failed cells</h3>\n${failedTable}`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** "0.912 ± 0.013" (or "0.912" with one seed, where no interval exists). */
export function formatMeanCi(m: MetricSummary, digits = 3): string {
  return m.ci95 === null ? m.mean.toFixed(digits) : `${m.mean.toFixed(digits)} ± ${m.ci95.toFixed(digits)}`;
}

/**
 * Final accuracy (at the largest labelled count) per setting × strategy, mean ± 95 % CI over
 * seeds, the best mean of each row in bold. Baseline column first so every row reads against it.
 */
export function finalAccuracyTableHtml(rows: readonly CurveRow[], baseline: string = DEFAULT_BASELINE): string {
  const finals = finalPoints(rows);
  const strategies = strategyOrder(finals, baseline);
  const settings = [...new Map(finals.map((r) => [r.settingKey, r.setting])).entries()];
  const body = settings.map(([key, label]) => {
    const inSetting = finals.filter((r) => r.settingKey === key);
    const best = Math.max(...inSetting.map((r) => r.accuracy.mean));
    const labeled = distinctSorted(inSetting.map((r) => r.labeled)).join(', ');
    const cells = strategies.map((s) => {
      const r = inSetting.find((x) => x.strategy === s);
      if (!r) return '<td class="num">—</td>';
      const title = `n = ${r.accuracy.n} seed${r.accuracy.n === 1 ? '' : 's'}, ${r.labeled} labels`;
      const cls = r.accuracy.mean === best ? 'num best' : 'num';
      return `<td class="${cls}" title="${escapeHtml(title)}">${escapeHtml(formatMeanCi(r.accuracy))}</td>`;
    });
    return [escapeHtml(label), escapeHtml(labeled), ...cells];
  });
  const head = ['Setting', 'Labels', ...strategies.map((s) => escapeHtml(s === baseline ? `${s} (baseline)` : s))];
  return table(head, body, new Set(head.map((_, i) => i).filter((i) => i >= 1)));
}
