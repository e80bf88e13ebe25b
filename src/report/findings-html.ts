/** The findings section: one card per finding, verdict first, evidence folded underneath. */
import type { EvidenceTable, Finding } from '../analysis/findings.js';
import { MIN_SEEDS, RECOMMENDED_SEEDS } from '../analysis/findings.js';
import { dataTableHtml, type DataTable } from './data-table.js';
import { escapeHtml } from './html.js';

/** A finding's evidence as a table of its own (tables/finding-f1.csv …). */
export function evidenceDataTable(f: Finding): DataTable {
  const e: EvidenceTable = f.evidence;
  const keys = e.columns.map((c, i) => `c${i}_${c.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_|_$/g, '')}`);
  return {
    id: `finding-${f.id.toLowerCase()}`,
    title: `${f.id} evidence: ${f.title}`,
    columns: e.columns.map((label, i) => ({ key: keys[i], label, digits: 4 })),
    rows: e.rows.map((r) => Object.fromEntries(keys.map((k, i) => [k, r[i] ?? null]))),
  };
}

export function verdictBadge(v: Finding['verdict']): string {
  return `<span class="verdict v-${v.replace(/\s+/g, '-')}">${escapeHtml(v)}</span>`;
}

function num(x: number | null): string {
  return x === null ? '—' : Number.isFinite(x) ? x.toFixed(4) : String(x);
}

/** Estimand, direction, smallest effect, family, p, effect size and seeds needed, in one sentence. */
export function decisionLine(f: Finding): string {
  const dir = f.direction === 0 ? 'differs from 0' : f.direction > 0 ? '> 0' : '< 0';
  const parts = [`Estimand: ${f.estimand} (claim: ${dir}); smallest effect of interest ${f.minEffect}`];
  if (f.familySize > 0) parts.push(`Holm family of ${f.familySize}`);
  if (f.p !== null) parts.push(`p = ${num(f.p)}${f.familySize > 1 ? ' (Holm)' : ''}`);
  if (f.effectSize !== null) parts.push(`d_z = ${f.effectSize.toFixed(2)}`);
  if (f.seedsNeeded !== null) parts.push(`about ${f.seedsNeeded} seeds would decide it`);
  if (f.presupposes.length) parts.push(`judged only where ${f.presupposes.join(' / ')} improved the baseline`);
  return `${parts.join('; ')}.`;
}

/**
 * The axis a not-covered finding asks for, read from its reason ("the run does not vary ssl …",
 * "add `protocol: [retrain, warm-start]`", "no class-imbalance axis"); undefined when it names none.
 */
export function coveringAxis(reason: string): string | undefined {
  const m =
    /the run does not vary (?:the )?([\w -]+?) \(/.exec(reason) ??
    /add `(?:\{ [^`]*?)?(\w+): \[/.exec(reason) ??
    /no ([\w-]+) axis/.exec(reason);
  return m?.[1];
}

/** The not-covered findings as one line: which axes would cover which findings, reasons folded. */
export function notCoveredLine(findings: readonly Finding[]): string {
  const missing = findings.filter((f) => f.verdict === 'not covered');
  if (!missing.length) return '';
  const byAxis = new Map<string, string[]>();
  for (const f of missing) {
    const axis = coveringAxis(f.reason) ?? 'other data';
    byAxis.set(axis, [...(byAxis.get(axis) ?? []), f.id]);
  }
  const parts = [...byAxis].map(([axis, ids]) => `<strong>${escapeHtml(axis)}</strong> (${ids.map(escapeHtml).join(', ')})`);
  const reasons = missing.map((f) => `<li>${escapeHtml(f.id)}. ${escapeHtml(f.title)}: ${escapeHtml(f.reason)}.</li>`).join('');
  return `<div class="not-covered" id="findings-not-covered"><p>${verdictBadge('not covered')} ${missing.length}: this study does not vary what they are about; varying ${parts.join(', ')} would cover them.</p><details><summary>Why, and how to add each</summary><ul>${reasons}</ul></details></div>`;
}

export function findingsHtml(findings: readonly Finding[], seedRange: readonly [number, number]): string {
  const [lo, hi] = seedRange;
  const seedNote =
    hi < MIN_SEEDS
      ? `<p class="warn">This run has ${hi} seed${hi === 1 ? '' : 's'} per configuration: every computed verdict is <em>inconclusive</em> until it has at least ${MIN_SEEDS}. Use ≥ ${RECOMMENDED_SEEDS}.</p>`
      : lo < RECOMMENDED_SEEDS
        ? `<p class="warn">This run has ${lo === hi ? lo : `${lo}–${hi}`} seeds per configuration. Verdicts need ≥ ${MIN_SEEDS}; use ≥ ${RECOMMENDED_SEEDS}, because CDALBench (Werner et al. 2024) showed that conclusions drawn from 3 seeds can flip.</p>`
        : '';
  const counts = (['supported', 'not supported', 'inconclusive', 'not covered'] as const)
    .map((v) => `${verdictBadge(v)} ${findings.filter((f) => f.verdict === v).length}`)
    .join(' &nbsp; ');
  // Covered findings get a card; the not-covered ones share one line (notCoveredLine).
  const cards = findings.filter((f) => f.verdict !== 'not covered').map((f) => {
    const interval = f.interval ? ` (95% CI ${num(f.interval[0])} to ${num(f.interval[1])})` : '';
    const evidence =
      f.evidence.rows.length === 0
        ? ''
        : `<details><summary>Evidence (${f.evidence.rows.length} row${f.evidence.rows.length === 1 ? '' : 's'}; also tables/finding-${f.id.toLowerCase()}.csv)</summary><div class="scroll">${dataTableHtml(evidenceDataTable(f))}</div></details>`;
    return `<article class="finding" id="finding-${f.id.toLowerCase()}">
<h3>${escapeHtml(f.id)}. ${escapeHtml(f.title)} ${verdictBadge(f.verdict)}</h3>
<p><strong>Claim.</strong> ${escapeHtml(f.claim)} <em>(${escapeHtml(f.citation)})</em></p>
${f.counterView ? `<p><strong>Contested.</strong> ${escapeHtml(f.counterView)}</p>\n` : ''}<p><strong>Statistic.</strong> ${escapeHtml(f.statistic)}${f.value === null ? '' : ` Value: <strong>${escapeHtml(num(f.value))}</strong>${escapeHtml(interval)}; ${f.seeds} seeds.`}</p>
${f.verdict === 'not covered' ? '' : `<p><strong>Decision.</strong> ${escapeHtml(decisionLine(f))}</p>\n`}<p><strong>Why ${escapeHtml(f.verdict)}.</strong> ${escapeHtml(f.reason)}.</p>
${evidence}
</article>`;
  });
  return `${seedNote}<p>${counts}</p>\n${cards.join('\n')}\n${notCoveredLine(findings)}`;
}
