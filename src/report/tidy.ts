/**
 * Results as one tidy table: a row per cell × round, every axis a column, for pandas, R or a
 * spreadsheet (`albench export`). Columns are derived from the records, not listed, so an axis or
 * a round field added later (training evidence such as trainLoss, steps) becomes a column without
 * a change here:
 *
 * - a cell field holding `{ name, ...options }` (dataset, augmentation, ssl, protocol,
 *   representation) gives a column `<field>` = name and `<field>.<option>` per option;
 * - `strategyParams` gives `strategy.<param>`; other nested values `<path>.<key>`;
 * - axes absent from a cell because they are at their default get the default's name
 *   (protocol `retrain`, representation `raw`), so a column never mixes "absent" with a value;
 * - arrays (selected indices, class counts, a command's argv) are JSON text in one column;
 * - a round field named like a cell field (`ssl`: the round's pseudo-label statistics) is `round.<field>…`.
 */
import type { CellResult } from '../store/schema.js';

export type TidyValue = string | number | boolean | null;
export type TidyRow = Readonly<Record<string, TidyValue>>;

/** Axes whose absence from a cell means their default (spec/expand.ts keeps old ids that way). */
const AXIS_DEFAULTS: Readonly<Record<string, string>> = { protocol: 'retrain', representation: 'raw' };
/** Cell fields renamed in the table. */
const RENAMED: Readonly<Record<string, string>> = { id: 'cell_id', strategyParams: 'strategy' };

function flatten(value: unknown, prefix: string, out: Record<string, TidyValue>): void {
  if (value === undefined) return;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    out[prefix] = value;
  } else if (Array.isArray(value)) {
    out[prefix] = JSON.stringify(value);
  } else if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    for (const [key, v] of Object.entries(obj)) {
      // `{ name, ... }`: the name is the column itself, the rest its sub-columns.
      if (key === 'name' && prefix !== '') flatten(v, prefix, out);
      else flatten(v, prefix === '' ? key : `${prefix}.${key}`, out);
    }
  }
}

/** The columns a cell contributes to each of its rows. */
function cellColumns(result: CellResult): Record<string, TidyValue> {
  const out: Record<string, TidyValue> = {};
  for (const [key, value] of Object.entries(result.cell)) flatten(value, RENAMED[key] ?? key, out);
  for (const [axis, name] of Object.entries(AXIS_DEFAULTS)) out[axis] ??= name;
  out.status = result.status;
  out.backend = result.env.backend;
  out.albench = result.env.albench;
  out.derived_from = result.derivedFrom?.cellId ?? null;
  out.error = result.status === 'failed' ? result.error.message : null;
  return out;
}

/** One row per cell × round (a failed cell contributes the rounds it completed), and the column order. */
export function tidyRows(results: readonly CellResult[]): { columns: string[]; rows: TidyRow[] } {
  const rows: TidyRow[] = [];
  const columns = new Set<string>();
  for (const result of results) {
    const cell = cellColumns(result);
    for (const key of Object.keys(cell)) columns.add(key);
    for (const round of result.rounds) {
      const r: Record<string, TidyValue> = {};
      // A round field named like a cell field (the SSL stats `ssl` beside the SSL method) goes under `round.`.
      for (const [key, value] of Object.entries(round)) flatten(value, key in result.cell || key in AXIS_DEFAULTS ? `round.${key}` : key, r);
      for (const key of Object.keys(r)) columns.add(key);
      rows.push({ ...cell, ...r });
    }
  }
  const order = [...columns];
  return { columns: order, rows: rows.map((row) => Object.fromEntries(order.map((c) => [c, row[c] ?? null]))) };
}

/** The kind of a column: the one type of its non-null values, else text. */
export function columnKind(rows: readonly TidyRow[], column: string): 'integer' | 'number' | 'boolean' | 'string' {
  let kind: 'integer' | 'number' | 'boolean' | 'string' | undefined;
  for (const row of rows) {
    const v = row[column];
    if (v === null) continue;
    const k = typeof v === 'number' ? (Number.isSafeInteger(v) ? 'integer' : 'number') : typeof v === 'boolean' ? 'boolean' : 'string';
    if (kind === undefined || kind === k) kind = k;
    else if ((kind === 'integer' && k === 'number') || (kind === 'number' && k === 'integer')) kind = 'number';
    else return 'string';
  }
  return kind ?? 'string';
}
