/**
 * Extra kernels for the tfjs `wasm` backend (4.22), so that CNNs can train on it and dense
 * backward passes are not stuck on its slow matmul path.
 *
 * Where the approach comes from:
 * - /work/shared/DESIGN.md, section "Backends": a `Conv2DBackpropFilter` built from the forward
 *   `Conv2D` (input and dy transposed so that batch becomes the reduced axis, strides as
 *   dilations) matched the cpu gradients; an explicit `Transpose` before the untransposed
 *   matmul lifted MLP training 5×.
 * - tfjs's own cpu kernel, tfjs-backend-cpu/src/kernels/Conv2DBackpropFilter.ts, defines the sum
 *   we reproduce, and we take the pads from the same `backend_util.computeConv2DInfo` call:
 *     dW[r, c, ci, co] = Σ_{b, yR, yC} x[b, r + yR·sH − padTop, c + yC·sW − padLeft, ci] · dy[b, yR, yC, co]
 * - tfjs-backend-wasm/src/cc/batch_mat_mul_impl.cc: only `!transposeA && !transposeB` with a
 *   batch of 1 on both sides goes to XNNPACK (`xnn_matmul`); everything else runs a naive
 *   blocked loop (`slow_batch_matmul`). That is why the transpose flags cost so much.
 *
 * Both kernels call other wasm kernels' `kernelFunc`s directly with the wasm backend, not tf ops:
 * ops inside a kernel would run through the engine on whatever backend is active, and would be
 * tracked as tensors. Every intermediate here is a bare TensorInfo, freed with `disposeData`.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
// The stock wasm kernels we build on must be registered before ours.
import '@tensorflow/tfjs-backend-wasm';
import type {
  BatchMatMulAttrs,
  Conv2DBackpropFilterAttrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  NamedAttrMap,
  TensorInfo,
} from '@tensorflow/tfjs-core';

const WASM = 'wasm';

/**
 * Marks our kernel funcs, so a second registration (also from another copy of this module,
 * e.g. src and dist loaded in one process) can tell that the work is already done.
 */
const MARK = Symbol.for('albench.wasmKernel');
type MarkedKernelFunc = KernelFunc & { [MARK]?: true };

function mark(fn: KernelFunc): KernelFunc {
  (fn as MarkedKernelFunc)[MARK] = true;
  return fn;
}

function isOurs(config: KernelConfig | undefined): boolean {
  return config !== undefined && (config.kernelFunc as MarkedKernelFunc)[MARK] === true;
}

/** The kernel registry's lookup returns undefined at runtime although its type says otherwise. */
function findKernel(kernelName: string): KernelConfig | undefined {
  return tf.getKernel(kernelName, WASM) as KernelConfig | undefined;
}

function requireKernel(kernelName: string): KernelFunc {
  const config = findKernel(kernelName);
  if (config === undefined) {
    throw new Error(
      `registerWasmKernels: the wasm backend has no '${kernelName}' kernel to build on; ` +
        `import '@tensorflow/tfjs-backend-wasm' before registering.`,
    );
  }
  return config.kernelFunc;
}

/** The kernels we compose, bound to the wasm backend that the engine passes in. */
interface WasmOps {
  run(kernel: KernelFunc, inputs: Record<string, TensorInfo>, attrs: object): TensorInfo;
  free(...infos: TensorInfo[]): void;
}

