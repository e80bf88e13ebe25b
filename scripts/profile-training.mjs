#!/usr/bin/env node
// Where a training step's time goes, per model: a tfjs kernel-level profile (tf.profile) of a few
// Adam steps (batch 64) of the bench-backend reference models, on one backend. Prints each
// kernel's share of the summed kernel time and the share of the step's wall time that no kernel
// accounts for (JS: the gradient tape, tensor bookkeeping, the minibatch upload).
// Shares, not absolute times, are what to read on a loaded machine.
//
//   npx tsc -p tsconfig.build.json && node scripts/profile-training.mjs [--models mlp,cnn,resnet18]
//        [--backend wasm-native] [--steps 3] [--resnet-width 64] [--top 12]
import { parseArgs } from 'node:util';

import * as tf from '@tensorflow/tfjs-core';

import { initBackend } from '../dist/backend/index.js';
import { FusedAdamOptimizer } from '../dist/backend/fused-adam.js';
import { createRng } from '../dist/rng.js';
import { SHAPES, referenceModel } from './reference-models.mjs';

const { values: opts } = parseArgs({
  options: {
    models: { type: 'string', default: 'mlp,cnn,resnet18' },
    backend: { type: 'string', default: 'wasm-native' },
    steps: { type: 'string', default: '3' },
    'resnet-width': { type: 'string', default: '64' },
    top: { type: 'string', default: '12' },
    json: { type: 'boolean', default: false },
  },
});
const BATCH = 64;


await initBackend(opts.backend);
const steps = Number(opts.steps);
for (const kind of opts.models.split(',')) {
  const model = referenceModel(kind, 0, Number(opts['resnet-width']));
  const shape = SHAPES[kind];
  const rng = createRng(1).fork('profile-data');
  const xs = Float32Array.from({ length: BATCH * shape.reduce((a, b) => a * b, 1) }, () => rng.next());
  const ys = new Float32Array(BATCH * 10);
  for (let i = 0; i < BATCH; i++) ys[i * 10 + rng.int(10)] = 1;
  const optimizer = new FusedAdamOptimizer(1e-3);
  const variables = model.trainableWeights.map((w) => w.read());
  // The same step as src/models/train.ts.
  const step = () =>
    tf.tidy(() => {
      const xb = tf.tensor(xs, [BATCH, ...shape]);
      const yb = tf.tensor2d(ys, [BATCH, 10]);
      return optimizer.minimize(() => tf.losses.softmaxCrossEntropy(yb, model.apply(xb, { training: true })), true, variables);
    });
  (await step()).dispose(); // warm-up
  const byKernel = new Map();
  let wallMs = 0;
  let kernelTotal = 0;
  for (let s = 0; s < steps; s++) {
    const t0 = performance.now();
    const info = await tf.profile(() => {
      step().dispose();
    });
    wallMs += performance.now() - t0;
    for (const k of info.kernels) {
      // Ops built with customGrad ('fusedConv2d__op', …, and 'unnamed scope' for tf.customGrad)
      // are recorded around the kernels they run.
      if (k.name.endsWith('__op') || k.name === 'unnamed scope') continue;
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      const e = byKernel.get(k.name) ?? { ms: 0, calls: 0 };
      e.ms += ms;
      e.calls += 1;
      byKernel.set(k.name, e);
      kernelTotal += ms;
    }
  }
  const rows = [...byKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const out = { model: kind, backend: opts.backend, steps, step_ms: Math.round(wallMs / steps), kernel_ms: Math.round(kernelTotal / steps), untracked_share: Math.round((1 - kernelTotal / wallMs) * 1000) / 10 };
  out.kernels = rows.slice(0, Number(opts.top)).map(([name, e]) => ({ name, share: Math.round((e.ms / kernelTotal) * 1000) / 10, calls_per_step: e.calls / steps }));
  if (opts.json) console.log(JSON.stringify(out));
  else {
    console.log(`\n${kind} on ${opts.backend}: ${out.step_ms} ms/step wall (profiled), kernels ${out.kernel_ms} ms; outside kernels ${out.untracked_share} % of wall`);
    for (const k of out.kernels) console.log(`  ${k.name.padEnd(24)} ${String(k.share).padStart(5)} %   ${k.calls_per_step} calls/step`);
  }
  model.dispose();
}
