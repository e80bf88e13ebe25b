/** Hand-made cell results for analysis and report tests. */
import { SCHEMA_VERSION, type CellResult, type RoundRecord } from '../../src/store/schema.js';
import type { ResolvedCell } from '../../src/spec/types.js';

type CellOverrides = Partial<Omit<ResolvedCell, 'dataset' | 'training'>> & {
  dataset?: Partial<ResolvedCell['dataset']>;
  training?: Partial<ResolvedCell['training']>;
};

export function fakeCell(overrides: CellOverrides = {}): ResolvedCell {
  const base = {
    model: 'mlp' as const,
    strategy: 'random',
    budget: 40,
    batchSize: 10,
    initialSize: 20,
    augmentation: 'none' as const,
    ssl: 'none' as const,
    seed: 0,
    ...overrides,
    dataset: { name: 'digits' as const, testFraction: 0.2, splitSeed: 0, ...overrides.dataset },
    training: { epochs: 5, batchSize: 32, learningRate: 0.001, ...overrides.training },
  };
  // Not the real hash: just unique and readable, which is all the analysis needs.
  const id = overrides.id ?? `${base.dataset.name}-${base.model}-b${base.batchSize}-${base.strategy}-s${base.seed}`;
  return { ...base, id };
}

/**
 * A result whose round r has `labeled = initialSize + r·batchSize` and the given accuracy;
 * macro-F1 is accuracy − 0.1 so the two metrics are told apart in assertions.
 */
export function fakeResult(
  cell: ResolvedCell,
  accuracies: readonly number[],
  extra: { status?: 'completed' | 'failed'; backend?: string; trainAccuracy?: readonly number[] } = {},
): CellResult {
  const rounds: RoundRecord[] = accuracies.map((accuracy, round) => ({
    ...(extra.trainAccuracy ? { trainAccuracy: extra.trainAccuracy[round] } : {}),
    round,
    labeled: cell.initialSize + round * cell.batchSize,
    accuracy,
    macroF1: accuracy - 0.1,
    trainMs: 10,
    queryMs: 1,
    selected: round === accuracies.length - 1 ? [] : [round],
    selectedClassCounts: [1, 0],
  }));
  const base = {
    schemaVersion: SCHEMA_VERSION as typeof SCHEMA_VERSION,
    cell,
    env: { albench: '0.1.0', tfjs: '4.22.0', backend: extra.backend ?? 'wasm', node: 'v20.0.0', os: 'linux' },
    data: { checksum: 'abc', source: 'test', trainSize: 100, testSize: 20 },
    initial: [1, 2, 3],
    rounds,
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:01:00.000Z',
  };
  return extra.status === 'failed'
    ? { ...base, status: 'failed', error: { message: 'boom </script> <b>' } }
    : { ...base, status: 'completed' };
}

/**
 * Two datasets × {random, entropy} × 3 seeds, 3 rounds each (labelled 20, 30, 40), plus one
 * failed 'margin' cell. Accuracy at round r ∈ {0,1,2}, seed s ∈ {0,1,2}:
 * 0.5 + 0.1·r + 0.1·(s − 1), + 0.05 for entropy, + 0.1 on synthetic.
 */
export function fakeStudy(): CellResult[] {
  const results: CellResult[] = [];
  for (const dataset of ['digits', 'synthetic'] as const) {
    for (const strategy of ['random', 'entropy']) {
      for (const seed of [0, 1, 2]) {
        const lift = strategy === 'entropy' ? 0.05 : 0;
        const offset = dataset === 'synthetic' ? 0.1 : 0;
        // Seeds 0, 1, 2 spread by 0.1 → std 0.1 at every point.
        const accs = [0.5, 0.6, 0.7].map((a) => a + lift + offset + 0.1 * (seed - 1));
        results.push(fakeResult(fakeCell({ dataset: { name: dataset }, strategy, seed }), accs));
      }
    }
  }
  results.push(fakeResult(fakeCell({ strategy: 'margin', seed: 0 }), [0.5], { status: 'failed' }));
  return results;
}
