// A resolved cell for unit tests: an MLP on the synthetic dataset, entropy, no augmentation or SSL,
// seed 0, a few epochs; `overrides` change any field, and the id is computed from the result.
import { cellId } from '../../src/spec/expand.js';
import type { ResolvedCell } from '../../src/spec/types.js';

export function tinyCell(overrides: Partial<Omit<ResolvedCell, 'id'>> = {}): ResolvedCell {
  const config = {
    dataset: { name: 'synthetic' as const },
    model: 'mlp' as const,
    strategy: 'entropy',
    budget: 30,
    batchSize: 7,
    initialSize: 6,
    augmentation: 'none' as const,
    ssl: 'none' as const,
    seed: 0,
    training: { epochs: 5, batchSize: 8, learningRate: 0.01 },
    ...overrides,
  };
  return { ...config, id: cellId(config) };
}
