/**
 * `docs/FINDINGS.md`: what albench measured when it re-ran the critique papers' studies (the
 * presets in experiments/: Mittal et al. 2019, Munjal et al. 2022, Hacohen et al. 2022, Beck et
 * al. 2021). Pure: the caller reads the results, renders the figures and passes what it found; this
 * turns it into Markdown. No timestamp goes in, so regenerating from the same results gives the
 * same file (the doc is committed and diffs should mean new results).
 *
 * Each finding carries the paper's claim; a verdict of 'not supported' therefore means albench's
 * measurement disagrees with the paper, and the doc says so in those words.
 */
import type { Finding } from '../analysis/findings.js';
import type { ResolvedCell } from '../spec/types.js';

/** One preset as the doc shows it. `run` is absent when `results/<name>/` holds no results yet. */
export interface PresetDocEntry {
  /** The study name, which is also its results folder (`results/<name>`). */
  readonly name: string;
  /** Where the small preset lives, e.g. `experiments/parting-with-illusions.yaml`. */
  readonly specPath: string;
  /** Its paper-scale sibling, when there is one. */
  readonly fullSpecPath?: string;
  /** One line naming the paper (the first line of the preset's header comment). */
  readonly paper: string;
  readonly run?: PresetRun;
  /**
   * A hand-written reading of the verdicts (Markdown, from `docs/discussion/<name>.md`): the
   * specific reasons where albench disagrees with the paper, which numbers alone cannot give.
   */
  readonly discussion?: { readonly path: string; readonly markdown: string };
}

export interface PresetRun {
  /** Cells the preset expands to; more than `cells` while a run is still under way. */
  readonly planned: number;
  readonly cells: number;
  readonly completed: number;
  readonly failed: number;
  /** Fewest and most seeds of any setting × strategy. */
  readonly seedRange: readonly [number, number];
  /** Distinct values over all result files (several mean a mixed run, which the doc points out). */
  readonly albenchVersions: readonly string[];
  readonly backends: readonly string[];
  /** How the study was scaled, in words (see describeScale). */
  readonly scale: string;
  readonly findings: readonly Finding[];
  /** Figures written beside the doc; `path` relative to the doc's folder. */
  readonly figures: readonly { readonly title: string; readonly path: string }[];
}

export interface FindingsDocInput {
  readonly presets: readonly PresetDocEntry[];
  /** The command that regenerates the doc (printed at the top). */
  readonly regenerate: string;
}

const distinct = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

function range(values: readonly number[]): string {
  const v = distinct(values).sort((a, b) => a - b);
  return v.length === 0 ? '—' : v.join(', ');
}

function datasetText(d: ResolvedCell['dataset']): string {
  const parts: string[] = [];
  if (d.poolSize !== undefined) parts.push(`pool ${d.poolSize}`);
  if (d.testSize !== undefined) parts.push(`test ${d.testSize}`);
  if (d.imbalance !== undefined && d.imbalance !== 1) parts.push(`imbalance ${d.imbalance}`);
  return parts.length ? `${d.name} (${parts.join(', ')})` : `${d.name} (full)`;
}

/**
 * The scale of a study in one line, from its cells: datasets with their variants, models,
 * labelled-set sizes, AL batch sizes, epochs and seeds. The "likely reasons" of a disagreement
 * point at exactly these.
 */
export function describeScale(cells: readonly ResolvedCell[]): string {
  if (cells.length === 0) return 'no cells';
  const datasets = distinct(cells.map((c) => datasetText(c.dataset)));
  const models = distinct(cells.map((c) => c.model));
  const seeds = distinct(cells.map((c) => c.seed)).length;
  return [
    `dataset ${datasets.join('; ')}`,
    `model ${models.join(', ')}`,
    `initial labels ${range(cells.map((c) => c.initialSize))}`,
    `budgets ${range(cells.map((c) => c.budget))}`,
    `AL batch ${range(cells.map((c) => c.batchSize))}`,
    `${range(cells.map((c) => c.training.epochs))} epochs per round`,
    `${seeds} seed${seeds === 1 ? '' : 's'}`,
  ].join(' · ');
}

