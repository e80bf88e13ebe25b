/**
 * The small CNN encoder f and projection head g of SimCLR (Chen et al. 2020): h = f(x) is the
 * representation kept after pretraining (and frozen), z = g(h) only feeds the contrastive loss,
 * as in the paper, where the representation before the projection transfers better.
 *
 *   f: conv3×3×32 relu → maxpool 2 → conv3×3×64 relu → maxpool 2 → flatten → dense d relu
 *   g: dense d relu → dense d
 *
 * Every initializer is seeded from the caller's stream, so one seed gives one encoder.
 */
import * as tfl from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';
import { fusedConv2d, fusedDense } from '../models/fused-layers.js';

export interface SelfsupNetworks {
  readonly encoder: tfl.LayersModel;
  readonly head: tfl.LayersModel;
}

/** Builds f for images of `shape` ([height, width, channels]) with a d-dimensional output, and g. */
export function createEncoder(shape: readonly number[], embeddingDim: number, rng: Rng): SelfsupNetworks {
  if (shape.length !== 3) {
    throw new Error(`representation selfsup needs image data shaped [height, width, channels], got shape [${shape.join(', ')}]; allowed for feature vectors: raw`);
  }
  const seeded = () => ({
    kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.tfSeed() }),
    biasInitializer: tfl.initializers.zeros(),
  });
  const encoder = tfl.sequential();
  encoder.add(fusedConv2d({ inputShape: [...shape], filters: 32, kernelSize: 3, padding: 'same', activation: 'relu', ...seeded() }));
  encoder.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  encoder.add(fusedConv2d({ filters: 64, kernelSize: 3, padding: 'same', activation: 'relu', ...seeded() }));
  encoder.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
  encoder.add(tfl.layers.flatten());
  encoder.add(fusedDense({ units: embeddingDim, activation: 'relu', ...seeded() }));

  const head = tfl.sequential();
  head.add(fusedDense({ inputShape: [embeddingDim], units: embeddingDim, activation: 'relu', ...seeded() }));
  head.add(fusedDense({ units: embeddingDim, ...seeded() }));
  return { encoder, head };
}
