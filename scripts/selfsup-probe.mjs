// Linear probe with all labels: a SimCLR encoder's frozen embeddings against raw pixels.
// Usage: npm run build && node scripts/selfsup-probe.mjs [dataset] [epochs] [embeddingDim] [batchSize] [poolSize]
//   ALBENCH_CACHE=dir  where the encoder is cached (default: a fresh temp dir, so it is pretrained here)
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
import { selfsupDataset } from '../dist/selfsup/representation.js';

const [name = 'fashion-mnist', epochs = '5', dim = '64', batch = '256', poolSize] = process.argv.slice(2);
const backend = await initBackend(process.env.ALBENCH_BACKEND ?? 'auto');
const datasetConfig = canonicalDatasetConfig(poolSize ? { name, poolSize: Number(poolSize) } : { name });
const raw = await loadDataset(datasetConfig);
const config = { name: 'selfsup', epochs: Number(epochs), temperature: 0.5, embeddingDim: Number(dim), batchSize: Number(batch), learningRate: 0.001 };
const cacheDir = process.env.ALBENCH_CACHE ?? mkdtempSync(join(tmpdir(), 'albench-probe-cache-'));
const t0 = performance.now();
const { dataset, encoder, cached } = await selfsupDataset(raw, datasetConfig, config, 0, { cacheDir, backend });
const wall = (performance.now() - t0) / 1000;
console.log(`dataset ${name}: ${raw.train.n} train, ${raw.test.n} test; backend ${backend}`);
console.log(`encoder ${JSON.stringify(config)} seed 0: ${cached.outcome}; pretraining + embedding ${(cached.header.pretrainMs / 1000).toFixed(1)} s (${cached.header.steps} steps; wall here ${wall.toFixed(1)} s)`);
console.log(`NT-Xent by epoch: ${cached.header.lossByEpoch.map((l) => l.toFixed(3)).join(' ')}`);
console.log(`encoder sha256 ${encoder.sha256}`);

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
