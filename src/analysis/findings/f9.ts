/** F9: retraining every round beats warm-starting (Beck et al. 2021; Ash & Adams 2020). */
import { findAxis, matchedGroups, type FactorLevel } from '../factors.js';
import { mean } from '../stats.js';
import type { SeedCurve } from '../seed-curves.js';
import { blocks, cellAubc, finish, minSeeds, notCovered, perSeed } from './helpers.js';
import { decide } from './procedure.js';
import type { FindingDefinition } from './types.js';

const statistic = 'Per seed: mean over strategies of AUBC(warm start) − AUBC(retrain from the initial weights), in settings that differ only in the protocol (claim: < 0).';

export const F9: FindingDefinition = {
  id: 'F9',
  title: 'Retraining every round beats warm-starting',
  claim:
    'Training a fresh model every round does better than continuing from the previous round’s weights (Beck et al. stress “the importance of retraining a new model at every round”; warm-started networks generalise worse, Ash & Adams 2020).',
  citation: 'Beck et al. 2021 (Effective evaluation of deep active learning on image classification tasks)',
  estimand: 'mean over strategies of AUBC with warm start minus with retraining, per seed',
  direction: -1,
  minEffect: 0.01,
  presupposes: [],
  compute(input, def) {
    const path = findAxis(input.axes, 'protocol.name') ?? input.axes.find((a) => /warm|protocol|retrain|reset/i.test(a));
    if (!path) {
      return notCovered(def, statistic, 'the run has no training-protocol axis: every cell retrains from the initial weights each round; add `protocol: [retrain, warm-start]` to the matrix');
    }
    const pairs: [FactorLevel, FactorLevel][] = [];
    for (const group of matchedGroups(blocks(input), path)) {
      const warm = group.find((l) => /warm|true/i.test(l.value));
      const cold = group.find((l) => l !== warm);
      if (warm && cold) pairs.push([cold, warm]);
    }
    if (!pairs.length) return notCovered(def, statistic, `the axis ${path} varies, but no level names a warm start to compare against retraining`);
    const r = perSeed(pairs, (ref, treat, seed) => {
      const d = [...treat.byStrategy.entries()]
        .map(([s, m]) => [m.get(seed), ref.byStrategy.get(s)?.get(seed)] as const)
        .filter((x): x is readonly [SeedCurve, SeedCurve] => !!x[0] && !!x[1])
        .map(([a, b]) => cellAubc(a) - cellAubc(b));
      return d.length ? mean(d) : null;
    });
    const seeds = Math.min(r.seeds.length, minSeeds(pairs.flatMap((p) => [p[0].runs, p[1].runs])));
    return finish(def, statistic, decide(r.values, def), seeds, { columns: ['Setting', 'Retrain', 'Warm start', 'Seed', 'Δ AUBC (warm − retrain)'], rows: r.rows });
  },
};
