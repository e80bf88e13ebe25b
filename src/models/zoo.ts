/**
 * The model zoo. Every initializer takes an explicit seed from the cell's `weights` stream, so two
 * cells with the same seed start from bitwise-identical weights. Models output logits; softmax is
 * applied at prediction time and inside the loss, which is more stable than a softmax layer.
 *
 * - mlp: flatten → dense 256 relu → dense 128 relu → dense classes (the 784-256-128-10 reference MLP)
 * - cnn: conv3×3×16 relu → maxpool 2 → conv3×3×32 relu → maxpool 2 → dense 64 relu → dense classes
 * - linear: (flatten →) dense classes: a linear probe, the standard head on frozen self-supervised
 *   features (Chen et al. 2020, SimCLR, linear evaluation protocol); on pixels, multinomial logistic regression
 * - resnet18: the CIFAR ResNet-18 with batch norm, `width` and `depth` for smaller variants (models/resnet.ts)
 *
 * `dropout: p` (models/seeded-dropout.ts) puts dropout where Gal, Islam & Ghahramani (ICML 2017,
 * "Deep Bayesian Active Learning with Image Data", §5.1 and their Keras code) put it in their
 * Bayesian CNN, "convolution-relu-convolution-relu-max pooling-dropout-dense-relu-dropout-dense-
 * softmax" with probabilities 0.25 and 0.5: in the cnn, p/2 after the conv stack (before the
 * dense layers) and p after the hidden dense layer (before the logits); in the mlp, p after each
 * hidden dense layer (Srivastava et al. 2014); in the resnet, p before the logits (after the global
 * average pool). Dropout layers draw no seed from `rng` itself (they fork named streams), so a
 * model with dropout starts from the same weights as the one without.
 *
 * The relu layers are models/fused-layers.ts's: tfjs's layers, trained as one fused kernel each
 * on wasm-native with the unfused layers' bits.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';
import type { ModelSetting } from '../spec/types.js';
import { modelDropout, modelName, modelParam } from './model-params.js';
import { fusedConv2d, fusedDense } from './fused-layers.js';
import { createResNet } from './resnet.js';
import { SeededDropout } from './seeded-dropout.js';

export interface ModelSpec {
  /** A zoo name, or the name with parameters (`{ name: 'cnn', dropout: 0.5 }`). */
  readonly name: ModelSetting;
  /** Shape of one example, e.g. `[8, 8, 1]`. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
}

export function createModel(spec: ModelSpec, rng: Rng): tfl.LayersModel {
  const name = modelName(spec.name);
  const p = modelDropout(spec.name);
  if (name === 'resnet18') {
    const options = { inputShape: spec.inputShape, numClasses: spec.numClasses, width: modelParam(spec.name, 'width'), depth: modelParam(spec.name, 'depth'), dropout: p };
    return createResNet(options, rng);
  }
  const seeded = () => ({
    kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.tfSeed() }),
    biasInitializer: tfl.initializers.zeros(),
  });
  let dropouts = 0;
  const dropout = (rate: number) => new SeededDropout({ rate, stream: rng.fork('dropout', dropouts++) });
  const model = tfl.sequential();
  if (name === 'linear') {
    // One seeded dense layer (added below); images are flattened first, feature vectors go straight in.
    if (spec.inputShape.length > 1) model.add(tfl.layers.flatten({ inputShape: [...spec.inputShape] }));
    model.add(fusedDense({ units: spec.numClasses, inputShape: spec.inputShape.length > 1 ? undefined : [...spec.inputShape], ...seeded() }));
    return model;
  }
  if (name === 'mlp') {
    // Flatten rejects rank-1 inputs; a feature vector goes straight into the first dense layer.
    if (spec.inputShape.length > 1) model.add(tfl.layers.flatten({ inputShape: [...spec.inputShape] }));
    const inputShape = spec.inputShape.length > 1 ? undefined : [...spec.inputShape];
    model.add(fusedDense({ units: 256, activation: 'relu', inputShape, ...seeded() }));
    if (p > 0) model.add(dropout(p));
    model.add(fusedDense({ units: 128, activation: 'relu', ...seeded() }));
  } else {
    if (spec.inputShape.length !== 3) {
      throw new Error(`model cnn needs image data shaped [height, width, channels], got shape [${spec.inputShape.join(', ')}]`);
    }
    model.add(fusedConv2d({ inputShape: [...spec.inputShape], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', ...seeded() }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(fusedConv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', ...seeded() }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    if (p > 0) model.add(dropout(p / 2));
    model.add(tfl.layers.flatten());
    model.add(fusedDense({ units: 64, activation: 'relu', ...seeded() }));
  }
  if (p > 0) model.add(dropout(p));
  model.add(fusedDense({ units: spec.numClasses, ...seeded() }));
  return model;
}
