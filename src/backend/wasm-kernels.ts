/**
 * Extra kernels for the tfjs `wasm` backend (4.22), so that CNNs can train on it and dense
 * backward passes are not stuck on its slow matmul path.
 *
 * Profile of one reference-CNN training step (batch 64, `tf.profile`) before the last two:
 * `Conv2DBackpropInput` 42 % and `MaxPoolGrad` 16 % of kernel time, both stock naive loops; see
 * scripts/bench-backend.mjs for the end-to-end figures against PyTorch.
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
 * The kernels call other wasm kernels' `kernelFunc`s directly with the wasm backend, not tf ops:
 * ops inside a kernel would run through the engine on whatever backend is active, and would be
 * tracked as tensors. Every intermediate here is a bare TensorInfo, freed with `disposeData`.
 * Cheap reshuffles (filter rotation, stride dilation, pool routing) are JS loops over views of the
 * wasm heap (`typedArrayFromHeap`): no copies across the JS/wasm boundary, and no extra kernels.
 */
import * as tf from '@tensorflow/tfjs-core';
import { backend_util } from '@tensorflow/tfjs-core';
// The stock wasm kernels we build on must be registered before ours.
import '@tensorflow/tfjs-backend-wasm';
import {
  nativeBatchMatMul,
  nativeBinary,
  nativeConv2D,
  nativeConv2DBackpropFilter,
  nativeConv2DBackpropInput,
  nativeFusedConv2D,
  nativeFusedMatMul,
  nativeMaxPoolGrad,
  nativeSum,
} from './native-kernels.js';
import type {
  BatchMatMulAttrs,
  Conv2DBackpropFilterAttrs,
  Conv2DBackpropInputAttrs,
  GatherV2Attrs,
  KernelBackend,
  KernelConfig,
  KernelFunc,
  MaxPoolGradAttrs,
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
// Conv2DBackpropInput
// ---------------------------------------------------------------------------------------------

/** A float32 view of a wasm tensor's bytes. Take views after the last allocation: a heap growth detaches them. */
function heapF32(backend: KernelBackend, info: TensorInfo): Float32Array {
  return (backend as unknown as { typedArrayFromHeap(t: TensorInfo): Float32Array }).typedArrayFromHeap(info);
}

function makeOutput(backend: KernelBackend, shape: number[]): TensorInfo {
  return (backend as unknown as { makeOutput(shape: number[], dtype: 'float32'): TensorInfo }).makeOutput(shape, 'float32');
}

/**
 * dx as a forward convolution, so that it runs on XNNPACK instead of the stock naive loop
 * (tfjs-backend-wasm/src/cc/kernels/Conv2DBackpropInput.cc). From the forward sum
 *   y[b, i, j, co] = Σ_{r, c, ci} x[b, i·sH + r − padTop, j·sW + c − padLeft, ci] · W[r, c, ci, co]
 * follows, with dy dilated by the stride (dyD[b, i·sH, j·sW] = dy[b, i, j], zeros between):
 *   dx[b, p, q, ci] = Σ_{r', c', co} dyD[b, p + r' − (fH − 1 − padTop), q + c' − (fW − 1 − padLeft), co]
 *                                   · W[fH − 1 − r', fW − 1 − c', ci, co]
 * i.e. a stride-1 conv of dyD, padded by fH − 1 − padTop before and inH + padTop − dyD rows after,
 * with the filter rotated by 180° and its in/out channels swapped. Pads that would be negative
 * (explicit pads wider than the filter) go to the stock kernel.
 */
function conv2DBackpropInputWasm(stock: { conv2D: KernelFunc; conv2DBackpropInput: KernelFunc }): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    const kb = backend as KernelBackend;
    const ops = wasmOps(kb);
    const fallback = () => ops.run(stock.conv2DBackpropInput, { dy, filter }, attrs ?? {});

    const $dataFormat = backend_util.convertConv2DDataFormat(dataFormat);
    if ($dataFormat !== 'channelsLast' || dy.dtype !== 'float32' || filter.dtype !== 'float32') return fallback();
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filter.shape as [number, number, number, number],
      strides,
      1,
      pad,
      dimRoundingMode,
      false,
      $dataFormat,
    );
    const { batchSize: n, filterHeight: fH, filterWidth: fW, strideHeight: sH, strideWidth: sW } = info;
    const { inChannels: cin, outChannels: cout, outHeight: oH, outWidth: oW } = info;
    const dilH = (oH - 1) * sH + 1;
    const dilW = (oW - 1) * sW + 1;
    const top = fH - 1 - info.padInfo.top;
    const left = fW - 1 - info.padInfo.left;
    const bottom = info.inHeight + info.padInfo.top - dilH;
    const right = info.inWidth + info.padInfo.left - dilW;
    if (top < 0 || left < 0 || bottom < 0 || right < 0) return fallback();

    const rotated = makeOutput(kb, [fH, fW, cout, cin]);
    const dilated = sH === 1 && sW === 1 ? dy : makeOutput(kb, [n, dilH, dilW, cout]);
    // Views only now: both allocations above may grow the heap.
    const w = heapF32(kb, filter);
    const wr = heapF32(kb, rotated);
    for (let r = 0; r < fH; r++) {
      for (let c = 0; c < fW; c++) {
        const src = ((fH - 1 - r) * fW + (fW - 1 - c)) * cin * cout; // W[fH−1−r, fW−1−c, ·, ·]
        const dst = (r * fW + c) * cout * cin;
        for (let ci = 0; ci < cin; ci++) {
          for (let co = 0; co < cout; co++) wr[dst + co * cin + ci] = w[src + ci * cout + co];
        }
      }
    }
    if (dilated !== dy) {
      const d = heapF32(kb, dy);
      const dd = heapF32(kb, dilated);
      dd.fill(0);
      for (let b = 0; b < n; b++) {
        for (let i = 0; i < oH; i++) {
          for (let j = 0; j < oW; j++) {
            const src = ((b * oH + i) * oW + j) * cout;
            dd.set(d.subarray(src, src + cout), ((b * dilH + i * sH) * dilW + j * sW) * cout);
          }
        }
      }
    }
    const dx = ops.run(
      stock.conv2D,
      { x: dilated, filter: rotated },
      {
        strides: [1, 1],
        pad: [
          [0, 0],
          [top, bottom],
          [left, right],
          [0, 0],
        ],
        dataFormat: 'NHWC',
        dilations: [1, 1],
        dimRoundingMode: undefined,
      },
    );
    // The rotated filter is fresh each call; freeing it drops the XNNPACK operator cached on it.
    ops.free(rotated);
    if (dilated !== dy) ops.free(dilated);
    return dx;
  };
}

