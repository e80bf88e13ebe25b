/**
 * One table, three renderings: escaped HTML for the page, CSV (RFC 4180) and JSON beside it.
 * Numbers keep full precision in CSV/JSON and are rounded only for the page.
 */
import { csvField } from './csv.js';
import { escapeHtml, type ReportTable } from './html.js';

export type TableValue = string | number | null;

export interface TableColumn {
  /** Key in each row; also the CSV header and the JSON field name. */
  readonly key: string;
  /** Header shown in the page. */
  readonly label: string;
  /** Digits after the point in the page (numbers only); integers are shown as they are. */
  readonly digits?: number;
  /** Shown in the page for null (e.g. "never reached"); '—' by default. */
  readonly nullText?: string;
}

export interface DataTable {
  /** File stem under tables/ and element id; letters, digits and dashes. */
  readonly id: string;
  readonly title: string;
  readonly caption?: string;
  readonly columns: readonly TableColumn[];
  readonly rows: readonly Readonly<Record<string, TableValue>>[];
  /** Cells to show in bold (e.g. the best of a row), as `${rowIndex}:${key}`. */
  readonly bold?: ReadonlySet<string>;
}

function display(v: TableValue, c: TableColumn): string {
  if (v === null || (typeof v === 'number' && !Number.isFinite(v))) {
    return typeof v === 'number' && v !== 0 && !Number.isNaN(v) ? (v > 0 ? '∞' : '−∞') : (c.nullText ?? '—');
  }
  if (typeof v === 'number') return Number.isInteger(v) && c.digits === undefined ? String(v) : v.toFixed(c.digits ?? 3);
  return v;
}

export function dataTableHtml(t: DataTable): string {
  const numeric = new Set(t.columns.filter((c) => t.rows.some((r) => typeof r[c.key] === 'number')).map((c) => c.key));
  const cls = (c: TableColumn, v: TableValue, bold: boolean) => {
    const names = [numeric.has(c.key) ? 'num' : '', bold ? 'best' : '', v === null && c.nullText ? 'never' : ''].filter(Boolean);
    return names.length ? ` class="${names.join(' ')}"` : '';
  };
  const head = t.columns.map((c) => `<th${numeric.has(c.key) ? ' class="num"' : ''}>${escapeHtml(c.label)}</th>`).join('');
  const body = t.rows
    .map((r, i) => `<tr>${t.columns.map((c) => {
      const v = r[c.key] ?? null;
      return `<td${cls(c, v, t.bold?.has(`${i}:${c.key}`) ?? false)}>${escapeHtml(display(v, c))}</td>`;
    }).join('')}</tr>`)
    .join('\n');
  return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

export function dataTableCsv(t: DataTable): string {
  const lines = [t.columns.map((c) => csvField(c.key)).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => csvField(r[c.key] ?? null)).join(','));
  return `${lines.join('\n')}\n`;
}

/** `{ title, columns: [{key, label}], rows }`; non-finite numbers become null (JSON has none). */
export function dataTableJson(t: DataTable): string {
  const rows = t.rows.map((r) =>
    Object.fromEntries(t.columns.map((c) => {
      const v = r[c.key] ?? null;
      return [c.key, typeof v === 'number' && !Number.isFinite(v) ? null : v];
    })),
  );
  return `${JSON.stringify({ id: t.id, title: t.title, columns: t.columns.map(({ key, label }) => ({ key, label })), rows }, null, 1)}\n`;
}

/** The page's view of a table. */
export function toReportTable(t: DataTable, title = t.title): ReportTable {
  return { id: t.id, title, html: dataTableHtml(t), ...(t.caption ? { caption: t.caption } : {}) };
}
