#!/usr/bin/env node
// Training and inference speed of the reference models on every tfjs backend that loads, against
// PyTorch measured in the same run (../shared/bench/torch_reference.py), so the ratios hold on any
// machine and under any load. The models have torch_reference.py's shapes:
//   mlp: 784 → 256 relu → 128 relu → 10
//   cnn: conv3×3×16 relu (valid), maxpool 2, conv3×3×32 relu (valid), maxpool 2, dense 64 relu, dense 10
//   resnet18: the zoo's CIFAR ResNet-18 on 32×32×3 (src/models/resnet.ts, width --resnet-width),
//     against scripts/torch_resnet_reference.py's; it trains on --resnet-n examples for
//     --resnet-epochs and scores --resnet-infer rows (ResNet-18 is ~0.5 GFLOP per example: a
//     study-sized n would take hours single-threaded), and is skipped on the cpu backend.
// Training: Adam 1e-3, batch 64, n examples × epochs, through src/models/train.ts (the harness's hot
// path); inference: pool scoring in batches of 512 through src/models/predict.ts.
//
//   npm run bench:backend                    (builds first; or: node scripts/bench-backend.mjs)
//   npm run bench:backend -- --json          one JSON object per line: engine, model,
//                                            train_samples_per_s, infer_samples_per_s (+ ratios)
// Options: --n 2000 --epochs 5 --infer 10000 --models mlp,cnn,resnet18 --backends tensorflow,wasm-native,wasm,cpu
//          --resnet-n 256 --resnet-epochs 1 --resnet-infer 1024 --resnet-width 64
//          --torch PATH (torch_reference.py) --no-torch --no-selection
// Selection cost (goal < 10 % of a round's training): on the default backend, the quick study's
// round (experiments/quick.yaml: mlp on 8×8 digits, 30 epochs, batch 32, 100 and 300 labels)
// against scoring a 10k pool (predictProbs, batch 512) plus least-confidence/margin/entropy
// selecting 20 from it. JSON rows: {engine, model: 'selection', labeled, train_ms, score_ms, <strategy>_ms, fraction}.
// PyTorch runs before and after the tfjs runs and the mean is the reference, which halves the
// error from load that drifts during the run. The pure-JS cpu backend is 60–600× slower, so it
// trains on n/20 examples for 1 epoch and scores 512 rows: its samples/s stay comparable.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

import { initBackend } from '../dist/backend/index.js';
import { predictProbs } from '../dist/models/predict.js';
import { trainModel } from '../dist/models/train.js';
import { createRng } from '../dist/rng.js';
import { SHAPES, referenceModel } from './reference-models.mjs';
import { createStrategy } from '../dist/strategies/registry.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    n: { type: 'string', default: '2000' },
    epochs: { type: 'string', default: '5' },
    infer: { type: 'string', default: '10000' },
    models: { type: 'string', default: 'mlp,cnn,resnet18' },
    'resnet-n': { type: 'string', default: '256' },
    'resnet-epochs': { type: 'string', default: '1' },
    'resnet-infer': { type: 'string', default: '1024' },
    'resnet-width': { type: 'string', default: '64' },
    backends: { type: 'string', default: 'tensorflow,wasm-native,wasm,cpu' },
    torch: { type: 'string', default: resolve(here, '../../shared/bench/torch_reference.py') },
    'no-torch': { type: 'boolean', default: false },
    'no-selection': { type: 'boolean', default: false },
  },
});
const N = Number(opts.n);
const EPOCHS = Number(opts.epochs);
const INFER = Number(opts.infer);
const MODELS = opts.models.split(',');
const RESNET = { n: Number(opts['resnet-n']), epochs: Number(opts['resnet-epochs']), infer: Number(opts['resnet-infer']), width: Number(opts['resnet-width']) };
const BATCH = 64;
const log = opts.json ? () => {} : (...a) => console.error(...a);


/** Random inputs in [0, 1) and labels, as torch_reference.py uses without --idx. */
function randomData(n, seed, shape = [28, 28, 1]) {
  const rng = createRng(seed).fork('bench-data');
  const x = new Float32Array(n * shape.reduce((a, b) => a * b, 1));
  for (let i = 0; i < x.length; i++) x[i] = rng.next();
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) y[i] = rng.int(10);
  return { x, y, n, shape, numClasses: 10 };
}

