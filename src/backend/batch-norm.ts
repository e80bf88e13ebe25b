/**
 * Batch normalisation in training mode (Ioffe & Szegedy 2015, "Batch Normalization: Accelerating
 * Deep Network Training by Reducing Internal Covariate Shift", Algorithm 1 and §3's gradients) as
 * two kernels, a forward and a closed-form backward, over x viewed as [rows, C] (channels last).
 *
 * Why: tfjs-layers trains batch norm as `tf.moments` + `tf.batchNorm`, and their gradients
 * (tfjs-core/src/gradients/FusedBatchNorm_grad.ts, Mean_grad.ts, SquaredDifference_grad.ts) tile
 * [C] tensors to x's full shape and reduce every term separately: `Tile` alone was 23 % of a
 * ResNet-18 training step on wasm-native (scripts/profile-training.mjs), `Mean` 9 %. Here the
 * forward is three passes over x and the backward two:
 *   μ = Σx/rows,  σ² = Σ(x − μ)²/rows (biased, as tf.moments),  y = (x − μ)·γ/√(σ² + ε) + β
 *   dβ = Σ dy,  dγ = Σ dy·x̂,  dx = γ/√(σ² + ε)·(dy − dβ/rows − x̂·dγ/rows),  x̂ = (x − μ)/√(σ² + ε)
 * with every sum over rows in order and accumulated in double, so the result is deterministic and
 * closer to the exact value than tfjs's float32 chain (not bitwise equal to it).
 *
 * Kernels `AlbenchBatchNormTrain` (x, gamma, beta → y, mean, variance, invstd) and
 * `AlbenchBatchNormGrad` (x, dy, mean, invstd, gamma → dx, dgamma, dbeta) are registered for
 * 'wasm' (the addon under wasm-native, else the JS loop on views of the wasm heap) and 'cpu'. On
 * other backends `batchNormTraining` returns undefined and the caller keeps tfjs's own ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs-core';

import { nativeKernels } from './native-kernels.js';

export const BATCH_NORM_TRAIN = 'AlbenchBatchNormTrain';
export const BATCH_NORM_GRAD = 'AlbenchBatchNormGrad';

interface Buffers {
  /** A float32 view of a tensor's values. */
  view(t: TensorInfo): Float32Array;
  output(shape: number[]): TensorInfo;
}

function forwardLoop(x: Float32Array, gamma: Float32Array, beta: Float32Array, y: Float32Array, mean: Float32Array, variance: Float32Array, invstd: Float32Array, rows: number, c: number, eps: number): void {
  const acc = new Float64Array(c);
  for (let i = 0; i < rows; i++) for (let j = 0, o = i * c; j < c; j++) acc[j] += x[o + j];
  const n = Math.max(rows, 1);
  for (let j = 0; j < c; j++) {
    mean[j] = acc[j] / n;
    acc[j] = 0;
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0, o = i * c; j < c; j++) {
      const d = x[o + j] - mean[j];
      acc[j] += d * d;
    }
  }
  const scale = new Float32Array(c);
  for (let j = 0; j < c; j++) {
    const v = acc[j] / n;
    const is = 1 / Math.sqrt(v + eps);
    variance[j] = v;
    invstd[j] = is;
    scale[j] = gamma[j] * is;
  }
  for (let i = 0; i < rows; i++) for (let j = 0, o = i * c; j < c; j++) y[o + j] = (x[o + j] - mean[j]) * scale[j] + beta[j];
}

function backwardLoop(x: Float32Array, dy: Float32Array, mean: Float32Array, invstd: Float32Array, gamma: Float32Array, dx: Float32Array, dgamma: Float32Array, dbeta: Float32Array, rows: number, c: number): void {
  const sdy = new Float64Array(c);
  const sdyx = new Float64Array(c);
  for (let i = 0; i < rows; i++) {
    for (let j = 0, o = i * c; j < c; j++) {
      sdy[j] += dy[o + j];
      sdyx[j] += dy[o + j] * (x[o + j] - mean[j]);
    }
  }
  const n = Math.max(rows, 1);
  const k0 = new Float32Array(c);
  const k1 = new Float32Array(c);
  const k2 = new Float32Array(c);
  for (let j = 0; j < c; j++) {
    const dg = sdyx[j] * invstd[j];
    dbeta[j] = sdy[j];
    dgamma[j] = dg;
    k1[j] = gamma[j] * invstd[j];
    k0[j] = (-gamma[j] * invstd[j] * sdy[j]) / n;
    k2[j] = (-gamma[j] * invstd[j] * invstd[j] * dg) / n;
  }
  for (let i = 0; i < rows; i++) for (let j = 0, o = i * c; j < c; j++) dx[o + j] = k1[j] * dy[o + j] + k2[j] * (x[o + j] - mean[j]) + k0[j];
}

function checkFloat32(kernel: string, inputs: Record<string, TensorInfo>): void {
  for (const [name, t] of Object.entries(inputs)) {
    if (t.dtype !== 'float32') throw new Error(`${kernel}: input '${name}' has dtype ${t.dtype}; allowed: float32.`);
  }
}

/** rows × C of x, after checking that the per-channel inputs have C values. */
function geometry(kernel: string, x: TensorInfo, perChannel: Record<string, TensorInfo>): { rows: number; c: number } {
  const c = x.shape[x.shape.length - 1] ?? 0;
  for (const [name, t] of Object.entries(perChannel)) {
    if (tf.util.sizeFromShape(t.shape) !== c) throw new Error(`${kernel}: input '${name}' has shape [${t.shape}], expected [${c}] (x's last axis).`);
  }
  return { rows: c === 0 ? 0 : tf.util.sizeFromShape(x.shape) / c, c };
}

