/**
 * The model zoo. Every initializer takes an explicit seed from the cell's `weights` stream, so two
 * cells with the same seed start from bitwise-identical weights. Models output logits; softmax is
 * applied at prediction time and inside the loss, which is more stable than a softmax layer.
 *
 * - mlp: flatten → dense 256 relu → dense 128 relu → dense classes (the 784-256-128-10 reference MLP)
 * - cnn: conv3×3×16 relu → maxpool 2 → conv3×3×32 relu → maxpool 2 → dense 64 relu → dense classes
 * - linear: (flatten →) dense classes: a linear probe, the standard head on frozen self-supervised
 *   features (Chen et al. 2020, SimCLR, linear evaluation protocol); on pixels, multinomial logistic regression
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';
import type { ModelName } from '../spec/types.js';

export interface ModelSpec {
  readonly name: ModelName;
  /** Shape of one example, e.g. `[8, 8, 1]`. */
  readonly inputShape: readonly number[];
  readonly numClasses: number;
}

export function createModel(spec: ModelSpec, rng: Rng): tfl.LayersModel {
  const seeded = () => ({
    kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.tfSeed() }),
    biasInitializer: tfl.initializers.zeros(),
  });
  const model = tfl.sequential();
  if (spec.name === 'linear') {
    // One seeded dense layer (added below); images are flattened first, feature vectors go straight in.
    if (spec.inputShape.length > 1) model.add(tfl.layers.flatten({ inputShape: [...spec.inputShape] }));
    model.add(tfl.layers.dense({ units: spec.numClasses, inputShape: spec.inputShape.length > 1 ? undefined : [...spec.inputShape], ...seeded() }));
    return model;
  }
  if (spec.name === 'mlp') {
    // Flatten rejects rank-1 inputs; a feature vector goes straight into the first dense layer.
    if (spec.inputShape.length > 1) model.add(tfl.layers.flatten({ inputShape: [...spec.inputShape] }));
    const inputShape = spec.inputShape.length > 1 ? undefined : [...spec.inputShape];
    model.add(tfl.layers.dense({ units: 256, activation: 'relu', inputShape, ...seeded() }));
    model.add(tfl.layers.dense({ units: 128, activation: 'relu', ...seeded() }));
  } else {
    if (spec.inputShape.length !== 3) {
      throw new Error(`model cnn needs image data shaped [height, width, channels], got shape [${spec.inputShape.join(', ')}]`);
    }
    model.add(tfl.layers.conv2d({ inputShape: [...spec.inputShape], filters: 16, kernelSize: 3, padding: 'same', activation: 'relu', ...seeded() }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', ...seeded() }));
    model.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    model.add(tfl.layers.flatten());
    model.add(tfl.layers.dense({ units: 64, activation: 'relu', ...seeded() }));
  }
  model.add(tfl.layers.dense({ units: spec.numClasses, ...seeded() }));
  return model;
}