// ---------------------------------------------------------------------------------------------
// MaxPoolGrad
// ---------------------------------------------------------------------------------------------

/**
 * dx of a 2-D max pool, straight on the wasm heap: one pass over the windows, each routing its dy
 * to the first maximum of its window. That is the cpu kernel's rule
 * (tfjs-backend-cpu/src/utils/pool_utils.ts, maxPoolPositions: `pixel > maxValue`), so ties go the
 * same way. The stock wasm kernel is a naive per-dx loop over every window that might cover it.
 */
function maxPoolGradWasm(): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
    if (input.dtype !== 'float32' || dy.dtype !== 'float32') {
      throw new Error(`wasm MaxPoolGrad: dtypes input=${input.dtype}, dy=${dy.dtype}; allowed: float32.`);
    }
    const kb = backend as KernelBackend;
    const info = backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      filterSize,
      strides,
      1,
      pad,
      dimRoundingMode,
    );
    const { batchSize: n, inHeight: H, inWidth: W, inChannels: C, outHeight: oH, outWidth: oW } = info;
    const { strideHeight: sH, strideWidth: sW, filterHeight: fH, filterWidth: fW } = info;
    const { top, left } = info.padInfo;
    const dxInfo = makeOutput(kb, [...input.shape]);
    const x = heapF32(kb, input);
    const g = heapF32(kb, dy);
    const dx = heapF32(kb, dxInfo);
    dx.fill(0);
    for (let b = 0; b < n; b++) {
      const xb = b * H * W * C;
      for (let i = 0; i < oH; i++) {
        const r0 = Math.max(0, i * sH - top);
        const r1 = Math.min(H, i * sH - top + fH);
        for (let j = 0; j < oW; j++) {
          const c0 = Math.max(0, j * sW - left);
          const c1 = Math.min(W, j * sW - left + fW);
          const gRow = ((b * oH + i) * oW + j) * C;
          for (let ch = 0; ch < C; ch++) {
            let best = -Infinity;
            let at = -1;
            for (let r = r0; r < r1; r++) {
              for (let c = c0; c < c1; c++) {
                const k = xb + (r * W + c) * C + ch;
                if (x[k] > best) {
                  best = x[k];
                  at = k;
                }
              }
            }
            // A window of NaNs (or one entirely in the padding) has no maximum; cpu drops its dy too.
            if (at >= 0) dx[at] += g[gRow + ch];
          }
        }
      }
    }
    return dxInfo;
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
// GatherV2
// ---------------------------------------------------------------------------------------------

