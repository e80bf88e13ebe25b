/** Hand-made cell results for the comparison tests: curves chosen so every number can be checked by hand. */
import type { ResolvedCell } from '../../src/spec/types.js';
import type { CellResult } from '../../src/store/schema.js';

export function fakeCell(strategy: string, seed: number, extra: Partial<ResolvedCell> = {}): ResolvedCell {
  return {
    id: `${strategy}-${seed}-${extra.budget ?? 30}-${extra.plugin?.sha256 ?? ''}`,
    dataset: { name: 'synthetic' },
    model: 'mlp',
    strategy,
    budget: 30,
    batchSize: 10,
    initialSize: 10,
    augmentation: 'none',
    ssl: 'none',
    seed,
    training: { epochs: 3, batchSize: 8, learningRate: 0.01 },
    ...extra,
  };
}

/** A completed result whose accuracy is `acc[i]` at 10, 20, 30 labels (AUBC = trapezoid / 20). */
export function fakeResult(cell: ResolvedCell, acc: readonly number[], status: 'completed' | 'failed' = 'completed'): CellResult {
  const rounds = acc.map((a, i) => ({
    round: i,
    labeled: 10 * (i + 1),
    accuracy: a,
    macroF1: a,
    trainMs: 100 + i,
    queryMs: 5 + i,
    selected: i === acc.length - 1 ? [] : [100 + i, 200 + i],
    selectedClassCounts: [1, 1],
  }));
  const base = {
    schemaVersion: 1 as const,
    cell,
    env: { albench: '0.1.0', tfjs: '4.22.0', backend: 'wasm', node: 'v20', os: 'linux' },
    data: { checksum: 'abc', source: 'test', trainSize: 100, testSize: 20 },
    initial: [1, 2, 3],
    rounds,
    startedAt: '2024-01-01T00:00:00.000Z',
    finishedAt: '2024-01-01T00:00:01.000Z',
  };
  return status === 'completed' ? { ...base, status } : { ...base, status, error: { message: 'boom' } };
}
