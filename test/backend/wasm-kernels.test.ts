// Only functional ops here: chained ops (t.mul) need tfjs's full bundle, which src does not load.
// The wasm kernels are checked against the pure-JS cpu backend, which is tfjs's own reference
// implementation (tfjs-backend-cpu/src/kernels/Conv2DBackpropFilter.ts, BatchMatMul.ts).
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; tfjs-layers registers them all, as in the model code.
import '@tensorflow/tfjs-layers';

import { BACKEND_NAMES, backendName, initBackend, registerWasmKernels } from '../../src/backend/index.js';
import { nativeKernelsMissing } from '../../src/backend/native-kernels.js';
import { on, randn, relDiff, TOL } from '../helpers/backends.js';

type Pad = 'valid' | 'same' | number | [[0, 0], [number, number], [number, number], [0, 0]];

// The stock wasm Identity and Cast (copies), taken before registerWasmKernels replaces them.
const STOCK_COPIES = { Identity: tf.getKernel(tf.Identity, 'wasm'), Cast: tf.getKernel(tf.Cast, 'wasm') };

beforeAll(async () => {
  await initBackend('wasm');
});

afterEach(async () => {
  await tf.setBackend('wasm');
});

// -------------------------------------------------------------------------------------------------

interface ConvCase {
  n: number;
  h: number;
  w: number;
  cin: number;
  cout: number;
  fh: number;
  fw: number;
  stride: 1 | 2;
  pad: Pad;
}

const CONV_CASES: ConvCase[] = [];
for (const pad of ['valid', 'same'] as const) {
  for (const stride of [1, 2] as const) {
    CONV_CASES.push(
      { n: 1, h: 5, w: 5, cin: 1, cout: 1, fh: 3, fw: 3, stride, pad },
      { n: 4, h: 8, w: 8, cin: 3, cout: 5, fh: 3, fw: 3, stride, pad },
      // Odd sizes and a non-square filter leave stride leftovers that must be cropped.
      { n: 3, h: 9, w: 7, cin: 2, cout: 4, fh: 2, fw: 3, stride, pad },
      { n: 2, h: 6, w: 11, cin: 5, cout: 8, fh: 5, fw: 5, stride, pad },
      { n: 8, h: 14, w: 14, cin: 16, cout: 8, fh: 3, fw: 3, stride, pad },
    );
  }
}
// Numeric and explicit (asymmetric) pads take the same code path as 'same'.
CONV_CASES.push(
  { n: 2, h: 7, w: 7, cin: 3, cout: 4, fh: 3, fw: 3, stride: 2, pad: 1 },
  { n: 2, h: 7, w: 6, cin: 3, cout: 4, fh: 3, fw: 3, stride: 1, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
);

function convName(c: ConvCase): string {
  return `x[${c.n},${c.h},${c.w},${c.cin}] f[${c.fh},${c.fw},${c.cin},${c.cout}] stride ${c.stride} pad ${JSON.stringify(c.pad)}`;
}

function convOutShape(c: ConvCase): number[] {
  return backend_util.computeConv2DInfo([c.n, c.h, c.w, c.cin], [c.fh, c.fw, c.cin, c.cout], c.stride, 1, c.pad)
    .outShape;
}

/** dx and dfilter of Σ conv2d(x, f) · r, with r a fixed random upstream gradient. */
function convGrads(c: ConvCase, xv: Float32Array, fv: Float32Array, rv: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, [c.n, c.h, c.w, c.cin]);
    const f = tf.tensor4d(fv, [c.fh, c.fw, c.cin, c.cout]);
    const r = tf.tensor(rv, convOutShape(c));
    const loss = (x: tf.Tensor, f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, c.stride, c.pad), r));
    return tf.grads(loss)([x, f]).map((g) => g.dataSync() as Float32Array);
  });
}