/**
 * `gather(x, indices)` along axis 0 (whole rows: what batching and RandAugment's per-op subsets
 * do) as one `TypedArray.set` per row on the wasm heap. The stock kernel computes every element's
 * source index on its own: a [32, 28, 28, 1] gather took ~3 ms. Pure data movement, so the bits
 * are the stock kernel's; other axes, batch dims and dtypes go to it, as do out-of-range indices
 * (it reports them).
 */
function gatherRowsWasm(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
    const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
    const rowAxis = x.shape.length > 0 && tf.util.parseAxisParam(axis, x.shape)[0] === 0;
    if (!rowAxis || (batchDims ?? 0) !== 0 || x.dtype !== 'float32' || indices.dtype !== 'int32') return stock(args);
    const kb = args.backend as KernelBackend;
    const heap = kb as unknown as { typedArrayFromHeap(t: TensorInfo): Int32Array | Float32Array };
    const rows = x.shape[0];
    const idx = heap.typedArrayFromHeap(indices) as Int32Array;
    for (let i = 0; i < idx.length; i++) if (!(idx[i] >= 0 && idx[i] < rows)) return stock(args);
    const rowSize = tf.util.sizeFromShape(x.shape.slice(1));
    const out = makeOutput(kb, [...indices.shape, ...x.shape.slice(1)]);
    // Views only now: the allocation may grow the heap.
    const at = heap.typedArrayFromHeap(indices) as Int32Array;
    const src = heapF32(kb, x);
    const dst = heapF32(kb, out);
    for (let i = 0; i < at.length; i++) dst.set(src.subarray(at[i] * rowSize, (at[i] + 1) * rowSize), i * rowSize);
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// Identity
// ---------------------------------------------------------------------------------------------

/**
 * `Identity` as a new reference to the same buffer, as the cpu backend does it
 * (tfjs-backend-cpu/src/kernels/Identity.ts) and wasm's own `Reshape`: the stock wasm kernel copies.
 * The engine runs Identity for every tensor a gradient saves (`Engine.clone` in
 * saveTensorsForBackwardMode): 5–9 % of an MLP or CNN training step was these copies
 * (scripts/profile-training.mjs). Tensors are immutable, so sharing gives the same bits; the one
 * kernel that writes in place, AlbenchAdam, only writes the optimizer's own moments, which never
 * pass through Identity. Strings stay on the stock kernel.
 */
function identityWasm(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    if (x.dtype === 'string') return stock(args);
    return shareBuffer(args.backend as KernelBackend, x);
  };
}

