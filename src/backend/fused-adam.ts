/**
 * Adam (Kingma & Ba 2015, "Adam: A Method for Stochastic Optimization", Algorithm 1) as one fused
 * kernel per variable, instead of tfjs's ~12 elementwise kernels per variable and step
 * (tfjs-core/src/optimizers/adam_optimizer.ts). Each of those kernels is a pass over memory plus
 * an engine dispatch; for the reference MLP they were a fifth of a training step on wasm.
 *
 * The update is tfjs's, evaluated per element in double precision and stored as float32:
 *   m ← β1·m + (1 − β1)·g,   v ← β2·v + (1 − β2)·g²,
 *   θ ← θ − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε)
 * so it agrees with `tf.train.adam` to float tolerance (not bitwise: tfjs rounds every
 * intermediate to float32). It is deterministic: one sequential loop, no reductions.
 *
 * The kernel `AlbenchAdam` is registered for 'wasm' (a loop over views of the wasm heap, or the
 * same loop in C++ under `wasm-native`, bitwise equal: native/albench_native.cc) and
 * 'cpu' (a loop over the backend's arrays). Any other backend (tfjs-node) runs the same formula
 * with tf ops. The moments are optimizer-private buffers that the kernel updates in place; the
 * parameter gets a new buffer, because a variable's buffer may be shared with a clone (a
 * `clone()` shares its dataId), e.g. the initial weights the loop restores each round.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, NamedAttrMap, NamedTensorMap, TensorInfo } from '@tensorflow/tfjs-core';

import { nativeKernels } from './native-kernels.js';

/** tfjs's `NamedTensor`, which tfjs-core does not export from its index. */
interface NamedTensor {
  name: string;
  tensor: tf.Tensor;
}

/** Kernel name; unique to albench so it can never shadow a tfjs kernel. */
export const FUSED_ADAM = 'AlbenchAdam';

interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − β1ᵗ and 1 − β2ᵗ for the current step t (1-based). */
  correction1: number;
  correction2: number;
}

/** θ, g, m, v → new θ; m and v are updated in place. All four have the same length. */
function adamLoop(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, out: Float32Array, a: AdamAttrs): void {
  const { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, correction1: c1, correction2: c2 } = a;
  const k1 = 1 - b1;
  const k2 = 1 - b2;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mi = b1 * m[i] + k1 * gi;
    const vi = b2 * v[i] + k2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    out[i] = p[i] - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  }
}

function checkInputs(inputs: Record<string, TensorInfo>): { param: TensorInfo; grad: TensorInfo; m: TensorInfo; v: TensorInfo } {
  const { param, grad, m, v } = inputs as { param: TensorInfo; grad: TensorInfo; m: TensorInfo; v: TensorInfo };
  const size = tf.util.sizeFromShape(param.shape);
  for (const [name, t] of Object.entries({ param, grad, m, v })) {
    if (t.dtype !== 'float32') throw new Error(`${FUSED_ADAM}: input '${name}' has dtype ${t.dtype}; allowed: float32.`);
    if (tf.util.sizeFromShape(t.shape) !== size) {
      throw new Error(`${FUSED_ADAM}: input '${name}' has shape [${t.shape}], expected the parameter's [${param.shape}].`);
    }
  }
  return { param, grad, m, v };
}

interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

const wasmAdam: KernelFunc = ({ inputs, backend, attrs }) => {
  const { param, grad, m, v } = checkInputs(inputs as Record<string, TensorInfo>);
  const kb = backend as unknown as WasmHeapBackend;
  const out = kb.makeOutput([...param.shape], 'float32');
  // Views only after the allocation: a heap growth would detach earlier ones.
  const view = (t: TensorInfo) => kb.typedArrayFromHeap(t);
  const a = attrs as unknown as AdamAttrs;
  const addon = nativeKernels();
  if (addon) addon.adam(view(param), view(grad), view(m), view(v), view(out), a.learningRate, a.beta1, a.beta2, a.epsilon, a.correction1, a.correction2);
  else adamLoop(view(param), view(grad), view(m), view(v), view(out), a);
  return out;
};

interface CpuBackend {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: 'float32', values: Float32Array): TensorInfo;
}

