/**
 * The tidy table (tidy.ts) written as CSV (RFC 4180), JSON Lines or Parquet. Parquet goes through
 * hyparquet-writer: pure JavaScript with no install script or platform binary, one dependency
 * (hyparquet, its reader, which the tests read the file back with). Column types come from the
 * values: whole numbers INT64, other numbers DOUBLE, booleans BOOLEAN, the rest UTF-8 text; every
 * column is nullable (a field a cell does not have is null in its rows).
 */
import { parquetWriteBuffer } from 'hyparquet-writer';
import { csvField } from './csv.js';
import { columnKind, type TidyRow } from './tidy.js';

export const EXPORT_FORMATS = ['csv', 'jsonl', 'parquet'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function tidyCsv(columns: readonly string[], rows: readonly TidyRow[]): string {
  const cell = (v: TidyValueLike) => (typeof v === 'boolean' ? String(v) : csvField(v));
  return [columns.map((c) => csvField(c)).join(','), ...rows.map((r) => columns.map((c) => cell(r[c])).join(','))].join('\n') + '\n';
}

type TidyValueLike = TidyRow[string];

export function tidyJsonl(columns: readonly string[], rows: readonly TidyRow[]): string {
  return rows.map((r) => JSON.stringify(Object.fromEntries(columns.map((c) => [c, r[c]])))).join('\n') + (rows.length ? '\n' : '');
}

export function tidyParquet(columns: readonly string[], rows: readonly TidyRow[]): Uint8Array {
  const columnData = columns.map((name) => {
    const kind = columnKind(rows, name);
    const values = rows.map((r) => r[name]);
    switch (kind) {
      case 'integer':
        return { name, type: 'INT64' as const, data: values.map((v) => (v === null ? null : BigInt(v as number))) };
      case 'number':
        return { name, type: 'DOUBLE' as const, data: values };
      case 'boolean':
        return { name, type: 'BOOLEAN' as const, data: values };
      default:
        return { name, type: 'STRING' as const, data: values.map((v) => (v === null ? null : String(v))) };
    }
  });
  return new Uint8Array(parquetWriteBuffer({ columnData }));
}

/** The file's bytes in `format`. */
export function exportTidy(format: ExportFormat, columns: readonly string[], rows: readonly TidyRow[]): Uint8Array | string {
  if (format === 'csv') return tidyCsv(columns, rows);
  if (format === 'jsonl') return tidyJsonl(columns, rows);
  return tidyParquet(columns, rows);
}
