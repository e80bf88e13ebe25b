/**
 * The `wasm-native` backend: tfjs's wasm backend with its matrix products (`BatchMatMul`,
 * `_FusedMatMul`), 2-D convolutions (`Conv2D`, `FusedConv2D` and both gradients, as im2col +
 * GEMM), max-pool gradient, bias-gradient sums, bias adds and products (`Add`, `Multiply`), batch norm
 * (batch-norm.ts) and albench's Adam update done by a small C++ addon (native/albench_native.cc,
 * AVX2 + FMA, built by `npm install` when a C++ compiler is present). The addon works in place
 * on views of the wasm heap, so tensors stay where the wasm backend keeps them and every other
 * kernel is the wasm one.
 *
 * Why a native matmul: the wasm binary's XNNPACK matmul has 128-bit SIMD and no FMA, ~16 GFLOP/s
 * here, and dense layers are nearly all of an MLP's time; the addon's GEMM runs at 40–85 GFLOP/s
 * on one core (`npm run bench:backend`). tfjs-node would do the same but cannot install offline.
 *
 * Its float results differ from plain wasm's (another summation order), so it is a backend of
 * its own name: results record `wasm-native`, and `albench verify` re-runs them on it.
 * Switching happens per process (`setNativeKernels`); the kernels registered for 'wasm' ask
 * `nativeKernels()` on each call and fall back to the wasm path when it is off.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
import type {
  BatchMatMulAttrs,
  Conv2DAttrs,
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  FusedConv2DAttrs,
  KernelBackend,
  MaxPoolGradAttrs,
  SumAttrs,
  KernelFunc,
  TensorInfo,
  _FusedMatMulAttrs,
} from '@tensorflow/tfjs-core';

/** The addon's exports (see native/albench_native.cc for the exact contracts). */
export interface NativeAddon {
  /** The CPU has AVX2 and FMA; the kernels must not be called otherwise. */
  readonly cpuSupported: boolean;
  /** For t < batch: C_t = op(A_t)·op(B_t), A_t at t·strideA (0 broadcasts), C_t at t·m·n. */
  matMul(a: Float32Array, b: Float32Array, c: Float32Array, batch: number, m: number, n: number, k: number, transposeA: boolean, transposeB: boolean, strideA: number, strideB: number): void;
  /** c[i][j] = act(c[i][j] + bias[j]) in place; act is relu or the identity. */
  biasActivation(c: Float32Array, bias: Float32Array | null, m: number, n: number, relu: boolean): void;
  /** NHWC 2-D convolution (kind 0), its filter gradient (1) or input gradient (2); geometry: see convGeometry. */
  conv2d(kind: number, a: Float32Array, b: Float32Array, out: Float32Array, geometry: Int32Array): void;
  /** dx of an NHWC max pool; geometry [n, h, w, c, oh, ow, fh, fw, sh, sw, padTop, padLeft]. */
  maxPoolGrad(x: Float32Array, dy: Float32Array, dx: Float32Array, geometry: Int32Array): void;
  /** out[j] = Σ_i x[i·cols + j], rows in order, accumulated in double. */
  columnSums(x: Float32Array, out: Float32Array, rows: number, cols: number): void;
  /** Batch norm in training mode over x as [rows, C]: y and the per-channel statistics (batch-norm.ts). */
  batchNormForward(x: Float32Array, gamma: Float32Array, beta: Float32Array, y: Float32Array, mean: Float32Array, variance: Float32Array, invstd: Float32Array, rows: number, c: number, epsilon: number): void;
  /** Its gradient: dx, dgamma, dbeta from x, dy and the forward's mean and invstd (batch-norm.ts). */
  batchNormBackward(x: Float32Array, dy: Float32Array, mean: Float32Array, invstd: Float32Array, gamma: Float32Array, dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, rows: number, c: number): void;
  /** dyAct = dy · step(y) and biasGrad = Σ_rows dyAct over [rows, cols], in one pass (models/fused-layers.ts). */
  reluGradBias?(dy: Float32Array, y: Float32Array, dyAct: Float32Array, biasGrad: Float32Array, rows: number, cols: number): void;
  /** out = a + b (op 0) or a · b (op 1) over [rows, cols]; b of the same size, or one row broadcast (rowB). */
  binary?(op: number, a: Float32Array, b: Float32Array, out: Float32Array, rows: number, cols: number, rowB: boolean): void;
  /**
   * The GEMM micro-kernel in use, 'avx2' (6×16 tiles) or 'avx512' (12×32, the default where the CPU
   * has AVX-512F); with a name, switches to it. Both give the same bits (albench_native.cc, "Determinism").
   */
  gemmIsa?(name?: 'avx2' | 'avx512'): 'avx2' | 'avx512';
  /** The Adam step of fused-adam.ts's adamLoop, bitwise equal to it. */
  adam(param: Float32Array, grad: Float32Array, m: Float32Array, v: Float32Array, out: Float32Array, lr: number, beta1: number, beta2: number, epsilon: number, correction1: number, correction2: number): void;
}