function shareBuffer(backend: KernelBackend, x: TensorInfo): TensorInfo {
  (backend as unknown as { incRef(dataId: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
}

/**
 * `Cast` to the dtype x already has as a shared buffer too (the cpu backend does the same): every
 * relu gradient casts its float32 step mask to float32 (tfjs-core/src/gradients/Relu_grad.ts),
 * and the stock kernel copies. Real conversions stay on the stock kernel.
 */
function castWasm(stock: KernelFunc): KernelFunc {
  return (args) => {
    const { x } = args.inputs as { x: TensorInfo };
    const { dtype } = args.attrs as unknown as { dtype: string };
    if (x.dtype !== dtype || dtype === 'string') return stock(args);
    return shareBuffer(args.backend as KernelBackend, x);
  };
}

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

/**
 * Swaps a stock wasm kernel for ours, keeping its setup function (it prepares the wasm export
 * the stock kernel needs, which ours may delegate to). A no-op when ours is already in place.
 */
function replaceStock(kernelName: string, make: (stock: KernelFunc) => KernelFunc): void {
  const stock = findKernel(kernelName);
  if (stock === undefined) {
    throw new Error(`registerWasmKernels: the wasm backend has no '${kernelName}' kernel to replace.`);
  }
  if (isOurs(stock)) return;
  // Unregister first: registerKernel over an existing key logs a warning.
  tf.unregisterKernel(kernelName, WASM);
  tf.registerKernel({ ...stock, kernelFunc: mark(make(stock.kernelFunc)) });
}

/**
 * Registers the extra wasm kernels: `Conv2DBackpropFilter` (absent from stock wasm 4.22), a
 * `BatchMatMul` that transposes explicitly instead of taking the slow transposed path, and
 * `Conv2DBackpropInput` and `MaxPoolGrad` in place of the stock naive loops, row gathers, and
 * `Identity` and same-dtype `Cast` that share the input's buffer instead of copying it.
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
        nativeConv2DBackpropFilter(
          conv2DBackpropFilterWasm({
            conv2D: requireKernel(tf.Conv2D),
            transpose,
            slice: requireKernel(tf.Slice),
          }),
        ),
      ),
    });
  }

  const conv2D = requireKernel(tf.Conv2D);
  replaceStock(tf.Conv2DBackpropInput, (conv2DBackpropInput) =>
    nativeConv2DBackpropInput(conv2DBackpropInputWasm({ conv2D, conv2DBackpropInput })),
  );
  replaceStock(tf.MaxPoolGrad, () => nativeMaxPoolGrad(maxPoolGradWasm()));
  replaceStock(tf.GatherV2, (stock) => gatherRowsWasm(stock));
  replaceStock(tf.Identity, (stock) => identityWasm(stock));
  replaceStock(tf.Cast, (stock) => castWasm(stock));

  const stockMatMul = findKernel(tf.BatchMatMul);
  if (stockMatMul === undefined) {
    throw new Error(`registerWasmKernels: the wasm backend has no '${tf.BatchMatMul}' kernel to wrap.`);
  }
  if (!isOurs(stockMatMul)) {
    // Unregister first: registerKernel over an existing key logs a warning.
    tf.unregisterKernel(tf.BatchMatMul, WASM);
    tf.registerKernel({
      ...stockMatMul,
      kernelFunc: mark(nativeBatchMatMul(fastBatchMatMulWasm({ batchMatMul: stockMatMul.kernelFunc, transpose }))),
    });
  }
  replaceStock(tf._FusedMatMul, (fusedMatMul) => nativeFusedMatMul(fusedMatMul));
  // Last: the kernels above build on the stock Conv2D. Under plain wasm these two are the stock ones.
  replaceStock(tf.Conv2D, (stock) => nativeConv2D(stock));
  replaceStock(tf.FusedConv2D, (stock) => nativeFusedConv2D(stock));
  replaceStock(tf.Sum, (stock) => nativeSum(stock));
  replaceStock(tf.Add, (stock) => nativeBinary('add', stock));
  replaceStock(tf.Multiply, (stock) => nativeBinary('multiply', stock));
}