describe('wasm Conv2DBackpropFilter', () => {
  it('is registered on wasm', () => {
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
  });

  it.each(CONV_CASES.map((c) => [convName(c), c] as const))('matches cpu gradients: %s', async (_name, c) => {
    const xv = randn([c.n, c.h, c.w, c.cin], 1);
    const fv = randn([c.fh, c.fw, c.cin, c.cout], 2);
    const rv = randn(convOutShape(c), 3);
    const [dxCpu, dfCpu] = await on('cpu', () => convGrads(c, xv, fv, rv));
    const [dxWasm, dfWasm] = await on('wasm', () => convGrads(c, xv, fv, rv));
    expect(relDiff(dfWasm, dfCpu)).toBeLessThan(TOL);
    expect(relDiff(dxWasm, dxCpu)).toBeLessThan(TOL);
  });

  it('rejects NCHW with a message naming the allowed format', () => {
    const run = () =>
      tf.tidy(() =>
        tf.engine().runKernel(
          tf.Conv2DBackpropFilter,
          { x: tf.zeros([1, 2, 5, 5]), dy: tf.zeros([1, 2, 3, 3]) },
          { strides: 1, pad: 'valid', dataFormat: 'NCHW', filterShape: [3, 3, 2, 2] },
        ),
      );
    expect(run).toThrow(/NCHW.*NHWC/);
  });
});

// -------------------------------------------------------------------------------------------------

interface MatMulCase {
  batch: number[]; // leading dims of a; b gets bBatch (defaults to the same)
  bBatch?: number[];
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
}

const MATMUL_CASES: MatMulCase[] = [];
for (const transposeA of [false, true]) {
  for (const transposeB of [false, true]) {
    MATMUL_CASES.push(
      { batch: [], m: 33, k: 17, n: 20, transposeA, transposeB }, // rank 2: the XNNPACK path
      { batch: [1], m: 9, k: 31, n: 5, transposeA, transposeB }, // rank 3, batch 1: still XNNPACK
      { batch: [3], m: 12, k: 7, n: 10, transposeA, transposeB }, // batched: stock loop
      { batch: [1], bBatch: [4], m: 6, k: 8, n: 5, transposeA, transposeB }, // broadcast batch, values only
    );
  }
}

function matMulName(c: MatMulCase): string {
  return `batch [${c.batch}]${c.bBatch ? `×[${c.bBatch}]` : ''} ${c.m}×${c.k}·${c.k}×${c.n} tA=${c.transposeA} tB=${c.transposeB}`;
}

function matMulShapes(c: MatMulCase): { a: number[]; b: number[]; out: number[] } {
  const bBatch = c.bBatch ?? c.batch;
  const outBatch = c.batch.map((d, i) => Math.max(d, bBatch[i]));
  return {
    a: [...c.batch, ...(c.transposeA ? [c.k, c.m] : [c.m, c.k])],
    b: [...bBatch, ...(c.transposeB ? [c.n, c.k] : [c.k, c.n])],
    out: [...outBatch, c.m, c.n],
  };
}

/** tfjs's BatchMatMul gradient rejects broadcast batch dims on every backend. */
function hasGradient(c: MatMulCase): boolean {
  return c.bBatch === undefined;
}

