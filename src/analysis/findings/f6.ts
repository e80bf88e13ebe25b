/**
 * F6: augmentation and regularisation reduce variance across seeds (Munjal et al. 2022).
 * A spread over seeds is not a per-seed number, so the seed stays the unit through the
 * jackknife (Efron & Stein 1981): leave one seed out of every unit, recompute the mean Δ std,
 * and take a t interval over the n pseudo-values.
 */
import { findAxis } from '../factors.js';
import { sampleStd, mean } from '../stats.js';
import type { FactorLevel } from '../factors.js';
import { blocks, finish, lacks, minSeeds, notCovered, undecided, valuesOf, workingPairs } from './helpers.js';
import { decide } from './procedure.js';
import { matchedGroups, isOffValue } from '../factors.js';
import type { Cell, FindingDefinition } from './types.js';

const statistic =
  'Per matched pair and strategy: std over seeds of the final accuracy with the treatment minus without; mean over those units, with a jackknife-over-seeds interval (claim: < 0).';

export const F6: FindingDefinition = {
  id: 'F6',
  title: 'Augmentation and regularisation reduce variance across seeds',
  claim: 'Runs with augmentation (or other regularisation) vary less from seed to seed.',
  citation: 'Munjal et al. 2022',
  estimand: 'std over seeds of the final accuracy, with minus without the treatment (mean over strategies and settings)',
  direction: -1,
  minEffect: 0.005,
  presupposes: ['augmentation'],
  compute(input, def) {
    let pairs: [FactorLevel, FactorLevel][];
    let note = '';
    const regulariser = input.axes.find((a) => /regulari|weightdecay|dropout/i.test(a));
    if (findAxis(input.axes, 'augmentation')) {
      const w = workingPairs(input, def.presupposes);
      if (w.failedReason) return undecided(def, statistic, w.failedReason, minSeeds(input.settings));
      pairs = w.kept;
      note = w.note;
    } else if (regulariser) {
      pairs = [];
      for (const group of matchedGroups(blocks(input), regulariser)) {
        const ref = group.find((l) => isOffValue(l.value));
        if (ref) for (const l of group) if (l !== ref && !isOffValue(l.value)) pairs.push([ref, l]);
      }
    } else {
      return notCovered(def, statistic, lacks('augmentation or regularisation', valuesOf(input, 'augmentation'), 'add e.g. `augmentation: [none, <policy>]` to the matrix'));
    }
    if (!pairs.length) return notCovered(def, statistic, 'no matched pair of settings with and without the treatment (no "none" level)');
    const units: { label: string; strategy: string; treat: Map<number, number>; ref: Map<number, number> }[] = [];
    for (const [ref, treat] of pairs) {
      for (const [s, refSeeds] of ref.runs.byStrategy) {
        const treatSeeds = treat.runs.byStrategy.get(s);
        if (!treatSeeds) continue;
        const last = (m: typeof refSeeds) => new Map([...m].map(([seed, c]) => [seed, c.accuracy[c.accuracy.length - 1]]));
        units.push({ label: treat.runs.label, strategy: s, treat: last(treatSeeds), ref: last(refSeeds) });
      }
    }
    const seedSet = [...new Set(units.flatMap((u) => [...u.ref.keys()].filter((s) => u.treat.has(s))))].sort((a, b) => a - b);
    const theta = (drop: number | null) => {
      const ds = units
        .map((u) => {
          const common = [...u.ref.keys()].filter((s) => u.treat.has(s) && s !== drop);
          const a = sampleStd(common.map((s) => u.treat.get(s)!));
          const b = sampleStd(common.map((s) => u.ref.get(s)!));
          return a === null || b === null ? null : a - b;
        })
        .filter((x): x is number => x !== null);
      return ds.length ? mean(ds) : null;
    };
    const full = theta(null);
    const n = seedSet.length;
    const pseudo = full === null || n < 3 ? [] : seedSet.map((s) => n * full - (n - 1) * (theta(s) ?? full));
    const rows: Cell[][] = units.map((u) => {
      const common = [...u.ref.keys()].filter((s) => u.treat.has(s));
      const b = sampleStd(common.map((s) => u.ref.get(s)!));
      const a = sampleStd(common.map((s) => u.treat.get(s)!));
      return [u.label, u.strategy, b, a, a === null || b === null ? null : a - b];
    });
    const d = decide(pseudo, def, 'jackknife pseudo-value');
    const seeds = Math.min(n, minSeeds(pairs.flatMap((p) => [p[0].runs, p[1].runs])));
    return finish(def, statistic, { ...d, reason: d.reason + note }, seeds, { columns: ['Setting', 'Strategy', 'Std without', 'Std with', 'Δ std'], rows });
  },
};
