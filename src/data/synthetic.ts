/**
 * Gaussian blobs: a fast, fully controlled data set for smoke tests. Everything, including the data
 * itself, is derived from `splitSeed`. The blobs are balanced; `imbalance` (like on every data
 * set) long-tails the training pool afterwards (variants.ts), leaving the test set balanced.
 */
import type { DatasetConfig } from '../spec/types.js';
import { createRng, type Rng } from '../rng.js';
import { recipeChecksum, sha256Hex } from './checksum.js';
import { DatasetError, type Dataset } from './dataset.js';
import { splitRows } from './split.js';

export const SYNTHETIC_DEFAULTS = {
  classes: 3,
  dims: 2,
  samples: 600,
  imbalance: 1,
  testFraction: 0.25,
  splitSeed: 0,
} as const;

/**
 * Class centres are drawn from N(0, CENTER_SPREAD² I) and points from N(centre, I): with the
 * defaults the blobs overlap a little, so accuracy is high but not trivially perfect.
 */
const CENTER_SPREAD = 2;

export type SyntheticParams = { -readonly [K in keyof typeof SYNTHETIC_DEFAULTS]: number };

export function syntheticParams(config: Partial<DatasetConfig> = {}): SyntheticParams {
  const p: SyntheticParams = {
    classes: config.classes ?? SYNTHETIC_DEFAULTS.classes,
    dims: config.dims ?? SYNTHETIC_DEFAULTS.dims,
    samples: config.samples ?? SYNTHETIC_DEFAULTS.samples,
    imbalance: config.imbalance ?? SYNTHETIC_DEFAULTS.imbalance,
    testFraction: config.testFraction ?? SYNTHETIC_DEFAULTS.testFraction,
    splitSeed: config.splitSeed ?? SYNTHETIC_DEFAULTS.splitSeed,
  };
  const int = (name: keyof SyntheticParams, min: number) => {
    if (!Number.isInteger(p[name]) || p[name] < min) {
      throw new DatasetError(`synthetic: ${name} must be an integer ≥ ${min}, got ${p[name]}`);
    }
  };
  int('classes', 2);
  int('dims', 1);
  int('samples', 2 * p.classes);
  if (!(p.imbalance >= 1 && Number.isFinite(p.imbalance))) {
    throw new DatasetError(`synthetic: imbalance (largest/smallest class size) must be a finite number ≥ 1, got ${p.imbalance}`);
  }
  return p;
}

/**
 * Class sizes on a geometric (long-tail) profile: class k gets weight imbalance^(−k/(classes−1)),
 * so class 0 is the largest and the last class is `imbalance` times smaller. Sizes are rounded by
 * largest remainder so they sum exactly to `samples`; the realised ratio is therefore `imbalance`
 * up to rounding. Every class needs ≥ 2 examples to appear in both train and test.
 */
export function classSizes(classes: number, samples: number, imbalance: number): number[] {
  const weights = Array.from({ length: classes }, (_, k) => imbalance ** (-k / (classes - 1)));
  const total = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (samples * w) / total);
  const sizes = exact.map(Math.floor);
  let left = samples - sizes.reduce((a, b) => a + b, 0);
  // Stable order: largest fractional part first, ties to the lower class id.
  const order = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of order) {
    if (left-- <= 0) break;
    sizes[k]++;
  }
  if (sizes[classes - 1] < 2) {
    throw new DatasetError(
      `synthetic: samples=${samples} is too few for classes=${classes} with imbalance=${imbalance}: the smallest class gets ${sizes[classes - 1]} examples, needs ≥ 2`,
    );
  }
  return sizes;
}

/** One standard normal draw by Box–Muller (cosine branch only, so each draw uses exactly two uniforms). */
export function gaussian(rng: Rng): number {
  const u1 = 1 - rng.next(); // (0, 1]: keeps log finite
  const u2 = rng.next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

export function loadSynthetic(config: Partial<DatasetConfig> = {}): Dataset {
  const p = syntheticParams(config);
  const root = createRng(p.splitSeed).fork('synthetic');
  const sizes = classSizes(p.classes, p.samples, 1);

  // centres: [classes, dims]
  const centersRng = root.fork('centers');
  const centers = Float64Array.from({ length: p.classes * p.dims }, () => CENTER_SPREAD * gaussian(centersRng));

  // Labels are shuffled so the data is not ordered by class (code that takes "the first n" must
  // not get one class only).
  const labels: number[] = sizes.flatMap((size, k) => new Array<number>(size).fill(k));
  const y = Int32Array.from(root.fork('order').shuffle(labels));

  // x: [samples, dims]
  const pointsRng = root.fork('points');
  const x = new Float32Array(p.samples * p.dims);
  for (let i = 0; i < p.samples; i++) {
    for (let d = 0; d < p.dims; d++) x[i * p.dims + d] = centers[y[i] * p.dims + d] + gaussian(pointsRng);
  }

  const { train, test } = splitRows(x, y, p.dims, p.testFraction, createRng(p.splitSeed).fork('dataset-split', 'synthetic'));
  // The hash covers the generated values, so a platform whose Math.log/cos differ shows up as a
  // different checksum rather than silently different numbers.
  const dataSha = sha256Hex(new Uint8Array(x.buffer), new Uint8Array(y.buffer));
  return {
    name: 'synthetic',
    shape: [p.dims],
    numClasses: p.classes,
    train,
    test,
    // imbalance is a variant applied on top (variants.ts), not part of the generated data.
    checksum: recipeChecksum(dataSha, { generator: 'gaussian-blobs', centerSpread: CENTER_SPREAD, ...p, imbalance: undefined }),
    source:
      `synthetic Gaussian blobs: ${p.classes} classes in ${p.dims} dims, ${p.samples} samples, class sizes [${sizes.join(', ')}] ` +
      `(balanced), centres ~ N(0, ${CENTER_SPREAD}²I), points ~ N(centre, I), seed ${p.splitSeed}; ` +
      `stratified split testFraction=${p.testFraction} → ${train.n} train / ${test.n} test`,
    flipPreservesLabel: false,
  };
}
