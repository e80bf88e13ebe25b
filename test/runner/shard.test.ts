import { describe, expect, it } from 'vitest';
import { cellCost } from '../../src/runner/cost.js';
import { assignShards, cellsOfShard, parseShard } from '../../src/runner/shard.js';
import { expandStudy } from '../../src/spec/expand.js';
import { validateSpec } from '../../src/spec/validate.js';

const study = expandStudy(
  validateSpec({
    name: 's',
    dataset: 'digits',
    model: 'mlp',
    matrix: { strategy: ['random', 'entropy', 'margin', 'least-confidence'], budget: [100, 300], batchSize: 20, seed: [0, 1, 2] },
  }),
);

describe('--shard i/n', () => {
  it('parses i/n and refuses what is not a shard, naming the allowed range', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, count: 3 });
    expect(() => parseShard('3/3')).toThrow(/between 0 and 2/);
    expect(() => parseShard('1/0')).toThrow(/n must be ≥ 1/);
    expect(() => parseShard('a/b')).toThrow(/must look like i\/n/);
  });

  it('partitions: every cell in exactly one shard, the same on every call', () => {
    for (const n of [1, 2, 3, 5, 24, 30]) {
      const shards = Array.from({ length: n }, (_, i) => cellsOfShard(study.cells, { index: i, count: n }).map((c) => c.id));
      const all = shards.flat();
      expect(all.length).toBe(study.cells.length);
      expect(new Set(all).size).toBe(study.cells.length);
      expect(assignShards(study.cells, n)).toEqual(assignShards([...study.cells].reverse(), n)); // order-independent
    }
  });

  it('balances training cost: the heaviest of 3 shards is within one cell of the mean (LPT)', () => {
    const loads = [0, 1, 2].map((i) => cellsOfShard(study.cells, { index: i, count: 3 }).reduce((s, c) => s + cellCost(c), 0));
    const mean = loads.reduce((a, b) => a + b) / 3;
    const biggest = Math.max(...study.cells.map(cellCost));
    expect(Math.max(...loads) - mean).toBeLessThanOrEqual(biggest);
    // Expected by hand: 12 cells of cost 300-budget and 12 of 100-budget split 4+4 per shard.
    expect(loads[0]).toBe(loads[1]);
    expect(loads[1]).toBe(loads[2]);
  });
});
