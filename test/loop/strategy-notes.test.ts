/** A strategy's `Selection.notes` (a documented fallback that fired) reach the round record, and only then. */
import { beforeAll, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { runCell } from '../../src/loop/run-cell.js';
import { tinyCell } from '../helpers/tiny-cell.js';
import { tinyDataset } from '../helpers/tiny-dataset.js';

const data = tinyDataset({ train: 30, test: 6 });
beforeAll(async () => {
  await initBackend('wasm');
});

it('ProbCover at full coverage records strategyNotes in each round; entropy records none', async () => {
  // δ = 1000 on 4-d blobs of spread < 5: the initial labelled set already covers the pool.
  const covered = await runCell(tinyCell({ strategy: 'probcover-raw', strategyParams: { delta: 1000, fullCoverage: 0 }, budget: 16, batchSize: 5, initialSize: 6 }), data);
  const queried = covered.rounds.filter((r) => r.selected.length > 0);
  expect(queried).toHaveLength(2);
  for (const r of queried) expect(r.strategyNotes).toEqual(['probcover-raw: full coverage at δ = 1000 after 0 of 5 picks; the rest in seeded (random) order']);
  expect(covered.rounds.at(-1)!.strategyNotes).toBeUndefined();
  const plain = await runCell(tinyCell({ strategy: 'entropy', budget: 16, batchSize: 5, initialSize: 6 }), data);
  for (const r of plain.rounds) expect('strategyNotes' in r).toBe(false);
});