/** The product and, where tfjs has them, both gradients: themselves transposed matmuls. */
function matMulRun(c: MatMulCase, av: Float32Array, bv: Float32Array, rv: Float32Array): Float32Array[] {
  const shapes = matMulShapes(c);
  return tf.tidy(() => {
    const a = tf.tensor(av, shapes.a);
    const b = tf.tensor(bv, shapes.b);
    const r = tf.tensor(rv, shapes.out);
    const product = (a: tf.Tensor, b: tf.Tensor) => tf.matMul(a, b, c.transposeA, c.transposeB);
    const grads = hasGradient(c) ? tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(product(a, b), r)))([a, b]) : [];
    return [product(a, b), ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('wasm BatchMatMul with explicit transposes', () => {
  it('replaces the stock kernel but keeps its setup function', () => {
    const config = tf.getKernel(tf.BatchMatMul, 'wasm');
    const mark = Symbol.for('albench.wasmKernel');
    expect((config.kernelFunc as unknown as Record<symbol, unknown>)[mark]).toBe(true);
    expect(config.setupFunc).toBeTypeOf('function');
  });

  it.each(MATMUL_CASES.map((c) => [matMulName(c), c] as const))('matches cpu: %s', async (_name, c) => {
    const shapes = matMulShapes(c);
    const av = randn(shapes.a, 4);
    const bv = randn(shapes.b, 5);
    const rv = randn(shapes.out, 6);
    const cpu = await on('cpu', () => matMulRun(c, av, bv, rv));
    const wasm = await on('wasm', () => matMulRun(c, av, bv, rv));
    expect(wasm).toHaveLength(hasGradient(c) ? 3 : 1);
    // [product, da, db]
    for (let i = 0; i < wasm.length; i++) expect(relDiff(wasm[i], cpu[i])).toBeLessThan(TOL);
  });
});

// -------------------------------------------------------------------------------------------------

describe('wasm Conv2DBackpropInput (the forward XNNPACK conv on a dilated dy and a rotated filter)', () => {
  it('replaces the stock kernel but keeps its setup function', () => {
    const config = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
    expect((config.kernelFunc as unknown as Record<symbol, unknown>)[Symbol.for('albench.wasmKernel')]).toBe(true);
    expect(config.setupFunc).toBeTypeOf('function');
  });
  // Its values against cpu: the dx half of 'matches cpu gradients' above, over every CONV_CASE
  // (strides 1 and 2, 'valid', 'same', numeric and asymmetric explicit pads).
});

interface PoolCase {
  shape: [number, number, number, number];
  size: number;
  stride: number;
  pad: 'valid' | 'same';
  /** Draw inputs from a few integers, so windows hold ties and the tie rule is exercised. */
  ties?: boolean;
}

const POOL_CASES: PoolCase[] = [
  { shape: [2, 6, 6, 3], size: 2, stride: 2, pad: 'valid' },
  { shape: [3, 7, 5, 4], size: 2, stride: 2, pad: 'valid' }, // odd sizes: rows/cols left out
  { shape: [2, 7, 7, 2], size: 3, stride: 2, pad: 'same' }, // overlapping windows, padding
  { shape: [1, 5, 6, 3], size: 2, stride: 1, pad: 'valid' }, // overlapping: dx sums several dy
  { shape: [2, 6, 6, 3], size: 2, stride: 2, pad: 'valid', ties: true },
  { shape: [2, 7, 7, 2], size: 3, stride: 2, pad: 'same', ties: true },
  { shape: [8, 26, 26, 16], size: 2, stride: 2, pad: 'valid' }, // the reference CNN's first pool
];

function poolInput(c: PoolCase): Float32Array {
  const x = randn(c.shape, 13);
  return c.ties ? x.map((v) => Math.round(v)) : x;
}

/** d/dx of Σ maxPool(x) · r, and the pooled values. */
function poolGrads(c: PoolCase, xv: Float32Array, rv: Float32Array): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor4d(xv, c.shape);
    const outShape = tf.maxPool(x, c.size, c.stride, c.pad).shape;
    const r = tf.tensor(rv.subarray(0, outShape.reduce((a, b) => a * b, 1)), outShape);
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(x as tf.Tensor4D, c.size, c.stride, c.pad), r));
    return [tf.grad(loss)(x), tf.maxPool(x, c.size, c.stride, c.pad)].map((t) => t.dataSync() as Float32Array);
  });
}

describe('wasm MaxPoolGrad (one routing pass over the wasm heap)', () => {
  it('replaces the stock kernel', () => {
    const config = tf.getKernel(tf.MaxPoolGrad, 'wasm');
    expect((config.kernelFunc as unknown as Record<symbol, unknown>)[Symbol.for('albench.wasmKernel')]).toBe(true);
  });

  it.each(POOL_CASES.map((c) => [`x[${c.shape}] pool ${c.size} stride ${c.stride} ${c.pad}${c.ties ? ' with ties' : ''}`, c] as const))(
    'matches cpu gradients: %s',
    async (_name, c) => {
      const xv = poolInput(c);
      const rv = randn([c.shape.reduce((a, b) => a * b, 1)], 14);
      const cpu = await on('cpu', () => poolGrads(c, xv, rv));
      const wasm = await on('wasm', () => poolGrads(c, xv, rv));
      // Routing is exact: every dx entry is a sum of the same dy values (one term unless windows overlap).
      expect(relDiff(wasm[0], cpu[0])).toBeLessThan(TOL);
      expect(relDiff(wasm[1], cpu[1])).toBe(0);
      // The test can fail: some dx entries are non-zero, and most are zero.
      expect(cpu[0].some((v) => v !== 0)).toBe(true);
    },
  );
});

// -------------------------------------------------------------------------------------------------