function trainKernel(buffers: (backend: unknown) => Buffers, native: boolean): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, gamma, beta } = inputs as { x: TensorInfo; gamma: TensorInfo; beta: TensorInfo };
    checkFloat32(BATCH_NORM_TRAIN, { x, gamma, beta });
    const { rows, c } = geometry(BATCH_NORM_TRAIN, x, { gamma, beta });
    const eps = (attrs as unknown as { epsilon: number }).epsilon;
    const b = buffers(backend);
    const outs = [b.output([...x.shape]), b.output([c]), b.output([c]), b.output([c])];
    // Views only after the allocations: a wasm heap growth detaches earlier ones.
    const [y, mean, variance, invstd] = outs.map((t) => b.view(t));
    const addon = native ? nativeKernels() : undefined;
    // An addon built before these kernels existed lacks them: the JS loop then.
    if (addon?.batchNormForward) addon.batchNormForward(b.view(x), b.view(gamma), b.view(beta), y, mean, variance, invstd, rows, c, eps);
    else forwardLoop(b.view(x), b.view(gamma), b.view(beta), y, mean, variance, invstd, rows, c, eps);
    return outs;
  };
}

function gradKernel(buffers: (backend: unknown) => Buffers, native: boolean): KernelFunc {
  return ({ inputs, backend }) => {
    const { x, dy, mean, invstd, gamma } = inputs as { x: TensorInfo; dy: TensorInfo; mean: TensorInfo; invstd: TensorInfo; gamma: TensorInfo };
    checkFloat32(BATCH_NORM_GRAD, { x, dy, mean, invstd, gamma });
    const { rows, c } = geometry(BATCH_NORM_GRAD, x, { mean, invstd, gamma });
    if (tf.util.sizeFromShape(dy.shape) !== rows * c) throw new Error(`${BATCH_NORM_GRAD}: input 'dy' has shape [${dy.shape}], expected x's [${x.shape}].`);
    const b = buffers(backend);
    const outs = [b.output([...x.shape]), b.output([c]), b.output([c])];
    const [dx, dgamma, dbeta] = outs.map((t) => b.view(t));
    const addon = native ? nativeKernels() : undefined;
    if (addon?.batchNormBackward) addon.batchNormBackward(b.view(x), b.view(dy), b.view(mean), b.view(invstd), b.view(gamma), dx, dgamma, dbeta, rows, c);
    else backwardLoop(b.view(x), b.view(dy), b.view(mean), b.view(invstd), b.view(gamma), dx, dgamma, dbeta, rows, c);
    return outs;
  };
}

interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

const wasmBuffers = (backend: unknown): Buffers => {
  const kb = backend as WasmHeapBackend;
  return { view: (t) => kb.typedArrayFromHeap(t), output: (shape) => kb.makeOutput(shape, 'float32') };
};

interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

const cpuBuffers = (backend: unknown): Buffers => {
  const kb = backend as CpuBackend;
  return {
    view: (t) => kb.data.get(t.dataId).values,
    output: (shape) => kb.makeTensorInfo(shape, 'float32', new Float32Array(tf.util.sizeFromShape(shape))),
  };
};

/** Registers both kernels on 'wasm' and 'cpu'. Idempotent. */
export function registerBatchNormKernels(): void {
  // The addon only ever sees the wasm heap; the cpu kernels are the JS loops.
  for (const [backendName, buffers, native] of [
    ['wasm', wasmBuffers, true],
    ['cpu', cpuBuffers, false],
  ] as const) {
    if (tf.getKernel(BATCH_NORM_TRAIN, backendName) === undefined) tf.registerKernel({ kernelName: BATCH_NORM_TRAIN, backendName, kernelFunc: trainKernel(buffers, native) });
    if (tf.getKernel(BATCH_NORM_GRAD, backendName) === undefined) tf.registerKernel({ kernelName: BATCH_NORM_GRAD, backendName, kernelFunc: gradKernel(buffers, native) });
  }
}

/**
 * Batch norm of x over every axis but the last, in training mode, differentiable in x, gamma and
 * beta; also returns the batch statistics (for the moving averages, not differentiated). Undefined
 * when the active backend has no kernels (tfjs-node): the caller then uses tfjs's ops.
 */
export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): { y: tf.Tensor; mean: tf.Tensor; variance: tf.Tensor } | undefined {
  registerBatchNormKernels();
  if (tf.getKernel(BATCH_NORM_TRAIN, tf.getBackend()) === undefined || x.dtype !== 'float32') return undefined;
  let stats: [tf.Tensor, tf.Tensor] | undefined;
  const run = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xi, g, b] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const [y, mean, variance, invstd] = tf.engine().runKernel(BATCH_NORM_TRAIN, { x: xi, gamma: g, beta: b }, { epsilon } as unknown as NamedAttrMap) as tf.Tensor[];
    // customGrad's value is one tensor; the statistics leave its tidy scope kept, and the caller owns them.
    stats = [tf.keep(mean), tf.keep(variance)];
    save([xi, mean, invstd, g]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, smean, sinvstd, sgamma] = saved;
        const [dx, dgamma, dbeta] = tf.engine().runKernel(BATCH_NORM_GRAD, { x: sx, dy, mean: smean, invstd: sinvstd, gamma: sgamma }) as tf.Tensor[];
        return [dx, tf.reshape(dgamma, g.shape), tf.reshape(dbeta, b.shape)];
      },
    };
  });
  const y = run(x, gamma, beta);
  const [mean, variance] = stats!;
  return { y, mean, variance };
}
