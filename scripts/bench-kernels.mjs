#!/usr/bin/env node
// Times the wasm kernels registered by src/backend/wasm-kernels.ts against references measured
// in the same run, so the ratios hold on whatever machine this runs on.
//
//   npm run build && node scripts/bench-kernels.mjs      (or: npm run bench:kernels)
//
// 1. BatchMatMul 512×256 · 256×128 on wasm: the stock kernel with a transpose flag, then our
//    registered fast path, each against the untransposed stock product (the XNNPACK path).
// 2. Conv2DBackpropFilter on wasm (absent from stock 4.22) against the forward Conv2D of the
//    same layer on wasm and against the cpu backend's kernel. The cpu kernel is a naive loop
//    (seconds to a minute per call), so it is timed once and only on the first layer unless
//    --all-cpu is given.
import * as tf from '@tensorflow/tfjs-core';

import { backendName, initBackend } from '../dist/backend/index.js';

const MIN_MS = 400; // per measurement, after warm-up
const MIN_ITERS = 5;
const ALL_CPU = process.argv.includes('--all-cpu');

/** Median ms per call of fn; each call's output is read back (forces the work) and disposed. */
function time(fn, { warmup = 3, minMs = MIN_MS, minIters = MIN_ITERS } = {}) {
  const once = () => {
    const out = fn();
    out.dataSync();
    out.dispose();
  };
  for (let i = 0; i < warmup; i++) once();
  const samples = [];
  const start = performance.now();
  while (samples.length < minIters || performance.now() - start < minMs) {
    const t0 = performance.now();
    once();
    samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)];
}

const fmt = (ms) => `${ms.toFixed(2).padStart(8)} ms`;
const ratio = (ms, ref) => `${(ms / ref).toFixed(2).padStart(6)}×`;

function row(label, ms, ref, refName) {
  console.log(`  ${label.padEnd(34)} ${fmt(ms)}   ${ratio(ms, ref)} ${refName}`);
}

// ---------------------------------------------------------------------------------------------

// The wasm backend before our kernels are registered: initBackend('wasm') registers them.
if (!(await tf.setBackend('wasm'))) throw new Error("bench-kernels: tf.setBackend('wasm') failed");
await tf.ready();
console.log(
  `tfjs-core ${tf.version_core}, node ${process.version}, wasm SIMD ${tf.env().getBool('WASM_HAS_SIMD_SUPPORT')}, ` +
    `threads ${tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')}`,
);

const [M, K, N] = [512, 256, 128];
const a = tf.randomNormal([M, K], 0, 1, 'float32', 1);
const b = tf.randomNormal([K, N], 0, 1, 'float32', 2);
const aT = tf.transpose(a); // [K, M]
const bT = tf.transpose(b); // [N, K]
const variants = [
  ['A·Bᵀ (transposeB)', () => tf.matMul(a, bT, false, true)],
  ['Aᵀ·B (transposeA)', () => tf.matMul(aT, b, true, false)],
  ['Aᵀ·Bᵀ (both)', () => tf.matMul(aT, bT, true, true)],
];

console.log(`\nBatchMatMul ${M}×${K} · ${K}×${N} on wasm (ratio: against untransposed stock A·B)`);
const refMatMul = time(() => tf.matMul(a, b));
row('untransposed A·B (stock, XNNPACK)', refMatMul, refMatMul, 'reference');
const stock = variants.map(([label, fn]) => [label, time(fn)]);
for (const [label, ms] of stock) row(`stock ${label}`, ms, refMatMul, '');

await initBackend('wasm');
if (backendName() !== 'wasm') throw new Error(`bench-kernels: expected wasm, got ${backendName()}`);
const fast = variants.map(([label, fn]) => [label, time(fn)]);
for (const [label, ms] of fast) row(`fast ${label}`, ms, refMatMul, '');
const fastUntransposed = time(() => tf.matMul(a, b));
row('untransposed A·B (fast kernel)', fastUntransposed, refMatMul, '(pass-through)');
console.log('  speed-up of the fast path over stock:');
for (let i = 0; i < variants.length; i++) {
  console.log(`    ${variants[i][0].padEnd(20)} ${(stock[i][1] / fast[i][1]).toFixed(2)}×`);
}
tf.dispose([a, b, aT, bT]);

// ---------------------------------------------------------------------------------------------

// Layers of a small reference CNN at batch 64 (DESIGN.md profiles that batch size).
const LAYERS = [
  { name: 'conv1 28×28×1→32, 3×3, same', x: [64, 28, 28, 1], f: [3, 3, 1, 32], strides: 1, pad: 'same' },
  { name: 'conv2 14×14×32→64, 3×3, same', x: [64, 14, 14, 32], f: [3, 3, 32, 64], strides: 1, pad: 'same' },
  { name: 'conv3 14×14×32→64, 3×3/2, valid', x: [64, 14, 14, 32], f: [3, 3, 32, 64], strides: 2, pad: 'valid' },
];

console.log('\nConv2DBackpropFilter, batch 64 (ratio: against the forward Conv2D on wasm, and the cpu kernel)');
for (const [index, layer] of LAYERS.entries()) {
  await tf.setBackend('wasm');
  const x = tf.randomNormal(layer.x, 0, 1, 'float32', 3);
  const f = tf.randomNormal(layer.f, 0, 1, 'float32', 4);
  const dy = tf.tidy(() => tf.randomNormal(tf.conv2d(x, f, layer.strides, layer.pad).shape, 0, 1, 'float32', 5));
  const attrs = { strides: layer.strides, pad: layer.pad, dataFormat: 'NHWC', filterShape: layer.f };
  const backpropFilter = () => tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, attrs);

  const forward = time(() => tf.conv2d(x, f, layer.strides, layer.pad));
  const wasm = time(backpropFilter);
  let cpu;
  if (index === 0 || ALL_CPU) {
    await tf.setBackend('cpu');
    cpu = time(backpropFilter, { warmup: 0, minMs: 0, minIters: 1 });
    await tf.setBackend('wasm');
  }

  console.log(`  ${layer.name}`);
  row('forward Conv2D (wasm)', forward, forward, 'reference');
  const vsCpu = cpu === undefined ? '' : `; ${(cpu / wasm).toFixed(0)}× faster than cpu`;
  row('Conv2DBackpropFilter (wasm, ours)', wasm, forward, `of forward${vsCpu}`);
  if (cpu !== undefined) row('Conv2DBackpropFilter (cpu, 1 call)', cpu, forward, 'of forward');
  tf.dispose([x, f, dy]);
}