describe('wasm GatherV2 along rows (one copy per row on the wasm heap)', () => {
  const CASES: { shape: number[]; indices: number[]; indexShape?: number[]; axis?: number }[] = [
    { shape: [5], indices: [4, 0, 0, 2] },
    { shape: [6, 3], indices: [5, 1, 1, 0, 3] },
    { shape: [7, 4, 3, 2], indices: [6, 0, 3, 3, 2] },
    { shape: [4, 5], indices: [3, 0, 1, 2, 0, 3], indexShape: [2, 3] },
    { shape: [4, 5], indices: [], indexShape: [0] },
    { shape: [4, 5, 2], indices: [4, 0, 2], axis: 1 }, // another axis: the stock kernel
  ];
  it.each(CASES.map((c) => [JSON.stringify(c), c] as const))('equals cpu bit for bit: %s', async (_name, c) => {
    const x = randn(c.shape, 21);
    const run = () =>
      tf.tidy(() => {
        const out = tf.gather(tf.tensor(x, c.shape), tf.tensor(c.indices, c.indexShape ?? [c.indices.length], 'int32'), c.axis ?? 0);
        return { shape: out.shape, values: Array.from(out.dataSync()) };
      });
    expect(await on('wasm', run)).toEqual(await on('cpu', run));
  });

});

describe('wasm Identity and same-dtype Cast (a shared buffer, not a copy)', () => {
  const numDataIds = () => tf.engine().backend.numDataIds();

  it('clone and cast to the same dtype share the buffer, which outlives the original', () => {
    expect(tf.getBackend()).toBe('wasm');
    const values = randn([4, 3], 31);
    const x = tf.tensor(values, [4, 3]);
    const before = numDataIds();
    const clone = tf.clone(x);
    const cast = tf.cast(x, 'float32');
    // The stock kernels allocate a buffer each; shared ones allocate none.
    expect(numDataIds()).toBe(before);
    x.dispose();
    expect(clone.dataSync()).toEqual(values);
    expect(cast.dataSync()).toEqual(values);
    expect(cast.shape).toEqual([4, 3]);
    clone.dispose();
    expect(cast.dataSync()).toEqual(values);
    cast.dispose();
    expect(numDataIds()).toBe(before - 1);
  });

  it('a real conversion still converts, as cpu does', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor1d([-1.7, -0.2, 0, 0.6, 2.5]);
        return [tf.cast(x, 'int32'), tf.cast(tf.tensor1d([3, -2], 'int32'), 'float32')].map((t) => ({ dtype: t.dtype, values: Array.from(t.dataSync()) }));
      });
    expect(await on('wasm', run)).toEqual(await on('cpu', run));
  });

  it('gradients through saved tensors (relu, clone) equal the stock kernels bit for bit, agree with cpu and leak nothing', async () => {
    const x = randn([6, 5], 32);
    const w = randn([5, 4], 33);
    const run = () =>
      tf.tidy(() => {
        const f = (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.relu(tf.matMul(a, b)), tf.slice(tf.clone(a), [0, 0], [6, 4])));
        return tf.grads(f)([tf.tensor(x, [6, 5]), tf.tensor(w, [5, 4])]).map((g) => g.dataSync() as Float32Array);
      });
    const expected = await on('cpu', run);
    await initBackend('wasm');
    run();
    const tensors = tf.memory().numTensors;
    const ids = numDataIds();
    const ours = run();
    expect(tf.memory().numTensors).toBe(tensors);
    expect(numDataIds()).toBe(ids);
    const swap = (configs: Record<string, tf.KernelConfig>) => {
      for (const config of Object.values(configs)) {
        tf.unregisterKernel(config.kernelName, 'wasm');
        tf.registerKernel(config);
      }
    };
    const current = { Identity: tf.getKernel(tf.Identity, 'wasm'), Cast: tf.getKernel(tf.Cast, 'wasm') };
    expect(STOCK_COPIES.Identity.kernelFunc).not.toBe(current.Identity.kernelFunc);
    swap(STOCK_COPIES);
    let stock: Float32Array[];
    try {
      stock = run();
    } finally {
      swap(current);
    }
    for (let i = 0; i < ours.length; i++) {
      expect(Buffer.from(ours[i].buffer).equals(Buffer.from(stock[i].buffer))).toBe(true);
      expect(relDiff(ours[i], expected[i])).toBeLessThan(TOL);
    }
  });
});

