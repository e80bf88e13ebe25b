#!/usr/bin/env node
// Time per selection of every registered strategy.
//
//   npx tsc -p tsconfig.build.json && node scripts/bench-strategies.mjs [--data synthetic|fixture|fashion-mnist]
//       [--pool 10000] [--labeled 200] [--batch 20] [--epochs 10] [--only a,b]
//
// --data synthetic (default): Gaussian blobs (10 classes, 64 features), a 10k unlabelled pool and
// 200 labelled examples; the task model is the zoo MLP trained 10 epochs on the labelled set.
// --data fixture: the contract fixture's round (src/strategies/contract-fixture.ts: 24 rows, 9
// labelled, batch 4), the round the golden selections are recorded on.
// --data fashion-mnist: one round on a stratified Fashion-MNIST pool (--pool, default 2000) with
// the zoo CNN trained --epochs (default 5) on --labeled (default 100) random labels.
// For each strategy we time (a) the loop's need computation (loop/needs.ts: forward passes, MC-dropout passes,
// committee/aux training) and (b) the strategy's select, and print both with their ratio to
// `entropy` measured in the same run, so the ratios hold on any machine. Strategies with
// training-time needs (epochProbs, jointTraining) train their own copy of the task model with
// their hooks (the round's training, models/protocol); their need time is what that training costs
// beyond the plain training every strategy pays (measured once, printed in the header), plus
// building the context. Self-supervised features (selfsup need) are pretrained once into
// $ALBENCH_CACHE (default: a temp dir): the first strategy that needs them pays for it.
import { buildSelectionContext, gatherRows } from '../dist/loop/needs.js';
import { hasTrainingNeeds, trainingNeedsFor } from '../dist/loop/training-needs.js';
import { trainRound } from '../dist/models/protocol/index.js';
import { backendName, initBackend } from '../dist/backend/index.js';
import { loadDataset } from '../dist/data/registry.js';
import { trainModel } from '../dist/models/train.js';
import { createModel } from '../dist/models/zoo.js';
import { createRng } from '../dist/rng.js';
import { STRATEGIES, STRATEGY_NAMES, createStrategy } from '../dist/strategies/registry.js';
import { CONTRACT_CELL, createContractFixture } from '../dist/strategies/contract-fixture.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const DATA = arg('data', 'synthetic');
const FASHION = DATA === 'fashion-mnist';
const FIXTURE = DATA === 'fixture';
if (!['synthetic', 'fixture', 'fashion-mnist'].includes(DATA)) throw new Error(`--data must be synthetic, fixture or fashion-mnist, got ${DATA}`);
const POOL = Number(arg('pool', FASHION ? 2000 : 10000));
const BATCH = Number(arg('batch', FIXTURE ? 4 : 20));
const LABELED = Number(arg('labeled', FASHION ? 100 : 200));
const EPOCHS = Number(arg('epochs', FASHION ? 5 : 10));
const MODEL = FASHION ? 'cnn' : 'mlp';
const only = arg('only', '') ? arg('only', '').split(',') : [...STRATEGY_NAMES];
if (!process.env.ALBENCH_CACHE) process.env.ALBENCH_CACHE = mkdtempSync(join(tmpdir(), 'albench-bench-'));

await initBackend('auto');
const fixture = FIXTURE ? await createContractFixture() : undefined;
const datasetConfig = FASHION
  ? { name: 'fashion-mnist', poolSize: POOL + LABELED, testSize: 500 }
  : { name: 'synthetic', classes: 10, dims: 64, samples: Math.ceil((POOL + LABELED) / 0.75) + 10, testFraction: 0.25, splitSeed: 0 };