/** Where `npm install` (scripts/build-native.mjs) puts the addon; the same from src/ and dist/. */
export const NATIVE_ADDON_PATH = fileURLToPath(new URL('../../native/build/Release/albench_native.node', import.meta.url));

let loaded: { addon?: NativeAddon; missing?: string } | undefined;

function load(): { addon?: NativeAddon; missing?: string } {
  if (loaded) return loaded;
  if (process.arch !== 'x64') {
    loaded = { missing: `the native kernels are x86-64 only (this is ${process.arch})` };
  } else if (!existsSync(NATIVE_ADDON_PATH)) {
    loaded = { missing: `the native addon ${NATIVE_ADDON_PATH} is not built (npm install builds it with a C++ compiler: see README, "Backends")` };
  } else {
    try {
      const addon = createRequire(import.meta.url)(NATIVE_ADDON_PATH) as NativeAddon;
      loaded = addon.cpuSupported ? { addon } : { missing: 'this CPU lacks AVX2 or FMA, which the native kernels need' };
    } catch (err) {
      loaded = { missing: `the native addon failed to load: ${err instanceof Error ? err.message.split('\n', 1)[0] : String(err)}` };
    }
  }
  return loaded;
}

/** Why `wasm-native` cannot start here, or undefined when it can. */
export function nativeKernelsMissing(): string | undefined {
  return load().missing;
}

let enabled = false;

/** Turns the native kernels on or off for this process; throws when asked for them and they are missing. */
export function setNativeKernels(on: boolean): void {
  const missing = nativeKernelsMissing();
  if (on && missing !== undefined) throw new Error(`wasm-native: ${missing}`);
  enabled = on;
}

/** The addon, whichever backend is active (undefined when it is missing): for tests and benchmarks. */
export function nativeAddon(): NativeAddon | undefined {
  return load().addon;
}

/** The addon while `wasm-native` is the active choice, else undefined. */
export function nativeKernels(): NativeAddon | undefined {
  return enabled ? load().addon : undefined;
}

// ---------------------------------------------------------------------------------------------
// Kernels (registered on 'wasm' by wasm-kernels.ts)
// ---------------------------------------------------------------------------------------------

interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

/** The shapes of a product the addon can take, or undefined to leave it to the wasm kernel. */
interface Product {
  batch: number;
  m: number;
  n: number;
  k: number;
  strideA: number;
  strideB: number;
  outShape: number[];
}

/**
 * Rank 2 × rank 2, or rank 3 × rank 3 whose batches are equal or 1 (broadcast): everything the
 * models and strategies multiply. Other ranks keep tfjs's own broadcasting rules on the wasm path.
 */