/** Markdown table cells cannot hold pipes or line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ');
}

function num(x: number | null, digits = 4): string {
  return x === null || !Number.isFinite(x) ? '—' : x.toFixed(digits);
}

function keyNumbers(f: Finding): string {
  const ci = f.interval ? ` (95 % CI [${num(f.interval[0])}, ${num(f.interval[1])}])` : '';
  return `${num(f.value)}${ci}, ${f.seeds} seed${f.seeds === 1 ? '' : 's'}`;
}

const VERDICT_WORDS: Record<Finding['verdict'], string> = {
  supported: 'agrees with the paper',
  'not supported': '**disagrees with the paper**',
  inconclusive: 'neither confirms nor refutes the paper',
  'not covered': 'not tested by this preset',
};

/** For a contested claim (Finding.counterView), the side its verdict takes; else ''. */
function sideTaken(f: Finding): string {
  if (!f.counterView || f.verdict === 'inconclusive' || f.verdict === 'not covered') return '';
  return `; ${f.verdict === 'supported' ? 'disagrees with' : 'agrees with'} the counter-view (see *Contested*)`;
}

function runCommands(p: PresetDocEntry): string[] {
  return [`albench run ${p.specPath}`, `albench report results/${p.name}`];
}

function presetSection(p: PresetDocEntry): string[] {
  const out = [`## ${p.name}`, '', `${p.paper}`, '', `Preset: \`${p.specPath}\`${p.fullSpecPath ? ` · paper scale: \`${p.fullSpecPath}\`` : ''}.`, ''];
  if (!p.run) {
    out.push(
      '**Not run yet.** No results are committed under ' + `\`results/${p.name}/\`. To run it (its header gives the expected time), then regenerate this file:`,
      '',
      '```sh',
      ...runCommands(p),
      'npm run findings:doc',
      '```',
      '',
    );
    return out;
  }
  const r = p.run;
  const [lo, hi] = r.seedRange;
  const mixed = (xs: readonly string[], what: string) =>
    xs.length > 1 ? ` (**mixed ${what}s: ${xs.join(', ')}** — results from different ${what}s are not bitwise comparable)` : '';
  out.push(
    `- **Measured with** albench ${r.albenchVersions.join(', ') || '—'}${mixed(r.albenchVersions, 'version')} on the ${r.backends.join(', ') || '—'} backend${mixed(r.backends, 'backend')}.`,
    `- **Cells:** ${r.cells} of ${r.planned} (${r.completed} completed, ${r.failed} failed); seeds per configuration: ${lo === hi ? lo : `${lo}–${hi}`}.`,
    `- **Scale:** ${r.scale}.`,
    '- **Reproduce:**',
    '',
    '  ```sh',
    ...runCommands(p).map((c) => `  ${c}`),
    '  ```',
    '',
    `- **Check** the committed results re-run bit for bit: \`albench verify results/${p.name} --sample 3\`.`,
    '',
  );
  if (r.cells < r.planned) {
    out.push(
      `> **Partial run: ${r.cells} of ${r.planned} cells.** The verdicts below are provisional: settings and strategies still missing are left out of them. \`albench run ${p.specPath}\` continues the run where it stopped.`,
      '',
    );
  }
  if (r.failed > 0) out.push(`> ${r.failed} cell${r.failed === 1 ? '' : 's'} failed; the findings use the completed ones only. \`albench run --retry-failed\` re-runs them.`, '');

  const covered = r.findings.filter((f) => f.verdict !== 'not covered');
  const notCovered = r.findings.filter((f) => f.verdict === 'not covered');
  out.push('| Finding | Verdict | Key number | Why |', '| --- | --- | --- | --- |');
  for (const f of covered) {
    out.push(`| ${f.id} ${cell(f.title)} | ${f.verdict} — ${VERDICT_WORDS[f.verdict]}${sideTaken(f)} | ${cell(keyNumbers(f))} | ${cell(f.reason)} |`);
  }
  if (!covered.length) out.push('| — | — | — | this run covers none of the findings |');
  out.push('');
  if (notCovered.length) out.push(`Not covered by this preset: ${notCovered.map((f) => `${f.id} (${f.title})`).join('; ')}.`, '');

  for (const f of covered) {
    out.push(`### ${f.id}: ${f.title}`, '', `- **The paper's claim** (${f.citation}): ${f.claim}`, `- **Measured:** ${f.statistic}`,
      `- **Decision rule:** estimand ${f.estimand}; smallest effect of interest ${f.minEffect}${f.familySize > 0 ? `; Holm family of ${f.familySize}` : '; not tested'}${f.presupposes.length ? `; judged only where ${f.presupposes.join(' / ')} improved the baseline` : ''} (\`src/analysis/findings/procedure.ts\`).`, `- **Result:** ${keyNumbers(f)}. ${f.reason}.`);
    if (f.counterView) {
      out.push(`- **Contested:** ${f.counterView}${f.verdict === 'inconclusive' ? ' This run decides between neither side.' : ` This verdict ${f.verdict === 'supported' ? 'goes against' : 'sides with'} that view.`}`);
    }
    if (f.verdict === 'not supported') {
      out.push(
        `- **This disagrees with the paper.** albench measured the opposite of the claim, or no effect worth the name. ` +
          `Likely reasons to weigh before reading it as a refutation: scale (${r.scale}), and the dataset and model named there, ` +
          'which are not the paper’s data and deep network.',
      );
    } else if (f.verdict === 'inconclusive') {
      out.push(`- Inconclusive: neither the claimed effect (≥ ${f.minEffect}) nor its absence is shown${f.seedsNeeded !== null ? `; about ${f.seedsNeeded} seeds would decide it at the observed variance` : ''}. More seeds (\`matrix.seed\`) narrow the interval.`);
    }
    out.push('');
  }

  if (p.discussion) {
    out.push(
      '### Reading these verdicts',
      '',
      `_Written by hand from the committed results (\`${p.discussion.path}\`), not generated: re-read it after a new run._`,
      '',
      p.discussion.markdown.trim(),
      '',
    );
  }

  if (r.figures.length) {
    out.push('Figures:', '', ...r.figures.map((fig) => `- [${fig.title}](${fig.path})`), '');
  }
  return out;
}