describe('registration and memory', () => {
  it('registerWasmKernels is idempotent and quiet', () => {
    const warn = vi.spyOn(console, 'warn');
    const log = vi.spyOn(console, 'log');
    const before = tf.getKernel(tf.BatchMatMul, 'wasm');
    registerWasmKernels();
    registerWasmKernels();
    expect(tf.getKernel(tf.BatchMatMul, 'wasm')).toBe(before);
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    warn.mockRestore();
    log.mockRestore();
  });

  it('leaks neither tensors nor wasm buffers', () => {
    expect(tf.getBackend()).toBe('wasm');
    const conv: ConvCase = { n: 3, h: 9, w: 7, cin: 2, cout: 4, fh: 3, fw: 3, stride: 2, pad: 'valid' };
    const mm: MatMulCase = { batch: [], m: 16, k: 8, n: 12, transposeA: true, transposeB: true };
    const convIn = [randn([3, 9, 7, 2], 7), randn([3, 3, 2, 4], 8), randn(convOutShape(conv), 9)] as const;
    const mmShapes = matMulShapes(mm);
    const mmIn = [randn(mmShapes.a, 10), randn(mmShapes.b, 11), randn(mmShapes.out, 12)] as const;
    const pool: PoolCase = { shape: [2, 7, 7, 2], size: 3, stride: 2, pad: 'same' };
    const poolIn = [poolInput(pool), randn([2 * 7 * 7 * 2], 15)] as const;
    const step = () => {
      convGrads(conv, ...convIn);
      matMulRun(mm, ...mmIn);
      poolGrads(pool, ...poolIn);
    };
    step(); // warm-up: first calls may allocate lasting state
    const tensors = tf.memory().numTensors;
    const dataIds = tf.engine().backend.numDataIds();
    for (let i = 0; i < 3; i++) step();
    expect(tf.memory().numTensors).toBe(tensors);
    // Our kernels' intermediates are bare backend buffers that numTensors cannot see.
    expect(tf.engine().backend.numDataIds()).toBe(dataIds);
  });
});

// -------------------------------------------------------------------------------------------------

describe('initBackend', () => {
  it('lists the allowed names', () => {
    expect(BACKEND_NAMES).toEqual(['auto', 'tensorflow-gpu', 'tensorflow', 'wasm-native', 'wasm', 'cpu']);
  });

  it("'auto' ends on wasm-native (or wasm without the addon) when tfjs-node is not loadable", async (ctx) => {
    const name = await initBackend('auto');
    if (name === 'tensorflow') ctx.skip(); // tfjs-node installed here: nothing to check
    const expected = nativeKernelsMissing() === undefined ? 'wasm-native' : 'wasm';
    expect(name).toBe(expected);
    expect(backendName()).toBe(expected);
    expect(tf.getBackend()).toBe('wasm');
    // The wasm kernels come with it.
    expect(tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')).toBeDefined();
    // Probing for tfjs-node must not load the full tfjs bundle, which patches chained ops onto
    // Tensor and would let code pass under 'auto' that fails under 'wasm'.
    expect((tf.Tensor.prototype as unknown as Record<string, unknown>).mul).toBeUndefined();
  });

  it('is idempotent and switches between explicit choices', async () => {
    expect(await initBackend('cpu')).toBe('cpu');
    expect(await initBackend('cpu')).toBe('cpu');
    expect(await initBackend('wasm')).toBe('wasm');
    expect(await initBackend('wasm')).toBe('wasm');
    expect(backendName()).toBe('wasm');
  });

  it("an explicit 'tensorflow' that cannot load fails loudly", async (ctx) => {
    if (tf.findBackendFactory('tensorflow') != null) ctx.skip();
    await expect(initBackend('tensorflow')).rejects.toThrow(
      /Backend 'tensorflow' could not be initialised: .*Allowed backends: auto, tensorflow-gpu, tensorflow, wasm-native, wasm, cpu/,
    );
    // A failed explicit choice leaves the previous backend usable.
    expect(backendName()).toBe('wasm');
  });

  it('rejects an unknown name with the allowed values', async () => {
    await expect(initBackend('gpu' as never)).rejects.toThrow(/Unknown backend 'gpu'.*auto, tensorflow-gpu, tensorflow, wasm-native, wasm, cpu/);
  });
});