function productOf(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): Product | undefined {
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length !== b.shape.length) return undefined;
  const rank = a.shape.length;
  if (rank !== 2 && rank !== 3) return undefined;
  const [ra, ca] = a.shape.slice(-2);
  const [rb, cb] = b.shape.slice(-2);
  const [m, k] = transposeA ? [ca, ra] : [ra, ca];
  const [kb, n] = transposeB ? [cb, rb] : [rb, cb];
  if (k !== kb) return undefined; // the wasm kernel reports the mismatch in tfjs's words
  if (rank === 2) return { batch: 1, m, n, k, strideA: 0, strideB: 0, outShape: [m, n] };
  const [batchA, batchB] = [a.shape[0], b.shape[0]];
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) return undefined;
  const batch = Math.max(batchA, batchB);
  return { batch, m, n, k, strideA: batchA === 1 ? 0 : m * k, strideB: batchB === 1 ? 0 : k * n, outShape: [batch, m, n] };
}

function runProduct(addon: NativeAddon, backend: KernelBackend, a: TensorInfo, b: TensorInfo, p: Product, transposeA: boolean, transposeB: boolean): TensorInfo {
  const heap = backend as unknown as WasmHeap;
  const out = heap.makeOutput(p.outShape, 'float32');
  // Views only after the allocation: a heap growth would detach earlier ones.
  addon.matMul(heap.typedArrayFromHeap(a), heap.typedArrayFromHeap(b), heap.typedArrayFromHeap(out), p.batch, p.m, p.n, p.k, transposeA, transposeB, p.strideA, p.strideB);
  return out;
}

/**
 * Whether the addon can apply a fused op's epilogue: linear or relu, no prelu weights, and a
 * float32 bias of one value per output column (or none). Anything else stays on the stock kernel.
 */
function plainEpilogue(activation: string | undefined, prelu: TensorInfo | undefined, bias: TensorInfo | undefined, columns: number | undefined): boolean {
  const columnBias = bias === undefined || (bias.dtype === 'float32' && bias.shape.length === 1 && bias.shape[0] === columns);
  return (activation === 'linear' || activation === 'relu') && prelu === undefined && columnBias;
}

/** out[i][j] = act(out[i][j] + bias[j]) in place over `rows` × `columns`; nothing to do for linear without bias. */
function applyEpilogue(addon: NativeAddon, backend: KernelBackend, out: TensorInfo, bias: TensorInfo | undefined, activation: string | undefined, rows: number, columns: number): void {
  if (bias === undefined && activation !== 'relu') return;
  const heap = backend as unknown as WasmHeap;
  addon.biasActivation(heap.typedArrayFromHeap(out), bias ? heap.typedArrayFromHeap(bias) : null, rows, columns, activation === 'relu');
}

/** `BatchMatMul` on the addon when `wasm-native` is on and the shapes allow, else `wasmPath`. */
export function nativeBatchMatMul(wasmPath: KernelFunc): KernelFunc {
  return (args) => {
    const addon = nativeKernels();
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
    const product = addon && productOf(a, b, transposeA, transposeB);
    if (!addon || !product) return wasmPath(args);
    return runProduct(addon, args.backend as KernelBackend, a, b, product, transposeA, transposeB);
  };
}

/**
 * `_FusedMatMul` (what tfjs-layers' Dense runs) on the addon for the linear and relu activations
 * with a per-column bias or none; anything else (prelu, leaky relu, other bias shapes) goes to
 * the stock wasm kernel.
 */
export function nativeFusedMatMul(stock: KernelFunc): KernelFunc {
  return (args) => {
    const addon = nativeKernels();
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined> as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const { transposeA, transposeB, activation } = args.attrs as unknown as _FusedMatMulAttrs;
    const product = addon && productOf(a, b, transposeA, transposeB);
    if (!addon || !product || !plainEpilogue(activation, preluActivationWeights, bias, product.n)) return stock(args);
    const backend = args.backend as KernelBackend;
    const out = runProduct(addon, backend, a, b, product, transposeA, transposeB);
    applyEpilogue(addon, backend, out, bias, activation, product.batch * product.m, product.n);
    return out;
  };
}

