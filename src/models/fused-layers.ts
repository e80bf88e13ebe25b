/**
 * Dense and 2-D convolution layers that stay one fused kernel (`_FusedMatMul`, `FusedConv2D`:
 * product, bias and relu in one pass) while training, for the zoo's models: dense layers with a
 * relu or no activation, convolutions with a relu.
 *
 * Why: tfjs-core runs its fused ops unfused whenever a gradient is being recorded
 * (tfjs-core/src/ops/fused_util.ts, `shouldFuse`: `gradientDepth === 0 || activation === 'linear'`),
 * so every relu layer trains as three kernels (product, `Add`, `Relu`) and five more in the
 * backward pass (`Step`, `Cast`, `Multiply`, the bias `Sum`, reshapes), each a pass over the
 * activations and a node on the tape. A linear dense layer stays fused, but through a custom
 * gradient that reshapes everything to rank 3 first: the same kernels and several more calls.
 *
 * These layers run the fused kernel through the engine and register gradients for it that call
 * the kernels of the unfused chain's gradients (Relu_grad, Add_grad, BatchMatMul_grad,
 * Conv2D_grad in tfjs-core/src/gradients) with the same inputs and attributes: dy·step(y) (step of
 * the relu's output equals step of its input, NaN included) and the bias's `Sum` over all axes but
 * the last, both from one native pass with those kernels' bits, then the products or backprop
 * convolutions of dy·step(y). So the weights after training are bit for bit those of tfjs's own
 * layers (test/models/fused-layers.test.ts), and the tape keeps the engine's pruning: a first
 * layer's input gradient is never computed.
 *
 * Anything else (inference, other backends, other activations, no bias, other ranks,
 * channels-first, dilations) is the stock layer's own `call`. The subclasses keep the stock class
 * names ('Dense', 'Conv2D'), which code that walks a model checks (models/embeddings.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { KernelFunc, TensorInfo } from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';

import { nativeKernels } from '../backend/native-kernels.js';

type DenseArgs = Parameters<typeof tfl.layers.dense>[0];
type Conv2DArgs = Parameters<typeof tfl.layers.conv2d>[0];

/** A stock layer class, from the registry the layers serialise through (the package exports only factories). */
function registeredLayer<A>(className: string): new (args: A) => tfl.layers.Layer {
  const entry = tf.serialization.SerializationMap.getMap().classNameMap[className];
  if (entry === undefined) throw new Error(`fused-layers: tfjs-layers has no registered '${className}' layer`);
  return entry[0] as unknown as new (args: A) => tfl.layers.Layer;
}

/** The fields of the stock layers that their `call` reads (private in tfjs-layers' types). */
interface LayerVariables {
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
}
interface ConvFields extends LayerVariables {
  strides: [number, number];
  padding: string;
  dataFormat: string;
  dilationRate: [number, number];
}

/**
 * Whether to run the fused kernel: a gradient is being recorded (else tfjs fuses anyway) and the
 * backend is wasm-native, whose fused kernels are its product or convolution followed by the same
 * one-add-per-element bias and relu as the unfused chain. Stock wasm's (XNNPACK) and tfjs-node's
 * fused kernels start their sums from the bias, other bits, so they keep tfjs's unfused training.
 */
function fuseHere(): boolean {
  return tf.engine().state.gradientDepth > 0 && nativeKernels() !== undefined;
}