async function benchTfjs(kind, sizes) {
  const model = referenceModel(kind, 0, RESNET.width);
  const shape = SHAPES[kind];
  const size = shape.reduce((a, b) => a * b, 1);
  const data = randomData(sizes.n, 1, shape);
  const training = { epochs: sizes.epochs, batchSize: BATCH, learningRate: 1e-3 };
  const shuffle = (e) => createRng(2).fork('shuffle', e);
  // Warm-up: kernel setup, XNNPACK operators, wasm heap growth.
  const warm = { ...data, n: Math.min(data.n, (kind === 'resnet18' ? 1 : 4) * BATCH) };
  await trainModel(model, warm, { ...training, epochs: 1 }, shuffle);
  let t0 = performance.now();
  await trainModel(model, data, training, shuffle);
  const trainS = (performance.now() - t0) / 1000;
  const pool = randomData(sizes.infer, 3, shape).x;
  await predictProbs(model, pool.subarray(0, Math.min(sizes.infer, 512) * size), shape, 10);
  t0 = performance.now();
  await predictProbs(model, pool, shape, 10);
  const inferS = (performance.now() - t0) / 1000;
  model.dispose();
  return {
    train_samples_per_s: round((sizes.n * sizes.epochs) / trainS),
    infer_samples_per_s: round(sizes.infer / inferS),
    n: sizes.n,
    epochs: sizes.epochs,
    infer_n: sizes.infer,
  };
}

/** Median wall time of `times` runs of fn: single runs of a few milliseconds are at the mercy of GC. */
async function medianMs(times, fn) {
  const ms = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[times >> 1];
}

function round(v) {
  return Math.round(v * 10) / 10;
}

function torchAvailable() {
  if (opts['no-torch']) return 'disabled by --no-torch';
  if (!existsSync('/usr/bin/python3')) return '/usr/bin/python3 not found';
  if (!existsSync(opts.torch) && MODELS.some((m) => m !== 'resnet18')) return `${opts.torch} not found (--torch PATH)`;
  const probe = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  return probe.status === 0 ? undefined : 'python3 cannot import torch (apt-get install -y python3-torch)';
}

