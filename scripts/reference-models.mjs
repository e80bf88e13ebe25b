// The reference models of scripts/bench-backend.mjs and scripts/profile-training.mjs, with the
// shapes of ../shared/bench/torch_reference.py and scripts/torch_resnet_reference.py ('valid'
// convs as in torch's nn.Conv2d(…, 3) without padding), seeded, with the zoo's fused relu layers
// (src/models/fused-layers.ts). Needs the build (dist/).
import * as tfl from '@tensorflow/tfjs-layers';

import { fusedConv2d, fusedDense } from '../dist/models/fused-layers.js';
import { createModel } from '../dist/models/zoo.js';
import { createRng } from '../dist/rng.js';

export const SHAPES = { mlp: [28, 28, 1], cnn: [28, 28, 1], resnet18: [32, 32, 3] };

/** kind: mlp | cnn | resnet18 (CIFAR form, `resnetWidth` channels in the first stage). */
export function referenceModel(kind, seed, resnetWidth = 64) {
  const rng = createRng(seed).fork('bench-weights', kind);
  if (kind === 'resnet18') {
    return createModel({ name: resnetWidth === 64 ? 'resnet18' : { name: 'resnet18', width: resnetWidth }, inputShape: SHAPES.resnet18, numClasses: 10 }, rng);
  }
  const init = () => ({ kernelInitializer: tfl.initializers.glorotUniform({ seed: rng.tfSeed() }), biasInitializer: 'zeros' });
  const m = tfl.sequential();
  if (kind === 'mlp') {
    m.add(tfl.layers.flatten({ inputShape: [28, 28, 1] }));
    m.add(fusedDense({ units: 256, activation: 'relu', ...init() }));
    m.add(fusedDense({ units: 128, activation: 'relu', ...init() }));
  } else if (kind === 'cnn') {
    m.add(fusedConv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 3, activation: 'relu', ...init() }));
    m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    m.add(fusedConv2d({ filters: 32, kernelSize: 3, activation: 'relu', ...init() }));
    m.add(tfl.layers.maxPooling2d({ poolSize: 2 }));
    m.add(tfl.layers.flatten());
    m.add(fusedDense({ units: 64, activation: 'relu', ...init() }));
  } else {
    throw new Error(`unknown reference model '${kind}'; allowed: mlp, cnn, resnet18`);
  }
  m.add(fusedDense({ units: 10, ...init() }));
  return m;
}
