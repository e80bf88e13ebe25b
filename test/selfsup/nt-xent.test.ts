import * as tf from '@tensorflow/tfjs-core';
// Registers tfjs's gradient functions (the encoder pulls this in through tfjs-layers).
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { ntXentLoss, ntXentReference } from '../../src/selfsup/nt-xent.js';

beforeAll(async () => {
  await initBackend('wasm');
});

async function loss(z: number[][], tau: number): Promise<number> {
  const t = tf.tensor2d(z);
  const l = ntXentLoss(t, tau);
  const v = (await l.data())[0];
  tf.dispose([t, l]);
  return v;
}

// Expected values are worked out by hand from Chen et al. 2020, eq. 1 (ℓ(i,j) = −sim(i,j)/τ +
// log Σ_{k≠i} exp(sim(i,k)/τ), averaged over the 2N rows), with the cosines written out below.
describe('NT-Xent (SimCLR eq. 1)', () => {
  it('identical positives, orthogonal negatives, τ = 1: every row is −1 + ln(e + 2)', async () => {
    // Rows: a, b, a′ = a, b′ = b. sim(a, a′) = 1, sim(a, b) = sim(a, b′) = 0.
    const z = [[1, 0], [0, 1], [1, 0], [0, 1]];
    const expected = -1 + Math.log(Math.E + 2); // 0.5514447139…
    expect(await loss(z, 1)).toBeCloseTo(expected, 5);
    expect(ntXentReference(z, 1)).toBeCloseTo(expected, 12);
  });

  it('the same at τ = 0.5: −2 + ln(e² + 2)', async () => {
    const z = [[1, 0], [0, 1], [1, 0], [0, 1]];
    expect(await loss(z, 0.5)).toBeCloseTo(-2 + Math.log(Math.E ** 2 + 2), 5); // 0.2395447662…
  });

  it('an asymmetric case: a=(1,0), b=(0,1), a′=(.6,.8), b′=(.8,.6)', async () => {
    // Cosines: a·b = 0, a·a′ = .6, a·b′ = .8, b·a′ = .8, b·b′ = .6, a′·b′ = .96 (all rows unit length).
    // ℓ(a) = ℓ(b) = −.6 + ln(1 + e^.6 + e^.8);  ℓ(a′) = ℓ(b′) = −.6 + ln(e^.6 + e^.8 + e^.96).
    const z = [[1, 0], [0, 1], [0.6, 0.8], [0.8, 0.6]];
    const expected = -0.6 + (Math.log(1 + Math.exp(0.6) + Math.exp(0.8)) + Math.log(Math.exp(0.6) + Math.exp(0.8) + Math.exp(0.96))) / 2; // 1.1574737647…
    expect(await loss(z, 1)).toBeCloseTo(expected, 5);
    expect(ntXentReference(z, 1)).toBeCloseTo(expected, 12);
  });

  it('depends on directions only (cosine similarity): rescaling rows leaves it unchanged', async () => {
    const z = [[1, 0], [0, 1], [0.6, 0.8], [0.8, 0.6]];
    const scaled = z.map((r, i) => r.map((x) => x * (i + 1) * 3));
    expect(await loss(scaled, 0.7)).toBeCloseTo(await loss(z, 0.7), 5);
  });

  it('matches the reference on random projections, and its gradient moves positives together', async () => {
    const z = Array.from({ length: 8 }, (_, i) => Array.from({ length: 5 }, (_, j) => Math.sin(i * 7 + j * 3) + 0.1 * j));
    expect(await loss(z, 0.5)).toBeCloseTo(ntXentReference(z, 0.5), 4);
    const v = tf.variable(tf.tensor2d(z));
    const before = await loss(z, 0.5);
    const opt = tf.train.sgd(0.5);
    for (let i = 0; i < 20; i++) opt.minimize(() => ntXentLoss(v as unknown as tf.Tensor2D, 0.5));
    const after = await loss((await v.array()) as number[][], 0.5);
    expect(after).toBeLessThan(before);
    opt.dispose();
    v.dispose();
  });

  it('rejects an odd number of rows or a single pair', () => {
    const z = tf.tensor2d([[1, 0], [0, 1]]);
    expect(() => ntXentLoss(z, 1)).toThrow(/2N rows with N ≥ 2/);
    z.dispose();
  });

  it('leaks no tensors', async () => {
    const z = tf.tensor2d([[1, 0], [0, 1], [0.6, 0.8], [0.8, 0.6]]);
    tf.tidy(() => ntXentLoss(z, 1));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(ntXentLoss(z, 1));
    expect(tf.memory().numTensors).toBe(before);
    z.dispose();
  });
});