const data = fixture ? fixture.data : await loadDataset(datasetConfig);
const rng = createRng('bench');
const order = rng.fork('rows').permutation(data.train.n);
const labeled = fixture ? fixture.labeled : Int32Array.from(order.subarray(0, LABELED));
const pool = fixture ? fixture.pool : Int32Array.from(order.subarray(LABELED, LABELED + POOL)).sort();
const cell = fixture
  ? CONTRACT_CELL
  : {
      id: 'bench', dataset: datasetConfig, model: MODEL, strategy: 'entropy', budget: LABELED + BATCH, batchSize: BATCH,
      initialSize: LABELED, augmentation: 'none', ssl: 'none', seed: 0, training: { epochs: EPOCHS, batchSize: 32, learningRate: 0.001 },
    };
const model = createModel({ name: cell.model, inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
await trainModel(model, gatherRows(data, labeled), cell.training, (e) => rng.fork('shuffle', e));
// The reference plain training, timed warm (the first training above compiled the kernels).
const timed = createModel({ name: cell.model, inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
const trainStart = performance.now();
await trainModel(timed, gatherRows(data, labeled), cell.training, (e) => rng.fork('shuffle', e));
const plainTrainMs = performance.now() - trainStart;
timed.dispose();

/** A context for a strategy with training-time needs: its own model, trained with its hooks. */
async function hookedContext(strategy) {
  const own = createModel({ name: cell.model, inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
  const needs = trainingNeedsFor(strategy, { cell, data, model: own, pool, rng, round: 1 });
  try {
    await trainRound({ cell, data, model: own, initialWeights: own.getWeights(), round: 1, labeled, rng, hooks: needs.hooks });
    return await buildSelectionContext(strategy, { cell, data, model: own, rng, round: 1, pool, labeled, training: needs.observed() });
  } finally {
    needs.dispose();
    own.dispose();
  }
}

console.log(`data ${DATA}, backend ${backendName()}, pool ${pool.length}, labelled ${labeled.length}, batch ${BATCH}, ${data.numClasses} classes, shape [${data.shape}], ${cell.model}; plain training ${(plainTrainMs / 1000).toFixed(2)} s (${cell.training.epochs} epochs)`);
const rows = [];
for (const name of only) {
  const strategy = createStrategy(name);
  const t0 = performance.now();
  const hooked = hasTrainingNeeds(strategy);
  const ctx = fixture
    ? await fixture.contextFor(strategy)
    : hooked
      ? await hookedContext(strategy)
      : await buildSelectionContext(strategy, { cell, data, model, rng, round: 1, pool, labeled });
  // Hooked training replaces the plain training the loop does anyway: count only what it adds.
  const t1 = performance.now() - (hooked && !fixture ? plainTrainMs : 0);
  const needMs = t1 - t0;
  const s0 = performance.now();
  await strategy.select(ctx, BATCH, createRng('select'));
  const selectMs = performance.now() - s0;
  rows.push({ name, needs: [...strategy.needs].join('+') || '-', needMs, selectMs });
  process.stderr.write(`  ${name} ${((needMs + selectMs) / 1000).toFixed(2)} s\n`);
}
const ref = rows.find((r) => r.name === 'entropy');
const refMs = ref ? ref.needMs + ref.selectMs : undefined;
const pad = (s, n) => String(s).padEnd(n);
const num = (ms) => (FIXTURE ? ms.toFixed(1) : (ms / 1000).toFixed(2)).padStart(8);
const unit = FIXTURE ? 'ms' : 's';
console.log(`${pad('strategy', 26)} ${pad('needs', 26)} ${`needs ${unit}`.padStart(8)} ${`select ${unit}`.padStart(8)} ${`total ${unit}`.padStart(8)} ${'× entropy'.padStart(10)}  citation`);
for (const r of rows) {
  const total = r.needMs + r.selectMs;
  const ratio = refMs ? (total / refMs).toFixed(1).padStart(10) : '         -';
  console.log(`${pad(r.name, 26)} ${pad(r.needs, 26)} ${num(r.needMs)} ${num(r.selectMs)} ${num(total)} ${ratio}  ${STRATEGIES[r.name].citation}`);
}
model.dispose();
fixture?.dispose();