function wasmOps(backend: KernelBackend): WasmOps {
  return {
    run(kernel, inputs, attrs) {
      return kernel({ inputs, backend, attrs: attrs as NamedAttrMap }) as TensorInfo;
    },
    free(...infos) {
      for (const info of infos) backend.disposeData(info.dataId);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Conv2DBackpropFilter
// ---------------------------------------------------------------------------------------------

/**
 * Padding of the forward conv, turned into the explicit pads of the "filter-gradient conv".
 * The forward conv reads x rows r + yR·s − padTop for yR < outH and r < fH, so the padded
 * input must reach (outH − 1)·s + fH rows. Rows past x's end read zeros, as in the cpu loop.
 * When x already reaches further (stride leftovers under 'valid'), the result has extra rows
 * which the caller crops.
 */
function gradPads(inSize: number, outSize: number, filterSize: number, stride: number, before: number) {
  const extent = (outSize - 1) * stride + filterSize;
  const after = Math.max(0, extent - before - inSize);
  return { before, after };
}

function conv2DBackpropFilterWasm(
  stock: { conv2D: KernelFunc; transpose: KernelFunc; slice: KernelFunc },
): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } =
      attrs as unknown as Conv2DBackpropFilterAttrs;
    const ops = wasmOps(backend as KernelBackend);

    const $dataFormat = backend_util.convertConv2DDataFormat(dataFormat);
    if ($dataFormat !== 'channelsLast') {
      throw new Error(
        `wasm Conv2DBackpropFilter: dataFormat '${dataFormat}' is not supported; allowed: 'NHWC'.`,
      );
    }
    if (x.dtype !== 'float32' || dy.dtype !== 'float32') {
      throw new Error(`wasm Conv2DBackpropFilter: dtypes x=${x.dtype}, dy=${dy.dtype}; allowed: float32.`);
    }
    // Same call as the cpu kernel: conv gradients in tfjs only exist for dilations 1.
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      $dataFormat,
    );
    const { filterHeight: fH, filterWidth: fW, strideHeight: sH, strideWidth: sW } = info;
    const padH = gradPads(info.inHeight, info.outHeight, fH, sH, info.padInfo.top);
    const padW = gradPads(info.inWidth, info.outWidth, fW, sW, info.padInfo.left);

    // x [N,H,W,Cin] → [Cin,H,W,N]: Cin becomes the batch, N the reduced channel axis.
    const xT = ops.run(stock.transpose, { x }, { perm: [3, 1, 2, 0] });
    // dy [N,oH,oW,Cout] → [oH,oW,N,Cout]: a filter of size oH×oW from N to Cout channels.
    const dyT = ops.run(stock.transpose, { x: dy }, { perm: [1, 2, 0, 3] });
    // Stride 1, and the forward strides as dilations: filter tap (yR, yC) meets x row r + yR·sH.
    // xT, dyT → [Cin, ≥fH, ≥fW, Cout]
    const conv = ops.run(
      stock.conv2D,
      { x: xT, filter: dyT },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [padH.before, padH.after],
          [padW.before, padW.after],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [sH, sW],
        dimRoundingMode: undefined,
      },
    );
    // dyT was handed to XNNPACK as a filter; freeing it also drops the operator cached on it.
    ops.free(xT, dyT);

    let cropped = conv;
    if (conv.shape[1] !== fH || conv.shape[2] !== fW) {
      cropped = ops.run(stock.slice, { x: conv }, { begin: [0, 0, 0, 0], size: [-1, fH, fW, -1] });
      ops.free(conv);
    }
    // [Cin,fH,fW,Cout] → [fH,fW,Cin,Cout]
    const dW = ops.run(stock.transpose, { x: cropped }, { perm: [1, 2, 0, 3] });
    ops.free(cropped);
    return dW;
  };
}

// ---------------------------------------------------------------------------------------------
// BatchMatMul
// ---------------------------------------------------------------------------------------------

function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

function batchSize(t: TensorInfo): number {
  return t.shape.slice(0, -2).reduce((a, b) => a * b, 1);
}

function fastBatchMatMulWasm(stock: { batchMatMul: KernelFunc; transpose: KernelFunc }): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    const ops = wasmOps(backend as KernelBackend);

    // Only a batch of 1 on both sides can reach XNNPACK. Batched products stay on the naive
    // loop whatever we do, and an extra transpose there only adds a copy (measured).
    const xnnEligible = batchSize(a) === 1 && batchSize(b) === 1;
    if ((!transposeA && !transposeB) || !xnnEligible || a.dtype !== 'float32' || b.dtype !== 'float32') {
      return ops.run(stock.batchMatMul, { a, b }, attrs ?? {});
    }

    const aT = transposeA ? ops.run(stock.transpose, { x: a }, { perm: swapLastTwo(a.shape.length) }) : a;
    const bT = transposeB ? ops.run(stock.transpose, { x: b }, { perm: swapLastTwo(b.shape.length) }) : b;
    // A transposed b is a fresh tensor, so XNNPACK packs it anew; freeing it drops that operator.
    const out = ops.run(stock.batchMatMul, { a: aT, b: bT }, { ...attrs, transposeA: false, transposeB: false });
    if (aT !== a) ops.free(aT);
    if (bT !== b) ops.free(bT);
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

/**
 * Registers the extra wasm kernels: `Conv2DBackpropFilter` (absent from stock wasm 4.22) and a
 * `BatchMatMul` that transposes explicitly instead of taking the slow transposed path.
 * Idempotent. Call it before or after `tf.setBackend('wasm')`; the stock setup function is
 * kept, so a later backend initialisation still prepares the stock kernel we delegate to.
 */
export function registerWasmKernels(): void {
  const transpose = requireKernel(tf.Transpose);

  // A future tfjs that ships its own kernel wins; ours is only a stand-in.
  if (findKernel(tf.Conv2DBackpropFilter) === undefined) {
    tf.registerKernel({
      kernelName: tf.Conv2DBackpropFilter,
      backendName: WASM,
      kernelFunc: mark(
        conv2DBackpropFilterWasm({
          conv2D: requireKernel(tf.Conv2D),
          transpose,
          slice: requireKernel(tf.Slice),
        }),
      ),
    });
  }

  const stockMatMul = findKernel(tf.BatchMatMul);
  if (stockMatMul === undefined) {
    throw new Error(`registerWasmKernels: the wasm backend has no '${tf.BatchMatMul}' kernel to wrap.`);
  }
  if (!isOurs(stockMatMul)) {
    // Unregister first: registerKernel over an existing key logs a warning.
    tf.unregisterKernel(tf.BatchMatMul, WASM);
    tf.registerKernel({
      ...stockMatMul,
      kernelFunc: mark(fastBatchMatMulWasm({ batchMatMul: stockMatMul.kernelFunc, transpose })),
    });
  }
}