export function findingsDocMarkdown(input: FindingsDocInput): string {
  const run = input.presets.filter((p) => p.run);
  const lines = [
    '# What albench measured: the critique papers, re-run',
    '',
    'Each section is one study preset in `experiments/`, scaled down to run on 2 cores; its header comment says how it was scaled and gives the paper-scale sibling (`*.full.yaml`). ' +
      'Verdicts come from the committed results under `results/<preset>/` by the one decision procedure of `src/analysis/findings/procedure.ts`: ' +
      'the seed is the unit; supported = the 95 % interval excludes 0 on the claimed side (Holm within the finding’s family) and the estimate reaches the finding’s smallest effect of interest; ' +
      'not supported = equivalence within ± that effect (two one-sided tests) or the opposite effect; otherwise inconclusive. “Not supported” means albench disagrees with the paper’s claim.',
    '',
    `Generated by \`${input.regenerate}\` from ${run.length} of ${input.presets.length} presets’ results; do not edit by hand.`,
    '',
  ];
  if (run.length) {
    lines.push('| Preset | Finding | Verdict |', '| --- | --- | --- |');
    for (const p of run) {
      for (const f of p.run!.findings.filter((x) => x.verdict !== 'not covered')) {
        lines.push(`| [${p.name}](#${p.name}) | ${f.id} ${cell(f.title)} | ${f.verdict === 'not supported' ? `**not supported (disagrees with the paper${sideTaken(f)})**` : f.verdict} |`);
      }
    }
    lines.push('');
  }
  for (const p of input.presets) lines.push(...presetSection(p));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}