function runTorch() {
  const out = [];
  const run = (script, args) => {
    const r = spawnSync('/usr/bin/python3', [script, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${script} failed (exit ${r.status}):\n${r.stderr}`);
    out.push(...r.stdout.split('\n').filter((l) => l.trim().startsWith('{')).map((l) => JSON.parse(l)));
  };
  const small = MODELS.filter((m) => m !== 'resnet18');
  if (small.length > 0) run(opts.torch, ['--model', small.length === 2 ? 'both' : small[0], '--threads', '1', '--n', String(N), '--epochs', String(EPOCHS), '--infer', String(INFER)]);
  if (MODELS.includes('resnet18')) {
    run(resolve(here, 'torch_resnet_reference.py'), ['--threads', '1', '--width', String(RESNET.width), '--n', String(RESNET.n), '--epochs', String(RESNET.epochs), '--infer', String(RESNET.infer)]);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const rows = [];
const noTorch = torchAvailable();
let torchRuns = [];
if (noTorch === undefined) {
  log('PyTorch reference (1 thread), before …');
  torchRuns.push(runTorch());
} else {
  log(`PyTorch reference skipped: ${noTorch}`);
}

for (const backend of opts.backends.split(',')) {
  try {
    await initBackend(backend);
  } catch (err) {
    log(`${backend}: not available (${err.message.split('\n')[0]})`);
    continue;
  }
  const small = backend === 'cpu';
  const sizes = small ? { n: Math.max(BATCH, Math.round(N / 20)), epochs: 1, infer: 512 } : { n: N, epochs: EPOCHS, infer: INFER };
  for (const kind of MODELS) {
    if (kind === 'resnet18' && small) {
      log(`${backend} resnet18: skipped (the pure-JS backend would take hours)`);
      continue;
    }
    log(`${backend} ${kind} …`);
    const r = await benchTfjs(kind, kind === 'resnet18' ? RESNET : sizes);
    rows.push({ engine: `tfjs-${tf.version_core}-${backend}`, backend, model: kind, threads: 1, ...r });
  }
}

if (noTorch === undefined) {
  log('PyTorch reference (1 thread), after …');
  torchRuns.push(runTorch());
}
// Mean of the before/after runs per model.
const torch = MODELS.map((kind) => {
  const runs = torchRuns.map((r) => r.find((o) => o.model === kind)).filter(Boolean);
  if (runs.length === 0) return undefined;
  const mean = (k) => round(runs.reduce((s, o) => s + o[k], 0) / runs.length);
  const sized = kind === 'resnet18' ? { n: RESNET.n, epochs: RESNET.epochs, infer_n: RESNET.infer } : { n: N, epochs: EPOCHS, infer_n: INFER };
  return { engine: runs[0].engine, model: kind, threads: 1, ...sized, train_samples_per_s: mean('train_samples_per_s'), infer_samples_per_s: mean('infer_samples_per_s'), runs: runs.length };
}).filter(Boolean);

for (const row of rows) {
  const ref = torch.find((t) => t.model === row.model);
  if (ref) {
    row.train_ratio_to_torch = Math.round((row.train_samples_per_s / ref.train_samples_per_s) * 1000) / 1000;
    row.infer_ratio_to_torch = Math.round((row.infer_samples_per_s / ref.infer_samples_per_s) * 1000) / 1000;
  }
}

const all = [...torch, ...rows];
if (opts.json) {
  for (const r of all) console.log(JSON.stringify(r));
} else {
  const pad = (s, w) => String(s).padStart(w);
  console.log(`\nn=${N}, ${EPOCHS} epochs, batch ${BATCH}, Adam; inference: ${INFER} rows in batches of 512; single thread`);
  if (MODELS.includes('resnet18')) console.log(`resnet18 (width ${RESNET.width}, 32×32×3): n=${RESNET.n}, ${RESNET.epochs} epoch(s), ${RESNET.infer} rows scored`);
  console.log(`${'engine'.padEnd(26)}${'model'.padEnd(9)}${pad('train/s', 10)}${pad('× torch', 9)}${pad('infer/s', 10)}${pad('× torch', 9)}`);
  for (const r of all) {
    const tr = r.train_ratio_to_torch === undefined ? '' : r.train_ratio_to_torch.toFixed(2);
    const ir = r.infer_ratio_to_torch === undefined ? '' : r.infer_ratio_to_torch.toFixed(2);
    console.log(`${r.engine.padEnd(26)}${r.model.padEnd(9)}${pad(r.train_samples_per_s, 10)}${pad(tr, 9)}${pad(r.infer_samples_per_s, 10)}${pad(ir, 9)}`);
  }
  if (torch.length === 0) console.log(`(no PyTorch reference: ${noTorch})`);
  else console.log(`(PyTorch: mean of ${torchRuns.length} runs, before and after; cpu backend on n/20, 1 epoch, 512 scored rows)`);
}

// ---------------------------------------------------------------------------------------------
// Selection cost against a round's training, on the default backend.

if (!opts['no-selection']) {
  const backend = await initBackend('auto');
  const shape = [8, 8, 1];
  const strategies = ['least-confidence', 'margin', 'entropy'];
  const poolN = 10000;
  const pool = new Float32Array(poolN * 64);
  const prng = createRng(4).fork('bench-pool');
  for (let i = 0; i < pool.length; i++) pool[i] = prng.next();
  const poolIdx = Int32Array.from({ length: poolN }, (_, i) => i);
  const quickModel = () => {
    const rng = createRng(5).fork('quick-weights');
    const init = () => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.tfSeed() }), biasInitializer: 'zeros' });
    const m = tfl.sequential();
    m.add(tfl.layers.flatten({ inputShape: shape }));
    m.add(tfl.layers.dense({ units: 256, activation: 'relu', ...init() }));
    m.add(tfl.layers.dense({ units: 128, activation: 'relu', ...init() }));
    m.add(tfl.layers.dense({ units: 10, ...init() }));
    return m;
  };
  const selRows = [];
  for (const labeled of [100, 300]) {
    const model = quickModel();
    const d = randomData(labeled, 6);
    const data = { x: d.x.subarray(0, labeled * 64), y: d.y, n: labeled, shape, numClasses: 10 };
    const training = { epochs: 30, batchSize: 32, learningRate: 1e-3 };
    await trainModel(model, data, { ...training, epochs: 1 }, (e) => createRng(7).fork('s', e)); // warm-up
    const t0 = performance.now();
    await trainModel(model, data, training, (e) => createRng(7).fork('s', e));
    const trainMs = performance.now() - t0;
    await predictProbs(model, pool.subarray(0, 512 * 64), shape, 10);
    let probs;
    const scoreMs = await medianMs(5, async () => {
      probs = await predictProbs(model, pool, shape, 10);
    });
    const row = { engine: `tfjs-${tf.version_core}-${backend}`, model: 'selection', labeled, pool: poolN, train_ms: round(trainMs), score_ms: round(scoreMs) };
    let worst = 0;
    for (const name of strategies) {
      const strategy = createStrategy(name);
      const ctx = { round: 0, numClasses: 10, pool: poolIdx, labeled: new Int32Array(0), probs };
      await strategy.select(ctx, 20, createRng(8)); // warm-up (JIT)
      const ms = await medianMs(7, () => strategy.select(ctx, 20, createRng(8)));
      row[`${name}_ms`] = round(ms);
      worst = Math.max(worst, ms);
    }
    row.fraction = Math.round(((scoreMs + worst) / trainMs) * 1000) / 1000;
    selRows.push(row);
    model.dispose();
  }
  if (opts.json) {
    for (const r of selRows) console.log(JSON.stringify(r));
  } else {
    console.log(`\nSelection cost on ${backend} (quick study round: mlp on 8×8, 30 epochs, batch 32; pool of ${poolN})`);
    for (const r of selRows) {
      const sel = strategies.map((n) => `${n} ${r[`${n}_ms`]} ms`).join(', ');
      console.log(`  ${r.labeled} labels: training ${r.train_ms} ms; scoring ${r.score_ms} ms; ${sel}; (scoring + slowest selection) / training = ${(r.fraction * 100).toFixed(1)} % (goal < 10 %)`);
    }
  }
}