const cpuAdam: KernelFunc = ({ inputs, backend, attrs }) => {
  const { param, grad, m, v } = checkInputs(inputs as Record<string, TensorInfo>);
  const kb = backend as unknown as CpuBackend;
  const values = (t: TensorInfo) => kb.data.get(t.dataId).values;
  const out = new Float32Array(tf.util.sizeFromShape(param.shape));
  adamLoop(values(param), values(grad), values(m), values(v), out, attrs as unknown as AdamAttrs);
  return kb.makeTensorInfo([...param.shape], 'float32', out);
};

/** Registers `AlbenchAdam` on 'wasm' and 'cpu'. Idempotent. */
export function registerFusedAdam(): void {
  for (const [backendName, kernelFunc] of [
    ['wasm', wasmAdam],
    ['cpu', cpuAdam],
  ] as const) {
    if (tf.getKernel(FUSED_ADAM, backendName) === undefined) tf.registerKernel({ kernelName: FUSED_ADAM, backendName, kernelFunc });
  }
}

/**
 * `tf.train.adam` with the fused update. Use like any tfjs optimizer (`minimize`,
 * `applyGradients`); call `dispose()` to free the moments.
 */
export class FusedAdamOptimizer extends tf.Optimizer {
  static get className(): string {
    return 'AlbenchFusedAdam';
  }

  private step = 0;
  private readonly moments = new Map<string, { m: tf.Tensor; v: tf.Tensor }>();

  constructor(
    // Mutable: a schedule sets it before each step; the kernel takes it as an attribute per call,
    // so nothing is re-created and, tfjs running kernels eagerly, nothing is retraced.
    public learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    // tfjs's default: the backend's epsilon (1e-7 for float32).
    readonly epsilon = tf.backend().epsilon(),
  ) {
    super();
    registerFusedAdam();
  }

  override applyGradients(variableGradients: NamedTensorMap | NamedTensor[]): void {
    const entries = Array.isArray(variableGradients)
      ? variableGradients.map((e) => [e.name, e.tensor] as const)
      : Object.entries(variableGradients);
    this.step++;
    const attrs: AdamAttrs = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      correction1: 1 - Math.pow(this.beta1, this.step),
      correction2: 1 - Math.pow(this.beta2, this.step),
    };
    const fused = tf.getKernel(FUSED_ADAM, tf.getBackend()) !== undefined;
    for (const [name, grad] of entries) {
      if (grad == null) continue;
      const variable = tf.engine().registeredVariables[name];
      let state = this.moments.get(name);
      if (state === undefined) {
        state = { m: tf.keep(tf.zeros(variable.shape)), v: tf.keep(tf.zeros(variable.shape)) };
        this.moments.set(name, state);
      }
      if (fused) {
        const next = tf.engine().runKernel(FUSED_ADAM, { param: variable, grad, m: state.m, v: state.v }, attrs as unknown as NamedAttrMap) as tf.Tensor;
        variable.assign(next);
        next.dispose();
      } else {
        this.opsUpdate(variable, grad, state, attrs);
      }
    }
    this.incrementIterations();
  }

  /** The same update with tf ops, for backends without the kernel. */
  private opsUpdate(variable: tf.Variable, grad: tf.Tensor, state: { m: tf.Tensor; v: tf.Tensor }, a: AdamAttrs): void {
    const [m, v, next] = tf.tidy(() => {
      const m = tf.add(tf.mul(state.m, a.beta1), tf.mul(grad, 1 - a.beta1));
      const v = tf.add(tf.mul(state.v, a.beta2), tf.mul(tf.square(grad), 1 - a.beta2));
      const step = tf.div(tf.div(m, a.correction1), tf.add(tf.sqrt(tf.div(v, a.correction2)), a.epsilon));
      return [m, v, tf.sub(variable, tf.mul(step, a.learningRate))];
    });
    tf.dispose([state.m, state.v]);
    // Kept: the caller's tidy (around minimize) would otherwise free the new moments.
    state.m = tf.keep(m);
    state.v = tf.keep(v);
    variable.assign(next);
    next.dispose();
  }

  override dispose(): void {
    for (const { m, v } of this.moments.values()) tf.dispose([m, v]);
    this.moments.clear();
    super.dispose();
  }

  override async getWeights(): Promise<NamedTensor[]> {
    throw new Error('FusedAdamOptimizer.getWeights: not supported; albench never saves optimizer state.');
  }

  override async setWeights(): Promise<void> {
    throw new Error('FusedAdamOptimizer.setWeights: not supported; albench never restores optimizer state.');
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}
