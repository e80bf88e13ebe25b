/**
 * ResNet-18 in its CIFAR form (He, Zhang, Ren & Sun, CVPR 2016, "Deep Residual Learning for Image
 * Recognition", §4.2 for the small-image stem), as the deep-AL papers use it (Beck et al. 2021,
 * Munjal et al. 2022, Lüth et al. 2023; the layout of kuangliu/pytorch-cifar's `ResNet18`):
 *
 *   conv3×3 w, stride 1 → BN → ReLU                 (no 7×7 stem, no max-pool: 32×32 stays 32×32)
 *   4 stages of `depth` BasicBlocks, widths w, 2w, 4w, 8w, first-block strides 1, 2, 2, 2
 *     BasicBlock: conv3×3(stride) → BN → ReLU → conv3×3 → BN, + shortcut, → ReLU
 *     shortcut: identity, or conv1×1(stride) → BN where the shape changes
 *   global average pool → (dropout) → dense classes
 *
 * w = 64, depth = 2 is ResNet-18; `width` and `depth` give the smaller variants a 2-core machine
 * can train. Convolutions have no bias (the batch norm after each has one). Batch norm uses
 * PyTorch's defaults (momentum 0.1 on the running statistics, i.e. Keras momentum 0.9; ε = 1e-5),
 * updates its statistics only under `training: true` and uses them frozen otherwise; its training
 * pass runs on albench's batch-norm kernels (models/batch-norm.ts: tfjs's own gradient tiled [C]
 * tensors to the activations' shape, a quarter of a training step). One
 * difference from PyTorch in the numbers, not the architecture: a stride-2 'same' convolution pads
 * 0 before and 1 after (TensorFlow's rule), PyTorch's padding=1 pads 1 on both sides.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';
import { batchNormalization } from './batch-norm.js';
import { SeededDropout } from './seeded-dropout.js';

export interface ResNetOptions {
  readonly inputShape: readonly number[];
  readonly numClasses: number;
  readonly width: number;
  readonly depth: number;
  readonly dropout: number;
}

export function createResNet(options: ResNetOptions, rng: Rng): tfl.LayersModel {
  const { inputShape, numClasses, width, depth, dropout } = options;
  if (inputShape.length !== 3) {
    throw new Error(`model resnet18 needs image data shaped [height, width, channels], got shape [${inputShape.join(', ')}]`);
  }
  // He-normal fan-in initialisation for the convolutions (He et al. 2015), as torchvision's ResNets.
  const conv = (filters: number, kernelSize: number, strides: number) =>
    tfl.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: tfl.initializers.heNormal({ seed: rng.tfSeed() }) });
  const bn = () => batchNormalization({ momentum: 0.9, epsilon: 1e-5 });
  const relu = () => tfl.layers.reLU();

  const input = tfl.input({ shape: [...inputShape] });
  let x = relu().apply(bn().apply(conv(width, 3, 1).apply(input))) as tfl.SymbolicTensor;
  let channels = width;
  for (let stage = 0; stage < 4; stage++) {
    const filters = width * 2 ** stage;
    for (let block = 0; block < depth; block++) {
      const strides = stage > 0 && block === 0 ? 2 : 1;
      let y = relu().apply(bn().apply(conv(filters, 3, strides).apply(x))) as tfl.SymbolicTensor;
      y = bn().apply(conv(filters, 3, 1).apply(y)) as tfl.SymbolicTensor;
      const shortcut = strides !== 1 || channels !== filters ? (bn().apply(conv(filters, 1, strides).apply(x)) as tfl.SymbolicTensor) : x;
      x = relu().apply(tfl.layers.add().apply([y, shortcut])) as tfl.SymbolicTensor;
      channels = filters;
    }
  }
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  if (dropout > 0) x = new SeededDropout({ rate: dropout, stream: rng.fork('dropout', 0) }).apply(x) as tfl.SymbolicTensor;
  const logits = tfl.layers
    .dense({ units: numClasses, kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.tfSeed() }), biasInitializer: tfl.initializers.zeros() })
    .apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits });
}

/** Whether the model has batch-norm layers (their statistics depend on what else is in the batch). */
export function hasBatchNorm(model: tfl.LayersModel): boolean {
  return model.layers.some((l) => l.getClassName() === 'BatchNormalization');
}
