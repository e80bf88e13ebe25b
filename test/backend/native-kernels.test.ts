// The 'wasm-native' kernels (native/albench_native.cc through src/backend/native-kernels.ts) are
// checked against the pure-JS cpu backend, tfjs's own reference implementation
// (tfjs-backend-cpu/src/kernels/BatchMatMul.ts, _FusedMatMul.ts), and the native Adam against
// the JS loop it replaces, bit for bit. CI builds the addon (.ci/run fails without it), so these
// only skip on a machine where `npm install` could not compile it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
// tfjs-core alone registers no gradients; tfjs-layers registers them all, as in the model code.
import * as tfl from '@tensorflow/tfjs-layers';

import { backendName, initBackend } from '../../src/backend/index.js';
import { FusedAdamOptimizer } from '../../src/backend/fused-adam.js';
import { nativeAddon, nativeKernels, nativeKernelsMissing } from '../../src/backend/native-kernels.js';
import { on, randn, relDiff, TOL } from '../helpers/backends.js';

type Backend = 'cpu' | 'wasm' | 'wasm-native';

const missing = nativeKernelsMissing();


describe.skipIf(missing !== undefined)(`wasm-native kernels${missing ? ` (skipped: ${missing})` : ''}`, () => {
  beforeAll(async () => {
    await initBackend('wasm-native');
  });
  afterAll(async () => {
    await initBackend('wasm');
  });

  it('records itself as wasm-native on the wasm backend', async () => {
    expect(await initBackend('wasm-native')).toBe('wasm-native');
    expect(tf.getBackend()).toBe('wasm');
    expect(backendName()).toBe('wasm-native');
    expect(await initBackend('wasm')).toBe('wasm');
  });

  // Sizes around the GEMM's blocking (tiles of 6 × 16, K blocks of 256) and the models' shapes.
  const SIZES: [number, number, number][] = [
    [1, 1, 1],
    [5, 17, 3],
    [7, 15, 257],
    [13, 33, 600],
    [64, 256, 784],
    [97, 10, 128],
  ];
  for (const [m, n, k] of SIZES) {
    for (const transposeA of [false, true]) {
      for (const transposeB of [false, true]) {
        it(`matMul ${m}×${k}·${k}×${n} (transposeA ${transposeA}, transposeB ${transposeB}) agrees with cpu`, async () => {
          const a = randn(transposeA ? [k, m] : [m, k], 1);
          const b = randn(transposeB ? [n, k] : [k, n], 2);
          const run = () =>
            tf.tidy(() => tf.matMul(tf.tensor(a, transposeA ? [k, m] : [m, k]), tf.tensor(b, transposeB ? [n, k] : [k, n]), transposeA, transposeB).dataSync() as Float32Array);
          const expected = await on('cpu', run);
          const actual = await on('wasm-native', run);
          expect(relDiff(actual, expected)).toBeLessThan(TOL);
        });
      }
    }
  }

  it('batched matMul broadcasts a batch of 1 on either side, as cpu does', async () => {
    for (const [ba, bb] of [
      [3, 3],
      [1, 4],
      [4, 1],
    ]) {
      const a = randn([ba, 5, 7], 3);
      const b = randn([bb, 9, 7], 4);
      const run = () => tf.tidy(() => tf.matMul(tf.tensor(a, [ba, 5, 7]), tf.tensor(b, [bb, 9, 7]), false, true).dataSync() as Float32Array);
      expect(relDiff(await on('wasm-native', run), await on('cpu', run))).toBeLessThan(TOL);
    }
  });

  for (const activation of ['linear', 'relu', 'elu'] as const) {
    for (const withBias of [true, false]) {
      it(`fused matMul (${activation}, ${withBias ? 'bias' : 'no bias'}) and its gradients agree with cpu`, async () => {
        const x = randn([37, 50], 5);
        const w = randn([50, 20], 6);
        const bias = randn([20], 7);
        const run = () =>
          tf.tidy(() => {
            const weights = tf.reshape(tf.range(0, 20), [1, 20]);
            const f = (xs: tf.Tensor, ws: tf.Tensor, bs?: tf.Tensor) => tf.sum(tf.mul(tf.fused.matMul({ a: xs, b: ws, bias: bs, activation }), weights));
            const y = tf.fused.matMul({ a: tf.tensor(x, [37, 50]), b: tf.tensor(w, [50, 20]), bias: withBias ? tf.tensor(bias) : undefined, activation });
            const inputs = [tf.tensor(x, [37, 50]), tf.tensor(w, [50, 20]), ...(withBias ? [tf.tensor(bias)] : [])];
            const grads = tf.grads((...args: tf.Tensor[]) => f(args[0], args[1], args[2]))(inputs);
            return [y, ...grads].map((t) => t.dataSync() as Float32Array);
          });
        const expected = await on('cpu', run);
        const actual = await on('wasm-native', run);
        actual.forEach((values, i) => expect(relDiff(values, expected[i])).toBeLessThan(TOL));
      });
    }
  }


  const CONV_CASES: { n: number; h: number; w: number; cin: number; cout: number; fh: number; fw: number; stride: 1 | 2; pad: 'valid' | 'same' }[] = [];
  for (const pad of ['valid', 'same'] as const) {
    for (const stride of [1, 2] as const) {
      CONV_CASES.push(
        { n: 1, h: 5, w: 5, cin: 1, cout: 1, fh: 3, fw: 3, stride, pad },
        // Odd sizes and a non-square filter.
        { n: 3, h: 9, w: 7, cin: 2, cout: 4, fh: 2, fw: 3, stride, pad },
        { n: 4, h: 28, w: 28, cin: 1, cout: 16, fh: 3, fw: 3, stride, pad },
        { n: 2, h: 11, w: 13, cin: 16, cout: 32, fh: 3, fw: 3, stride, pad },
      );
    }
  }
  // More output positions (14,850) than one im2col chunk (14,336 for 3·3·16-long patches). The
  // reference is plain wasm here (itself checked against cpu in wasm-kernels.test.ts): cpu's naive
  // convolution gradients take ~15 s at this size.
  CONV_CASES.push({ n: 150, h: 11, w: 13, cin: 16, cout: 8, fh: 3, fw: 3, stride: 1, pad: 'valid' });
  for (const c of CONV_CASES) {
    const reference: Backend = c.n > 100 ? 'wasm' : 'cpu';
    it(`fused conv2d + relu and its gradients agree with ${reference}: ${JSON.stringify(c)}`, async () => {
      const xShape = [c.n, c.h, c.w, c.cin] as [number, number, number, number];
      const fShape = [c.fh, c.fw, c.cin, c.cout] as [number, number, number, number];
      const x = randn(xShape, 13);
      const f = randn(fShape, 14);
      const bias = randn([c.cout], 15);
      const run = () =>
        tf.tidy(() => {
          const conv = (xs: tf.Tensor4D, fs: tf.Tensor4D, bs: tf.Tensor1D) => tf.fused.conv2d({ x: xs, filter: fs, strides: c.stride, pad: c.pad, bias: bs, activation: 'relu' });
          const plain = tf.conv2d(tf.tensor4d(x, xShape), tf.tensor4d(f, fShape), c.stride, c.pad);
          const y = conv(tf.tensor4d(x, xShape), tf.tensor4d(f, fShape), tf.tensor1d(bias));
          // A non-uniform upstream gradient, so that every position's dy differs.
          const weights = tf.sin(tf.reshape(tf.range(0, y.size), y.shape));
          const grads = tf.grads((xs: tf.Tensor, fs: tf.Tensor, bs: tf.Tensor) => tf.sum(tf.mul(conv(xs as tf.Tensor4D, fs as tf.Tensor4D, bs as tf.Tensor1D), weights)))([
            tf.tensor4d(x, xShape),
            tf.tensor4d(f, fShape),
            tf.tensor1d(bias),
          ]);
          return [plain, y, ...grads].map((t) => t.dataSync() as Float32Array);
        });
      const expected = await on(reference, run);
      const actual = await on('wasm-native', run);
      actual.forEach((values, i) => expect(relDiff(values, expected[i])).toBeLessThan(TOL));
    });
  }


  const POOL_CASES: { shape: [number, number, number, number]; size: number; stride: number; pad: 'valid' | 'same'; ties?: boolean }[] = [
    { shape: [3, 7, 5, 4], size: 2, stride: 2, pad: 'valid' }, // odd sizes: rows/cols left out
    { shape: [2, 7, 7, 2], size: 3, stride: 2, pad: 'same' }, // overlapping windows, padding
    { shape: [1, 5, 6, 3], size: 2, stride: 1, pad: 'valid' }, // overlapping: dx sums several dy
    { shape: [2, 7, 7, 2], size: 3, stride: 2, pad: 'same', ties: true }, // first maximum wins
    { shape: [8, 26, 26, 16], size: 2, stride: 2, pad: 'valid' }, // the reference CNN's first pool
    // 8 channels at a time in the addon, the rest one by one: a block of 8 and a tail of 4, with
    // overlapping windows, padding and ties, and overlapping windows summing into dx.
    { shape: [2, 7, 7, 12], size: 3, stride: 2, pad: 'same', ties: true },
    { shape: [1, 5, 6, 9], size: 2, stride: 1, pad: 'valid', ties: true },
    // Tiling windows (stride = size, 'valid', channels a multiple of 8) write dx once: ties, odd
    // sizes that leave a row and a column uncovered, and a 3×3 pool.
    { shape: [2, 7, 9, 8], size: 2, stride: 2, pad: 'valid', ties: true },
    { shape: [1, 9, 10, 16], size: 3, stride: 3, pad: 'valid', ties: true },
  ];
  for (const c of POOL_CASES) {
    it(`maxPool gradient agrees with cpu and equals plain wasm's bit for bit: ${JSON.stringify(c)}`, async () => {
      const x = c.ties ? randn(c.shape, 16).map((v) => Math.round(v)) : randn(c.shape, 16);
      const run = () =>
        tf.tidy(() => {
          const pooled = (xs: tf.Tensor) => tf.maxPool(xs as tf.Tensor4D, c.size, c.stride, c.pad);
          const weights = tf.sin(tf.reshape(tf.range(0, pooled(tf.tensor4d(x, c.shape)).size), pooled(tf.tensor4d(x, c.shape)).shape));
          return tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(pooled(xs), weights)))(tf.tensor4d(x, c.shape)).dataSync() as Float32Array;
        });
      const native = await on('wasm-native', run);
      expect(relDiff(native, await on('cpu', run))).toBeLessThan(TOL);
      expect(Array.from(native)).toEqual(Array.from(await on('wasm', run)));
      expect(native.some((v) => v !== 0)).toBe(true);
    });
  }


  it('sums over every axis but the last (bias gradients) agree with cpu; other sums fall back', async () => {
    const x = randn([4, 9, 7, 5], 17);
    const run = () =>
      tf.tidy(() =>
        [tf.sum(tf.tensor4d(x, [4, 9, 7, 5]), [0, 1, 2]), tf.sum(tf.tensor4d(x, [4, 9, 7, 5]), [2, 0, 1], true), tf.sum(tf.tensor2d(x, [252, 5]), 0), tf.sum(tf.tensor2d(x, [252, 5]), 1), tf.sum(tf.tensor4d(x, [4, 9, 7, 5]))].map(
          (t) => [t.shape, t.dataSync() as Float32Array] as const,
        ),
      );
    const expected = await on('cpu', run);
    const actual = await on('wasm-native', run);
    actual.forEach(([shape, values], i) => {
      expect(shape).toEqual(expected[i][0]);
      expect(relDiff(values, expected[i][1])).toBeLessThan(TOL);
    });
  });

  it('Add and Multiply (same shape, a bias row on either side) equal plain wasm and cpu bit for bit; other broadcasts fall back', async () => {
    const CASES: [number[], number[]][] = [
      [[4, 5, 3], [4, 5, 3]],
      [[4, 5, 3], [3]],
      [[3], [4, 5, 3]],
      [[2, 3, 3, 6], [1, 1, 1, 6]],
      [[7, 1], [1]],
      [[2, 3], [2, 1]], // a column broadcast: the wasm kernel
      [[4, 2, 3], [2, 3]], // a broadcast of more than one row: the wasm kernel
      [[], []],
    ];
    const run = () =>
      tf.tidy(() =>
        CASES.flatMap(([sa, sb], i) => {
          // Special values too: ±0, ∞ and a NaN, whose sums and products must follow IEEE as wasm does.
          const va = randn([Math.max(1, sa.reduce((p, q) => p * q, 1))], 40 + i).map((v, j) => (j === 1 ? -0 : j === 2 ? Infinity : v));
          const vb = randn([Math.max(1, sb.reduce((p, q) => p * q, 1))], 60 + i).map((v, j) => (j === 1 ? 0 : j === 3 ? NaN : v));
          const a = tf.tensor(va, sa);
          const b = tf.tensor(vb, sb);
          return [tf.add(a, b), tf.mul(a, b)].map((t) => ({ shape: t.shape, bits: Array.from(new Uint32Array((t.dataSync() as Float32Array).slice().buffer)) }));
        }),
      );
    const expected = await on('cpu', run);
    expect(await on('wasm', run)).toEqual(expected);
    const addon = nativeKernels() ?? (await initBackend('wasm-native'), nativeKernels()!);
    const spy = vi.spyOn(addon, 'binary');
    try {
      expect(await on('wasm-native', run)).toEqual(expected);
      // Every case but the last two broadcasts, twice (add and multiply).
      expect(spy).toHaveBeenCalledTimes(2 * (CASES.length - 2));
    } finally {
      spy.mockRestore();
    }
  });

  it('a row of a product does not depend on the other rows (fixed summation order)', async () => {
    const a = randn([50, 300], 8);
    const b = randn([300, 40], 9);
    const [all, first] = await on('wasm-native', () =>
      tf.tidy(() => [
        tf.matMul(tf.tensor(a, [50, 300]), tf.tensor(b, [300, 40])).dataSync().slice(0, 40) as Float32Array,
        tf.matMul(tf.tensor(a.slice(0, 300), [1, 300]), tf.tensor(b, [300, 40])).dataSync() as Float32Array,
      ]),
    );
    expect(Array.from(first)).toEqual(Array.from(all));
  });

  // The AVX-512 micro-kernel (12×32 tiles) must give the AVX2 one's bits (6×16 tiles): each element
  // is the same FMA chain over k in both (native/albench_native.cc, "Determinism"), so results do
  // not depend on which x86-64 ran them. Shapes straddle both kernels' tile edges and the K block
  // of 256; the filter gradient accumulates over position chunks (C += …).
  const hasAvx512 = (() => {
    const addon = nativeKernelsMissing() === undefined ? nativeAddon() : undefined;
    if (!addon?.gemmIsa) return false;
    const was = addon.gemmIsa();
    try {
      addon.gemmIsa('avx512');
      return true;
    } catch {
      return false;
    } finally {
      addon.gemmIsa(was);
    }
  })();
  it.skipIf(!hasAvx512)('the AVX-512 and AVX2 GEMM kernels give the same bits (products and all three convolutions)', () => {
    const addon = nativeAddon()!;
    const both = (run: () => Float32Array): [Float32Array, Float32Array] => {
      const was = addon.gemmIsa!();
      try {
        addon.gemmIsa!('avx2');
        const narrow = run();
        addon.gemmIsa!('avx512');
        return [narrow, run()];
      } finally {
        addon.gemmIsa!(was);
      }
    };
    let seed = 30;
    for (const [m, n, k] of [[1, 17, 1], [11, 31, 5], [13, 33, 257], [25, 47, 600], [64, 256, 784], [97, 10, 128], [200, 64, 513]] as const) {
      for (const tA of [false, true]) {
        for (const tB of [false, true]) {
          const a = randn([m * k], seed++);
          const b = randn([k * n], seed++);
          const [narrow, wide] = both(() => {
            const c = new Float32Array(m * n);
            addon.matMul(a, b, c, 1, m, n, k, tA, tB, 0, 0);
            return c;
          });
          expect(Array.from(wide), `${m}×${k}·${k}×${n} tA ${tA} tB ${tB}`).toEqual(Array.from(narrow));
        }
      }
    }
    // [n, h, w, cin, fh, fw, cout, sh, sw, padTop, padLeft, oh, ow]: 'same' 3×3 on 28×28 (the cnn's
    // second layer) and a strided 5×5 with 40 output channels.
    for (const g of [Int32Array.of(8, 14, 14, 16, 3, 3, 32, 1, 1, 1, 1, 14, 14), Int32Array.of(3, 11, 11, 3, 5, 5, 40, 2, 2, 1, 1, 5, 5)]) {
      const [n, h, w, cin, fh, fw, cout, , , , , oh, ow] = g;
      const x = randn([n * h * w * cin], seed++);
      const filter = randn([fh * fw * cin * cout], seed++);
      const dy = randn([n * oh * ow * cout], seed++);
      const cases: [number, Float32Array, Float32Array, number][] = [
        [0, x, filter, n * oh * ow * cout],
        [1, x, dy, fh * fw * cin * cout],
        [2, dy, filter, n * h * w * cin],
      ];
      for (const [kind, a, b, size] of cases) {
        const [narrow, wide] = both(() => {
          const out = new Float32Array(size);
          addon.conv2d(kind, a, b, out, g);
          return out;
        });
        expect(Array.from(wide), `conv kind ${kind}, geometry ${g.join(',')}`).toEqual(Array.from(narrow));
      }
    }
  });

  // Small patches (K = fh·fw·cin ≤ 32, cout ≤ 64: a CNN's first layer) take direct kernels
  // instead of im2col + GEMM, and larger ones multiply a filter packed once for all chunks. Both
  // must give the bits of the addon's matMul on patches built here in JS: forward = patches · W,
  // filter gradient = patchesᵀ · dy (one product over all positions has the bits of any chunking:
  // albench_native.cc, gemm), input gradient = col2im(dy · Wᵀ) summed in position order.
  it('convolutions (direct small-patch kernels and im2col + GEMM) give the bits of matMul on JS-built patches', () => {
    const addon = nativeAddon()!;
    let seed = 50;
    // [n, h, w, cin, fh, fw, cout, sh, sw, padTop, padLeft, oh, ow]
    const geometries = [
      [3, 28, 28, 1, 3, 3, 16, 1, 1, 0, 0, 26, 26], // the reference cnn's first layer (valid), 2,028 positions: 8 K blocks
      [2, 9, 11, 3, 3, 3, 20, 1, 1, 1, 1, 9, 11], // 'same' padding, 8 + 8 + 4 channels (the scalar tail)
      [2, 10, 9, 2, 4, 4, 5, 2, 2, 1, 1, 5, 5], // stride 2, an even filter, fewer channels than a vector
      [2, 9, 11, 8, 3, 3, 40, 1, 1, 1, 1, 9, 11], // K = 72: im2col + GEMM with the filter packed once
      [1, 12, 12, 32, 3, 3, 24, 2, 2, 0, 0, 5, 5], // K = 288: two K blocks of 256
    ];
    for (const geometry of geometries) {
      const [n, h, w, cin, fh, fw, cout, sh, sw, padTop, padLeft, oh, ow] = geometry;
      const g = Int32Array.from(geometry);
      const x = randn([n * h * w * cin], seed++);
      const filter = randn([fh * fw * cin * cout], seed++);
      const dy = randn([n * oh * ow * cout], seed++);
      const K = fh * fw * cin;
      const P = n * oh * ow;
      // where[p·K + k]: the x index patch row p reads at tap k, or −1 in the padding.
      const where = new Int32Array(P * K);
      for (let b = 0, p = 0; b < n; b++) {
        for (let i = 0; i < oh; i++) {
          for (let j = 0; j < ow; j++, p++) {
            for (let r = 0; r < fh; r++) {
              for (let c = 0; c < fw; c++) {
                const y = i * sh - padTop + r;
                const xc = j * sw - padLeft + c;
                for (let ci = 0; ci < cin; ci++) {
                  where[p * K + (r * fw + c) * cin + ci] = y >= 0 && y < h && xc >= 0 && xc < w ? ((b * h + y) * w + xc) * cin + ci : -1;
                }
              }
            }
          }
        }
      }
      const patches = Float32Array.from(where, (at) => (at < 0 ? 0 : x[at]));
      const label = geometry.join(',');
      const forward = new Float32Array(P * cout);
      addon.conv2d(0, x, filter, forward, g);
      const viaGemm = new Float32Array(P * cout);
      addon.matMul(patches, filter, viaGemm, 1, P, cout, K, false, false, 0, 0);
      expect(Array.from(forward), `forward ${label}`).toEqual(Array.from(viaGemm));
      const dW = new Float32Array(K * cout);
      addon.conv2d(1, x, dy, dW, g);
      const dWviaGemm = new Float32Array(K * cout);
      addon.matMul(patches, dy, dWviaGemm, 1, K, cout, P, true, false, 0, 0);
      expect(Array.from(dW), `filter gradient ${label}`).toEqual(Array.from(dWviaGemm));
      const dx = new Float32Array(n * h * w * cin);
      addon.conv2d(2, dy, filter, dx, g);
      const dpatches = new Float32Array(P * K);
      addon.matMul(dy, filter, dpatches, 1, P, K, cout, false, true, 0, 0);
      const dxViaGemm = new Float32Array(n * h * w * cin);
      where.forEach((at, e) => {
        if (at >= 0) dxViaGemm[at] += dpatches[e];
      });
      expect(Array.from(dx), `input gradient ${label}`).toEqual(Array.from(dxViaGemm));
    }
  });

  // 400 steps reach t > ~350, where 1 − β1ᵗ rounds to 1 and the addon skips dividing by it.
  it('Adam steps are bitwise equal to the JS loop of plain wasm (5 steps, and 400: past the bias correction)', async () => {
    const grads = Array.from({ length: 400 }, (_, step) => randn([300, 7], 20 + (step % 7)));
    const train = (steps: number) => {
      const w = tf.variable(tf.tensor(randn([300, 7], 10), [300, 7]));
      const optimizer = new FusedAdamOptimizer(0.01);
      for (let step = 0; step < steps; step++) {
        tf.tidy(() => optimizer.applyGradients({ [w.name]: tf.tensor(grads[step], [300, 7]) }));
      }
      const values = w.dataSync() as Float32Array;
      optimizer.dispose();
      w.dispose();
      return values;
    };
    for (const steps of [5, 400]) {
      const js = await on('wasm', () => train(steps));
      const native = await on('wasm-native', () => train(steps));
      expect(Array.from(native), `${steps} steps`).toEqual(Array.from(js));
    }
  });

  it('sends the models\' products, convolutions, pool and bias gradients and Adam steps to the addon (not the wasm fallbacks)', async () => {
    await initBackend('wasm-native');
    const addon = nativeKernels();
    if (!addon) throw new Error('wasm-native is on but nativeKernels() is undefined');
    const spies = (['matMul', 'conv2d', 'maxPoolGrad', 'columnSums', 'adam'] as const).map((name) => vi.spyOn(addon, name));
    try {
      const model = tfl.sequential({
        layers: [
          tfl.layers.conv2d({ inputShape: [6, 6, 1], filters: 2, kernelSize: 3, activation: 'relu', kernelInitializer: tfl.initializers.glorotUniform({ seed: 1 }) }),
          tfl.layers.maxPooling2d({ poolSize: 2 }),
          tfl.layers.flatten(),
          tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: 2 }) }),
        ],
      });
      const optimizer = new FusedAdamOptimizer(0.01);
      tf.tidy(() => {
        optimizer.minimize(() => tf.mean(tf.square(model.apply(tf.ones([2, 6, 6, 1])) as tf.Tensor)));
      });
      optimizer.dispose();
      model.dispose();
      for (const spy of spies) expect(spy).toHaveBeenCalled();
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  it('leaves no tensors behind', async () => {
    await initBackend('wasm-native');
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const x = tf.tensor(randn([9, 12], 11), [9, 12]);
      const w = tf.tensor(randn([12, 4], 12), [12, 4]);
      tf.grads((xs: tf.Tensor, ws: tf.Tensor) => tf.sum(tf.fused.matMul({ a: xs, b: ws, bias: tf.ones([4]), activation: 'relu' })))([x, w]);
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
