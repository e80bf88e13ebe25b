/**
 * The treatment-check table: every treatment's paired effect on the baseline (per seed,
 * AUBC with − without), so a reader sees whether augmentation, SSL, self-supervised features or
 * a protocol did what it is for before reading a finding that presupposes it, and whether its
 * models fit (a treatment that did not help fitted models honestly does not help; one whose models
 * underfit says more about the recipe).
 */
import type { TreatmentCheck } from '../analysis/treatment-checks.js';
import type { DataTable } from './data-table.js';

export function treatmentChecksDataTable(checks: readonly TreatmentCheck[]): DataTable {
  return {
    id: 'treatment-checks',
    title: 'Treatment checks: effect on the baseline',
    columns: [
      { key: 'axis', label: 'Treatment axis' },
      { key: 'setting', label: 'Setting (with)' },
      { key: 'without', label: 'Without' },
      { key: 'with', label: 'With' },
      { key: 'seeds', label: 'Seeds' },
      { key: 'delta', label: 'Δ AUBC (with − without)', digits: 4 },
      { key: 'ci_low', label: '95% CI low', digits: 4 },
      { key: 'ci_high', label: '95% CI high', digits: 4 },
      { key: 'p', label: 'p (t)', digits: 4 },
      { key: 'improved', label: 'Improved the baseline' },
      { key: 'fit_without', label: 'Training accuracy without (lowest round)', digits: 3 },
      { key: 'fit_with', label: 'Training accuracy with (lowest round)', digits: 3 },
      { key: 'outcome', label: 'Outcome' },
    ],
    rows: checks.map((c) => ({
      axis: c.axis,
      setting: c.setting,
      without: c.without,
      with: c.with,
      seeds: c.estimate?.n ?? 0,
      delta: c.estimate?.mean ?? null,
      ci_low: c.estimate?.ci95?.[0] ?? null,
      ci_high: c.estimate?.ci95?.[1] ?? null,
      p: c.estimate?.p ?? null,
      improved: c.improved ? 'yes' : 'no',
      fit_without: c.fit.without,
      fit_with: c.fit.with,
      outcome: c.outcome,
    })),
  };
}
