/**
 * The report's evidence of fit (issue 17): how well each round's model fits its labelled set
 * (`trainAccuracy`, `trainLoss`, `steps` in every round record, models/fit.ts), a warning that
 * names the rounds that ended below 90 % training accuracy, and the recipe `training.tune` chose
 * per seed. An underfitted baseline makes any treatment that slows fitting look harmful, so a
 * verdict next to such rounds says more about the recipe than about the strategies.
 */
import { settingLabel, varyingAxes } from '../analysis/curves.js';
import type { CompletedResult, CellResult } from '../store/schema.js';
import type { DataTable } from './data-table.js';
import { toReportTable } from './data-table.js';
import { escapeHtml, type ReportSection } from './html.js';

import { UNDERFIT_ACCURACY } from '../analysis/fit.js';

export { UNDERFIT_ACCURACY };
/** Cells named in the warning line before "and N more". */
const NAMED = 8;

export interface FitReport {
  readonly sections: readonly ReportSection[];
  readonly tables: readonly DataTable[];
}

interface Underfit {
  readonly label: string;
  readonly strategy: string;
  readonly seed: number;
  readonly cellId: string;
  readonly rounds: { readonly round: number; readonly labeled: number; readonly trainAccuracy: number }[];
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/** Rounds of completed results that ended below `threshold` training accuracy, per cell. */
export function underfittedRounds(results: readonly CellResult[], threshold = UNDERFIT_ACCURACY): Underfit[] {
  const completed = results.filter((r): r is CompletedResult => r.status === 'completed');
  const axes = varyingAxes(completed.map((r) => r.cell));
  return completed.flatMap((r) => {
    // Cut cells (derivedFrom) repeat their source's rounds: name the source only.
    if (r.derivedFrom) return [];
    const rounds = r.rounds.filter((x) => x.trainAccuracy !== undefined && x.trainAccuracy < threshold).map((x) => ({ round: x.round, labeled: x.labeled, trainAccuracy: x.trainAccuracy! }));
    return rounds.length ? [{ label: settingLabel(r.cell, axes), strategy: r.cell.strategy, seed: r.cell.seed, cellId: r.cell.id, rounds }] : [];
  });
}

/** The fit table (one row per setting × strategy), the underfit warning and the tuning table. */
export function fitReport(results: readonly CellResult[]): FitReport {
  const completed = results.filter((r): r is CompletedResult => r.status === 'completed');
  const withFit = completed.filter((r) => r.rounds.some((x) => x.trainAccuracy !== undefined));
  if (withFit.length === 0) return { sections: [], tables: [] };
  const axes = varyingAxes(completed.map((r) => r.cell));

  const groups = new Map<string, { setting: string; strategy: string; seeds: Set<number>; first: number[]; last: number[]; lowest: number; loss: number[]; steps: number[]; below: number }>();
  for (const r of withFit) {
    const setting = settingLabel(r.cell, axes);
    const key = `${setting}\u0000${r.cell.strategy}`;
    const g = groups.get(key) ?? { setting, strategy: r.cell.strategy, seeds: new Set(), first: [], last: [], lowest: 1, loss: [], steps: [], below: 0 };
    groups.set(key, g);
    const rounds = r.rounds.filter((x) => x.trainAccuracy !== undefined);
    g.seeds.add(r.cell.seed);
    g.first.push(rounds[0].trainAccuracy!);
    g.last.push(rounds[rounds.length - 1].trainAccuracy!);
    for (const x of rounds) {
      g.lowest = Math.min(g.lowest, x.trainAccuracy!);
      if (x.trainLoss !== undefined) g.loss.push(x.trainLoss);
      if (x.steps !== undefined) g.steps.push(x.steps);
      if (x.trainAccuracy! < UNDERFIT_ACCURACY) g.below++;
    }
  }
  const fit: DataTable = {
    id: 'training-fit',
    title: 'Training fit',
    caption: `Accuracy on the labelled set (clean inputs) after each round's training, mean over seeds; rounds below ${UNDERFIT_ACCURACY * 100} % are counted.`,
    columns: [
      { key: 'setting', label: 'Setting' },
      { key: 'strategy', label: 'Strategy' },
      { key: 'seeds', label: 'Seeds' },
      { key: 'firstRound', label: 'Train acc., first round', digits: 3 },
      { key: 'lastRound', label: 'Train acc., last round', digits: 3 },
      { key: 'lowest', label: 'Lowest', digits: 3 },
      { key: 'meanLoss', label: 'Mean train loss', digits: 3 },
      { key: 'steps', label: 'Steps per round' },
      { key: 'underfit', label: `Rounds < ${UNDERFIT_ACCURACY * 100} %` },
    ],
    rows: [...groups.values()]
      .sort((a, b) => a.setting.localeCompare(b.setting) || a.strategy.localeCompare(b.strategy))
      .map((g) => ({
        setting: g.setting,
        strategy: g.strategy,
        seeds: g.seeds.size,
        firstRound: mean(g.first),
        lastRound: mean(g.last),
        lowest: g.lowest,
        meanLoss: g.loss.length ? mean(g.loss) : null,
        steps: g.steps.length ? (Math.min(...g.steps) === Math.max(...g.steps) ? String(g.steps[0]) : `${Math.min(...g.steps)}–${Math.max(...g.steps)}`) : null,
        underfit: g.below,
      })),
  };

  const under = underfittedRounds(withFit);
  const warning = under.length
    ? `<p class="warning"><strong>Underfitted:</strong> ${under.reduce((n, u) => n + u.rounds.length, 0)} rounds in ${under.length} cells ended below ${UNDERFIT_ACCURACY * 100} % training accuracy: ` +
      under
        .slice(0, NAMED)
        .map((u) => `${escapeHtml(u.label)} · ${escapeHtml(u.strategy)} · seed ${u.seed} (<code>${escapeHtml(u.cellId)}</code>) rounds ${u.rounds.map((x) => `${x.round} (${x.labeled} labels, ${x.trainAccuracy.toFixed(2)})`).join(', ')}`)
        .join('; ') +
      (under.length > NAMED ? `; and ${under.length - NAMED} more cells` : '') +
      '. A verdict that rests on them may reflect the training recipe (README, “Training recipes”).</p>'
    : `<p>Every round ended at ≥ ${UNDERFIT_ACCURACY * 100} % training accuracy.</p>`;

  const sections: ReportSection[] = [{ id: 'fit', title: 'Training fit', blocks: [{ kind: 'html', html: warning }, { kind: 'table', table: toReportTable(fit, '') }] }];
  const tables: DataTable[] = [fit];

  const tuned = new Map<string, CompletedResult>();
  for (const r of completed) if (r.tuning && !tuned.has(r.tuning.key)) tuned.set(r.tuning.key, r);
  if (tuned.size > 0) {
    const tuning: DataTable = {
      id: 'tuning',
      title: 'Tuned recipes',
      caption: 'training.tune: the learning rate and weight decay chosen by k-fold cross-validation on round 0’s labelled set (never the test set), once per seed and setting, shared by every strategy.',
      columns: [
        { key: 'setting', label: 'Setting' },
        { key: 'seed', label: 'Seed' },
        { key: 'learningRate', label: 'Learning rate' },
        { key: 'weightDecay', label: 'Weight decay' },
        { key: 'cvAccuracy', label: 'CV accuracy', digits: 3 },
        { key: 'candidates', label: 'Candidates (lr / wd: mean CV accuracy)' },
        { key: 'seconds', label: 'Time (s)', digits: 1 },
      ],
      rows: [...tuned.values()]
        .map((r) => {
          const t = r.tuning!;
          const chosen = t.scores.find((s) => s.learningRate === t.choice.learningRate && s.weightDecay === t.choice.weightDecay);
          return {
            setting: settingLabel(r.cell, axes.filter((a) => a !== 'strategy')),
            seed: r.cell.seed,
            learningRate: t.choice.learningRate,
            weightDecay: t.choice.weightDecay,
            cvAccuracy: chosen?.meanAccuracy ?? null,
            candidates: t.scores.map((s) => `${s.learningRate} / ${s.weightDecay}: ${s.meanAccuracy.toFixed(3)}`).join('; '),
            seconds: t.tuneMs / 1000,
          };
        })
        .sort((a, b) => a.setting.localeCompare(b.setting) || a.seed - b.seed),
    };
    sections.push({ id: 'tuning', title: 'Tuned recipes', blocks: [{ kind: 'table', table: toReportTable(tuning, '') }] });
    tables.push(tuning);
  }
  return { sections, tables };
}