/** What the addon's conv2d needs, or undefined to leave the call to the wasm kernels. */
function convGeometry(
  xShape: number[],
  filterShape: number[],
  attrs: { strides: number | [number, number]; pad: Conv2DAttrs['pad']; dataFormat: 'NHWC' | 'NCHW'; dilations?: number | [number, number]; dimRoundingMode?: 'floor' | 'round' | 'ceil' },
  dtypes: string[],
): Int32Array | undefined {
  if (dtypes.some((d) => d !== 'float32') || backend_util.convertConv2DDataFormat(attrs.dataFormat) !== 'channelsLast') return undefined;
  const info = backend_util.computeConv2DInfo(
    xShape as [number, number, number, number],
    filterShape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return undefined;
  return Int32Array.of(
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.filterHeight,
    info.filterWidth,
    info.outChannels,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
    info.outHeight,
    info.outWidth,
  );
}

const enum ConvKind {
  Forward = 0,
  Filter = 1,
  Input = 2,
}

function runConv(addon: NativeAddon, backend: KernelBackend, kind: ConvKind, a: TensorInfo, b: TensorInfo, outShape: number[], geometry: Int32Array): TensorInfo {
  const heap = backend as unknown as WasmHeap;
  const out = heap.makeOutput(outShape, 'float32');
  addon.conv2d(kind, heap.typedArrayFromHeap(a), heap.typedArrayFromHeap(b), heap.typedArrayFromHeap(out), geometry);
  return out;
}

/** Output shape [n, oh, ow, cout] from a geometry. */
function convOutShape(g: Int32Array): number[] {
  return [g[0], g[11], g[12], g[6]];
}

/** `Conv2D` (NHWC, no dilation) as im2col + the addon's GEMM; anything else goes to `wasmPath`. */
export function nativeConv2D(wasmPath: KernelFunc): KernelFunc {
  return (args) => {
    const addon = nativeKernels();
    const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
    const g = addon && convGeometry(x.shape, filter.shape, args.attrs as unknown as Conv2DAttrs, [x.dtype, filter.dtype]);
    if (!addon || !g) return wasmPath(args);
    return runConv(addon, args.backend as KernelBackend, ConvKind.Forward, x, filter, convOutShape(g), g);
  };
}

/** `FusedConv2D` (tfjs-layers' Conv2D) with a per-channel bias or none and linear/relu activation. */
export function nativeFusedConv2D(stock: KernelFunc): KernelFunc {
  return (args) => {
    const addon = nativeKernels();
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined> as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const attrs = args.attrs as unknown as FusedConv2DAttrs;
    const g = addon && convGeometry(x.shape, filter.shape, attrs, [x.dtype, filter.dtype]);
    if (!addon || !g || !plainEpilogue(attrs.activation, preluActivationWeights, bias, filter.shape[3])) return stock(args);
    const backend = args.backend as KernelBackend;
    const out = runConv(addon, backend, ConvKind.Forward, x, filter, convOutShape(g), g);
    applyEpilogue(addon, backend, out, bias, attrs.activation, g[0] * g[11] * g[12], g[6]);
    return out;
  };
}

/** `Conv2DBackpropFilter`: dW = im2col(x)ᵀ · dy. */
export function nativeConv2DBackpropFilter(wasmPath: KernelFunc): KernelFunc {
  return (args) => {
    const addon = nativeKernels();
    const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropFilterAttrs;
    const g = addon && convGeometry(x.shape, attrs.filterShape, attrs, [x.dtype, dy.dtype]);
    if (!addon || !g) return wasmPath(args);
    return runConv(addon, args.backend as KernelBackend, ConvKind.Filter, x, dy, [...attrs.filterShape], g);
  };
}

/** `Conv2DBackpropInput`: dx = col2im(dy · Wᵀ). */
export function nativeConv2DBackpropInput(wasmPath: KernelFunc): KernelFunc {
  return (args) => {
    const addon = nativeKernels();
    const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
    const attrs = args.attrs as unknown as Conv2DBackpropInputAttrs;
    const g = addon && convGeometry(attrs.inputShape, filter.shape, attrs, [dy.dtype, filter.dtype]);
    if (!addon || !g) return wasmPath(args);
    return runConv(addon, args.backend as KernelBackend, ConvKind.Input, dy, filter, [...attrs.inputShape], g);
  };
}

/** `MaxPoolGrad` in one native pass (the same routing rule as the wasm path's JS loop). */
export function nativeMaxPoolGrad(wasmPath: KernelFunc): KernelFunc {
  return (args) => {
    const addon = nativeKernels();
    const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
    if (!addon || input.dtype !== 'float32' || dy.dtype !== 'float32') return wasmPath(args);
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
    const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const geometry = Int32Array.of(
      info.batchSize,
      info.inHeight,
      info.inWidth,
      info.inChannels,
      info.outHeight,
      info.outWidth,
      info.filterHeight,
      info.filterWidth,
      info.strideHeight,
      info.strideWidth,
      info.padInfo.top,
      info.padInfo.left,
    );
    const heap = args.backend as unknown as WasmHeap;
    const dx = heap.makeOutput([...input.shape], 'float32');
    addon.maxPoolGrad(heap.typedArrayFromHeap(input), heap.typedArrayFromHeap(dy), heap.typedArrayFromHeap(dx), geometry);
    return dx;
  };
}

/**
 * `Sum` over every axis but the last (a layer's bias gradient) as one pass of column sums; the
 * wasm kernel would first transpose the reduced axes to the end. Other reductions stay on wasm.
 */
export function nativeSum(stock: KernelFunc): KernelFunc {
  return (args) => {
    const addon = nativeKernels();
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as unknown as SumAttrs;
    const rank = x.shape.length;
    const axes = rank === 0 ? [] : tf.util.parseAxisParam(axis, x.shape);
    const allButLast = rank >= 2 && axes.length === rank - 1 && [...axes].sort((p, q) => p - q).every((a, i) => a === i);
    if (!addon || !allButLast || x.dtype !== 'float32') return stock(args);
    const cols = x.shape[rank - 1];
    const heap = args.backend as unknown as WasmHeap;
    const out = heap.makeOutput(keepDims ? [...x.shape.slice(0, -1).map(() => 1), cols] : [cols], 'float32');
    addon.columnSums(heap.typedArrayFromHeap(x), heap.typedArrayFromHeap(out), tf.util.sizeFromShape(x.shape) / Math.max(cols, 1), cols);
    return out;
  };
}

/**
 * `Add` and `Multiply` of float32 tensors of the same shape, or of a full tensor and one
 * broadcast over its last axis (a bias: [C], [1, C], [1, 1, 1, C]), in one native pass. One IEEE
 * float operation per element, as in the wasm kernel, so the bits are the same; the wasm kernel's
 * broadcasting path costs about twice its same-shape path (a layer's bias add under training,
 * where tfjs unfuses conv/dense + bias + relu). Other shapes and dtypes stay on the wasm kernel.
 */
export function nativeBinary(op: 'add' | 'multiply', stock: KernelFunc): KernelFunc {
  const code = op === 'add' ? 0 : 1;
  return (args) => {
    const addon = nativeKernels();
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    if (!addon?.binary || a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
    const sameShape = tf.util.arraysEqual(a.shape, b.shape);
    // Both ops commute bit for bit, so the full operand may be on either side.
    const [full, other] = !sameShape && tf.util.sizeFromShape(a.shape) < tf.util.sizeFromShape(b.shape) ? [b, a] : [a, b];
    const cols = full.shape[full.shape.length - 1] ?? 1;
    const rowB =
      !sameShape &&
      full.shape.length >= 1 &&
      other.shape.length >= 1 &&
      other.shape.length <= full.shape.length &&
      other.shape[other.shape.length - 1] === cols &&
      other.shape.slice(0, -1).every((d) => d === 1);
    if (!sameShape && !rowB) return stock(args);
    const heap = args.backend as unknown as WasmHeap;
    const out = heap.makeOutput([...full.shape], 'float32');
    const size = tf.util.sizeFromShape(full.shape);
    const rows = rowB ? (cols === 0 ? 0 : size / cols) : 1;
    addon.binary(code, heap.typedArrayFromHeap(full), heap.typedArrayFromHeap(other), heap.typedArrayFromHeap(out), rows, rowB ? cols : size, rowB);
    return out;
  };
}
