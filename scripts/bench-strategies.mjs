#!/usr/bin/env node
// Time per selection of every registered strategy on a 10k-example pool.
//
//   npx tsc -p tsconfig.build.json && node scripts/bench-strategies.mjs [--pool 10000] [--batch 20] [--only a,b]
//
// Data: synthetic Gaussian blobs (10 classes, 64 features) with 10k unlabelled and 200 labelled
// examples; the task model is the zoo MLP trained 10 epochs on the labelled set. For each strategy
// we time (a) the loop's need computation (loop/needs.ts: forward passes, MC-dropout passes,
// committee/aux training) and (b) the strategy's select, and print both with their ratio to
// `entropy` measured in the same run, so the ratios hold on any machine. Strategies with
// training-time needs (epochProbs, jointTraining) train their own copy of the task model with
// their hooks (the round's training, models/protocol); their need time is what that training costs
// beyond the plain training every strategy pays (measured once, printed in the header), plus
// building the context.
import { buildSelectionContext, gatherRows } from '../dist/loop/needs.js';
import { hasTrainingNeeds, trainingNeedsFor } from '../dist/loop/training-needs.js';
import { trainRound } from '../dist/models/protocol/index.js';
import { backendName, initBackend } from '../dist/backend/index.js';
import { loadDataset } from '../dist/data/registry.js';
import { trainModel } from '../dist/models/train.js';
import { createModel } from '../dist/models/zoo.js';
import { createRng } from '../dist/rng.js';
import { STRATEGIES, STRATEGY_NAMES, createStrategy } from '../dist/strategies/registry.js';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const POOL = Number(arg('pool', 10000));
const BATCH = Number(arg('batch', 20));
const LABELED = 200;
const only = arg('only', '') ? arg('only', '').split(',') : [...STRATEGY_NAMES];

await initBackend('auto');
const data = await loadDataset({ name: 'synthetic', classes: 10, dims: 64, samples: Math.ceil((POOL + LABELED) / 0.75) + 10, testFraction: 0.25, splitSeed: 0 });
const rng = createRng('bench');
const order = rng.fork('rows').permutation(data.train.n);
const labeled = Int32Array.from(order.subarray(0, LABELED));
const pool = Int32Array.from(order.subarray(LABELED, LABELED + POOL)).sort();
const cell = {
  id: 'bench', dataset: { name: 'synthetic' }, model: 'mlp', strategy: 'entropy', budget: LABELED + BATCH, batchSize: BATCH,
  initialSize: LABELED, augmentation: 'none', ssl: 'none', seed: 0, training: { epochs: 10, batchSize: 32, learningRate: 0.001 },
};
const model = createModel({ name: 'mlp', inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
await trainModel(model, gatherRows(data, labeled), cell.training, (e) => rng.fork('shuffle', e));
// The reference plain training, timed warm (the first training above compiled the kernels).
const timed = createModel({ name: 'mlp', inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
const trainStart = performance.now();
await trainModel(timed, gatherRows(data, labeled), cell.training, (e) => rng.fork('shuffle', e));
const plainTrainMs = performance.now() - trainStart;
timed.dispose();

/** A context for a strategy with training-time needs: its own model, trained with its hooks. */
async function hookedContext(strategy) {
  const own = createModel({ name: 'mlp', inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
  const needs = trainingNeedsFor(strategy, { cell, data, model: own, pool, rng, round: 1 });
  try {
    await trainRound({ cell, data, model: own, initialWeights: own.getWeights(), round: 1, labeled, rng, hooks: needs.hooks });
    return await buildSelectionContext(strategy, { cell, data, model: own, rng, round: 1, pool, labeled, training: needs.observed() });
  } finally {
    needs.dispose();
    own.dispose();
  }
}

console.log(`backend ${backendName()}, pool ${pool.length}, labelled ${LABELED}, batch ${BATCH}, ${data.numClasses} classes, ${data.shape[0]} features, mlp; plain training ${(plainTrainMs / 1000).toFixed(2)} s (${cell.training.epochs} epochs)`);
const rows = [];
for (const name of only) {
  const strategy = createStrategy(name);
  const t0 = performance.now();
  const hooked = hasTrainingNeeds(strategy);
  const ctx = hooked ? await hookedContext(strategy) : await buildSelectionContext(strategy, { cell, data, model, rng, round: 1, pool, labeled });
  // Hooked training replaces the plain training the loop does anyway: count only what it adds.
  const t1 = performance.now() - (hooked ? plainTrainMs : 0);
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
const num = (ms) => (ms / 1000).toFixed(2).padStart(8);
console.log(`${pad('strategy', 26)} ${pad('needs', 26)} ${'needs s'.padStart(8)} ${'select s'.padStart(8)} ${'total s'.padStart(8)} ${'× entropy'.padStart(10)}  citation`);
for (const r of rows) {
  const total = r.needMs + r.selectMs;
  const ratio = refMs ? (total / refMs).toFixed(1).padStart(10) : '         -';
  console.log(`${pad(r.name, 26)} ${pad(r.needs, 26)} ${num(r.needMs)} ${num(r.selectMs)} ${num(total)} ${ratio}  ${STRATEGIES[r.name].citation}`);
}
model.dispose();
