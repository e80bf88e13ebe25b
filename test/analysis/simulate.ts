/**
 * Result sets with a known truth, for calibrating the findings' decision procedure by
 * simulation. Each simulated study is the in-memory CellResult[] that analysis consumes
 * (built with fixtures.ts): settings × strategies × seeds, every curve
 *
 *   accuracy(round) = 0.5 + 0.05·round + seed effect + planted effect + cell effect + round noise
 *
 * with the seed effect shared by every strategy and setting of a seed (the paired design), a
 * cell effect (what makes per-seed differences vary), and the planted effect a function of the
 * strategy, the setting and the round. Budgets listed together nest: the smaller one is cut
 * from the larger one's curve and records `derivedFrom`, as the runner does.
 */
import seedrandom from 'seedrandom';
import type { ResolvedCell } from '../../src/spec/types.js';
import type { CellResult, CompletedResult } from '../../src/store/schema.js';
import { fakeCell, fakeResult } from './fixtures.js';

type CellOverrides = Parameters<typeof fakeCell>[0];

export interface SimSetting {
  /** Overrides of fakeCell's defaults that define this setting (e.g. { augmentation: 'flip' }). */
  readonly cell: NonNullable<CellOverrides>;
  /** Budgets of this setting; several nest (each smaller one cut from the largest). */
  readonly budgets?: readonly number[];
}

export interface SimStudy {
  readonly settings: readonly SimSetting[];
  readonly strategies: readonly string[];
  readonly seeds: number;
  /** Planted effect on accuracy for a strategy in a setting at a round (labelled count given too). */
  readonly effect: (strategy: string, cell: ResolvedCell, round: number, labeled: number) => number;
  /** sd of the per-seed effect shared by everything at a seed; may depend on the setting (F6). */
  readonly seedSd?: number | ((cell: ResolvedCell) => number);
  /** sd of a per-cell constant and of per-round noise. */
  readonly cellSd?: number;
  readonly roundSd?: number;
}

/** Standard normal draw from a seeded uniform stream (Box–Muller). */
function normal(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

let idCounter = 0;

/** One simulated study; `replicate` seeds its noise (same replicate → same results). */
export function simulateStudy(study: SimStudy, replicate: number): CellResult[] {
  const rand = seedrandom(`albench-sim-${replicate}`);
  const seedZ = Array.from({ length: study.seeds }, () => normal(rand));
  const out: CellResult[] = [];
  for (const setting of study.settings) {
    const budgets = [...(setting.budgets ?? [setting.cell.budget ?? 50])].sort((a, b) => a - b);
    const largest = budgets[budgets.length - 1];
    for (const strategy of study.strategies) {
      for (let seed = 0; seed < study.seeds; seed++) {
        const cell = fakeCell({ ...setting.cell, budget: largest, strategy, seed, id: `sim-${idCounter++}` });
        const seedSd = typeof study.seedSd === 'function' ? study.seedSd(cell) : (study.seedSd ?? 0.02);
        const rounds = (largest - cell.initialSize) / cell.batchSize + 1;
        const cellEffect = (study.cellSd ?? 0.005) * normal(rand);
        const accs = Array.from({ length: rounds }, (_, r) => {
          const labeled = cell.initialSize + r * cell.batchSize;
          return 0.5 + 0.05 * r + seedSd * seedZ[seed] + study.effect(strategy, cell, r, labeled) + cellEffect + (study.roundSd ?? 0.003) * normal(rand);
        });
        const full = fakeResult(cell, accs) as CompletedResult;
        out.push(full);
        for (const b of budgets.slice(0, -1)) {
          const small = { ...cell, budget: b, id: `sim-${idCounter++}` };
          const n = (b - cell.initialSize) / cell.batchSize + 1;
          out.push({ ...full, cell: small, rounds: full.rounds.slice(0, n), derivedFrom: { cellId: cell.id, rounds: n } });
        }
      }
    }
  }
  return out;
}
