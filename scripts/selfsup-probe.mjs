// Linear probe with all labels: a SimCLR encoder's frozen embeddings against raw pixels.
// Usage: npm run build && node scripts/selfsup-probe.mjs [dataset] [epochs] [embeddingDim] [batchSize] [poolSize]
//   ALBENCH_CACHE=dir      where the encoder is cached (default: a fresh temp dir, so it is pretrained here)
//   PRETRAIN_SUBSET=n      pretrain on a seeded random n-image subset of the pool only (no labels used either
//                          way), then embed the whole pool and test set: a cheaper encoder, probed with all labels
// Prints the pretraining time, the probe accuracies, and the encoder's hash.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initBackend } from '../dist/backend/index.js';
import { canonicalDatasetConfig, loadDataset } from '../dist/data/registry.js';
import { evaluatePredictions } from '../dist/models/evaluate.js';
import { predictProbs } from '../dist/models/predict.js';
import { trainModel } from '../dist/models/train.js';
import { createModel } from '../dist/models/zoo.js';
import { createRng } from '../dist/rng.js';
import { embed, pretrainEncoder } from '../dist/selfsup/pretrain.js';
import { featureStats, selfsupDataset, standardize } from '../dist/selfsup/representation.js';

const [name = 'fashion-mnist', epochs = '5', dim = '64', batch = '256', poolSize] = process.argv.slice(2);
const backend = await initBackend(process.env.ALBENCH_BACKEND ?? 'auto');
const datasetConfig = canonicalDatasetConfig(poolSize ? { name, poolSize: Number(poolSize) } : { name });
const raw = await loadDataset(datasetConfig);
const config = { name: 'selfsup', epochs: Number(epochs), temperature: 0.5, embeddingDim: Number(dim), batchSize: Number(batch), learningRate: 0.001 };
const cacheDir = process.env.ALBENCH_CACHE ?? mkdtempSync(join(tmpdir(), 'albench-probe-cache-'));
console.log(`dataset ${name}: ${raw.train.n} train, ${raw.test.n} test; backend ${backend}`);
let dataset;
if (process.env.PRETRAIN_SUBSET) {
  const n = Number(process.env.PRETRAIN_SUBSET);
  const size = raw.shape.reduce((a, b) => a * b, 1);
  const rows = createRng('probe-subset').permutation(raw.train.n).subarray(0, n);
  const x = new Float32Array(n * size);
  rows.forEach((r, i) => x.set(raw.train.x.subarray(r * size, (r + 1) * size), i * size));
  const t0 = performance.now();
  const out = await pretrainEncoder({ ...raw, train: { x, y: new Int32Array(n), n } }, config, 0);
  const pretrainS = (performance.now() - t0) / 1000;
  const t1 = performance.now();
  const train = await embed(out.encoder, raw.train.x, raw.shape, config.embeddingDim);
  const test = await embed(out.encoder, raw.test.x, raw.shape, config.embeddingDim);
  const embedS = (performance.now() - t1) / 1000;
  out.encoder.dispose();
  const { mean, std } = featureStats(train, config.embeddingDim);
  dataset = { ...raw, shape: [config.embeddingDim], train: { ...raw.train, x: standardize(train, mean, std) }, test: { ...raw.test, x: standardize(test, mean, std) } };
  console.log(`encoder ${JSON.stringify(config)} seed 0, pretrained on a ${n}-image subset of the pool: ${pretrainS.toFixed(1)} s pretraining (${out.steps} steps), ${embedS.toFixed(1)} s embedding ${raw.train.n + raw.test.n} images`);
  console.log(`NT-Xent by epoch: ${out.lossByEpoch.map((l) => l.toFixed(3)).join(' ')}`);
} else {
  const t0 = performance.now();
  const result = await selfsupDataset(raw, datasetConfig, config, 0, { cacheDir, backend });
  dataset = result.dataset;
  const wall = (performance.now() - t0) / 1000;
  console.log(`encoder ${JSON.stringify(config)} seed 0: ${result.cached.outcome}; pretraining + embedding ${(result.cached.header.pretrainMs / 1000).toFixed(1)} s (${result.cached.header.steps} steps; wall here ${wall.toFixed(1)} s)`);
  console.log(`NT-Xent by epoch: ${result.cached.header.lossByEpoch.map((l) => l.toFixed(3)).join(' ')}`);
  console.log(`encoder sha256 ${result.encoder.sha256}`);
}

const probe = { epochs: Number(process.env.PROBE_EPOCHS ?? 20), batchSize: 128, learningRate: 0.001 };
for (const [label, data] of [['raw pixels', raw], ['selfsup embeddings', dataset]]) {
  const rng = createRng(0);
  const model = createModel({ name: 'linear', inputShape: data.shape, numClasses: data.numClasses }, rng.fork('weights'));
  const t = performance.now();
  await trainModel(model, { ...data.train, shape: data.shape, numClasses: data.numClasses }, probe, (e) => rng.fork('shuffle', e));
  const probs = await predictProbs(model, data.test.x, data.shape, data.numClasses);
  const { accuracy } = evaluatePredictions(probs, data.test.y, data.numClasses);
  console.log(`linear probe on ${label} [${data.shape.join('×')}], all ${data.train.n} labels, ${probe.epochs} epochs Adam ${probe.learningRate} batch ${probe.batchSize}: test accuracy ${(accuracy * 100).toFixed(2)} % (${((performance.now() - t) / 1000).toFixed(1)} s)`);
  model.dispose();
}
