/** The aggregated learning curves as CSV (RFC 4180), for pandas, R or a spreadsheet. */
import type { CurveRow } from '../analysis/curves.js';

/** Quotes a field when it holds a comma, quote or line break; doubles inner quotes. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'number' ? (Number.isFinite(value) ? String(value) : '') : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function valueAtPath(obj: unknown, path: string): unknown {
  let v = obj;
  for (const key of path.split('.')) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

/**
 * One line per curve point. The varying axes get a column each (named by their dotted path)
 * so the file can be grouped without parsing labels; `setting_key` holds the full setting.
 * Metrics keep full precision; std and CI are empty where a single seed leaves them undefined.
 */
export function curvesCsv(rows: readonly CurveRow[], axes: readonly string[] = []): string {
  const header = [
    'setting',
    ...axes,
    'strategy',
    'labeled',
    'n_seeds',
    'accuracy_mean',
    'accuracy_std',
    'accuracy_ci95',
    'macro_f1_mean',
    'macro_f1_std',
    'macro_f1_ci95',
    'seeds',
    'setting_key',
  ];
  const lines = rows.map((r) => {
    const setting = JSON.parse(r.settingKey) as unknown;
    const axisValues = axes.map((a) => {
      const v = valueAtPath(setting, a);
      return v === undefined || typeof v === 'string' ? v : JSON.stringify(v);
    });
    return [
      r.setting,
      ...axisValues,
      r.strategy,
      r.labeled,
      r.accuracy.n,
      r.accuracy.mean,
      r.accuracy.std,
      r.accuracy.ci95,
      r.macroF1.mean,
      r.macroF1.std,
      r.macroF1.ci95,
      r.seeds.join(' '),
      r.settingKey,
    ]
      .map(csvField)
      .join(',');
  });
  return `${[header.map(csvField).join(','), ...lines].join('\n')}\n`;
}