function oneTensor(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

/**
 * The kernel for the backward pass of relu(· + bias): [dy·step(y), Σ over all axes but the last], in
 * one native pass (native/albench_native.cc, reluGradBias) with the bits of tfjs's `Step`,
 * `Multiply` and the bias's `Sum` (which wasm-native runs as columnSums).
 */
const RELU_GRAD_BIAS = 'AlbenchReluGradBias';

interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

const reluGradBiasWasm: KernelFunc = ({ inputs, backend }) => {
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
  const addon = nativeKernels();
  if (!addon?.reluGradBias) throw new Error(`${RELU_GRAD_BIAS}: needs the wasm-native addon`);
  const heap = backend as unknown as WasmHeapBackend;
  const cols = dy.shape[dy.shape.length - 1];
  const dyAct = heap.makeOutput([...dy.shape], 'float32');
  const db = heap.makeOutput([cols], 'float32');
  // Views only after the allocations: a heap growth would detach earlier ones.
  const view = (t: TensorInfo) => heap.typedArrayFromHeap(t);
  addon.reluGradBias(view(dy), view(y), view(dyAct), view(db), tf.util.sizeFromShape(dy.shape) / Math.max(cols, 1), cols);
  return [dyAct, db];
};

/** dy·step(y) for y = relu(·) and the bias gradient (Add_grad: a Sum over the broadcast axes, reshaped to the bias). */
function reluAndBiasGrads(dy: tf.Tensor, y: tf.Tensor, bias: tf.Tensor, activation: string | undefined): { dyAct: tf.Tensor; db: () => tf.Tensor } {
  if (activation === 'relu') {
    const [dyAct, db] = tf.engine().runKernel(RELU_GRAD_BIAS, { dy, y }, {}) as tf.Tensor[];
    return { dyAct, db: () => tf.reshape(db, bias.shape) };
  }
  const axes = Array.from({ length: dy.rank - 1 }, (_, i) => i);
  return { dyAct: dy, db: () => tf.reshape(tf.sum(dy, axes), bias.shape) };
}

let registered = false;

/** Gradients for `_FusedMatMul` and `FusedConv2D` with a bias and relu or linear activation. Idempotent. */
export function registerFusedGradients(): void {
  if (registered) return;
  registered = true;
  if (tf.getKernel(RELU_GRAD_BIAS, 'wasm') === undefined) tf.registerKernel({ kernelName: RELU_GRAD_BIAS, backendName: 'wasm', kernelFunc: reluGradBiasWasm });
  if (tf.getGradient(tf._FusedMatMul) === undefined) {
    tf.registerGradient({
      kernelName: tf._FusedMatMul,
      inputsToSave: ['a', 'b', 'bias'],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const [a, b, bias, y] = saved;
        const { transposeA, transposeB, activation } = attrs as unknown as tf._FusedMatMulAttrs;
        if (transposeA || transposeB) throw new Error('fused-layers: the _FusedMatMul gradient covers untransposed products only');
        const { dyAct, db } = reluAndBiasGrads(dy as tf.Tensor, y, bias, activation);
        return {
          a: () => tf.matMul(dyAct, b, false, true),
          b: () => tf.matMul(a, dyAct, true, false),
          bias: db,
        };
      },
    });
  }
  if (tf.getGradient(tf.FusedConv2D) === undefined) {
    tf.registerGradient({
      kernelName: tf.FusedConv2D,
      inputsToSave: ['x', 'filter', 'bias'],
      outputsToSave: [true],
      gradFunc: (dy, saved, attrs) => {
        const [x, filter, bias, y] = saved;
        const { strides, pad, dataFormat, dimRoundingMode, activation } = attrs as unknown as tf.FusedConv2DAttrs;
        const { dyAct, db } = reluAndBiasGrads(dy as tf.Tensor, y, bias, activation);
        const common = { strides, pad, dataFormat, dimRoundingMode };
        return {
          x: () => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy: dyAct, filter }, { ...common, inputShape: x.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
          filter: () => tf.engine().runKernel(tf.Conv2DBackpropFilter, { x, dy: dyAct }, { ...common, filterShape: filter.shape } as unknown as tf.NamedAttrMap) as tf.Tensor,
          bias: db,
        };
      },
    });
  }
}

const Dense = registeredLayer<DenseArgs>('Dense');
const Conv2D = registeredLayer<Conv2DArgs>('Conv2D');

/** The activation the fused kernel applies, or undefined when the layer's is another one. */
function fusedActivation(activation: string | undefined): 'relu' | 'linear' | undefined {
  if (activation === 'relu') return 'relu';
  return activation === undefined || activation === 'linear' ? 'linear' : undefined;
}

/** `tfl.layers.dense` that trains as one `_FusedMatMul` when it has a bias and a relu or no activation. */
class FusedDense extends Dense {
  private readonly activationName: 'relu' | 'linear' | undefined;

  constructor(args: DenseArgs) {
    super(args);
    registerFusedGradients();
    this.activationName = args.useBias === false ? undefined : fusedActivation(args.activation);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = oneTensor(inputs);
    if (this.activationName === undefined || !fuseHere() || x.rank !== 2 || x.dtype !== 'float32') return super.call(inputs, kwargs);
    const { kernel, bias } = this as unknown as LayerVariables;
    const attrs = { transposeA: false, transposeB: false, activation: this.activationName, leakyreluAlpha: 0 };
    return tf.engine().runKernel(tf._FusedMatMul, { a: x, b: kernel.read(), bias: bias!.read() }, attrs) as tf.Tensor;
  }
}

/** `tfl.layers.conv2d` that trains as one `FusedConv2D` when it has a relu and a bias (channels last). */
class FusedConv2D extends Conv2D {
  private readonly fusable: boolean;

  constructor(args: Conv2DArgs) {
    super(args);
    registerFusedGradients();
    this.fusable = args.activation === 'relu' && args.useBias !== false;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    const x = oneTensor(inputs);
    const f = this as unknown as ConvFields;
    if (!this.fusable || !fuseHere() || x.rank !== 4 || x.dtype !== 'float32' || f.dataFormat !== 'channelsLast' || f.dilationRate.some((d) => d !== 1)) return super.call(inputs, kwargs);
    // The attributes tfjs-layers' conv2dWithBiasActivation gives tfc.fused.conv2d.
    const attrs = { strides: f.strides, pad: f.padding === 'same' ? 'same' : 'valid', dataFormat: 'NHWC', dilations: f.dilationRate, dimRoundingMode: undefined, activation: 'relu', leakyreluAlpha: 0 };
    return tf.engine().runKernel(tf.FusedConv2D, { x, filter: f.kernel.read(), bias: f.bias!.read() }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
  }
}

/** A dense layer (the arguments of `tfl.layers.dense`) that stays fused while training. */
export function fusedDense(args: DenseArgs): tfl.layers.Layer {
  return new FusedDense(args);
}

/** A 2-D convolution (the arguments of `tfl.layers.conv2d`) that stays fused while training. */
export function fusedConv2d(args: Conv2DArgs): tfl.layers.Layer {
  return new FusedConv2D(args);
}
