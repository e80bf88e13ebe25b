/** Properties and small worked examples for core-set, BADGE and BatchBALD. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../src/backend/index.js';
import { createRng } from '../../src/rng.js';
import { badgeSeeds } from '../../src/strategies/badge.js';
import { batchBaldPicks } from '../../src/strategies/batch-bald.js';
import { gradDot, gradEmbeddingsOf } from '../../src/strategies/grad-embeddings.js';
import { kCenterGreedyRows } from '../../src/strategies/k-center.js';
import { baldScores } from '../../src/strategies/sample-scores.js';

beforeAll(async () => {
  await initBackend('wasm');
});

function randomMatrix(rows: number, dim: number, seed: string): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * dim }, () => rng.next() * 2 - 1);
}

function randomStack(T: number, n: number, C: number, seed: string): Float32Array {
  const rng = createRng(seed);
  const data = new Float32Array(T * n * C);
  for (let r = 0; r < T * n; r++) {
    const raw = Array.from({ length: C }, () => rng.next() ** 3 + 1e-3);
    const sum = raw.reduce((a, b) => a + b, 0);
    data.set(raw.map((v) => v / sum), r * C);
  }
  return data;
}

describe('k-center greedy', () => {
  it('never increases the covering radius, and each radius is the true max-min distance', () => {
    const n = 60;
    const dim = 3;
    const data = randomMatrix(n, dim, 'kc');
    const centers = [0, 1, 2];
    const { picks, radii } = kCenterGreedyRows({ data, rows: n, dim }, centers, 20);
    for (let s = 1; s < radii.length; s++) expect(radii[s]).toBeLessThanOrEqual(radii[s - 1]);
    // Brute force the radius after the last pick.
    const chosen = [...centers, ...picks];
    let worst = 0;
    for (let i = 0; i < n; i++) {
      if (chosen.includes(i)) continue;
      let best = Infinity;
      for (const c of chosen) {
        let d = 0;
        for (let j = 0; j < dim; j++) d += (data[i * dim + j] - data[c * dim + j]) ** 2;
        best = Math.min(best, d);
      }
      worst = Math.max(worst, Math.sqrt(best));
    }
    expect(radii[radii.length - 1]).toBeCloseTo(worst, 5);
  });
});

describe('BADGE', () => {
  it('factorised inner products equal those of the explicit outer products', () => {
    const n = 5;
    const C = 3;
    const d = 4;
    const probs = randomStack(1, n, C, 'badge-p');
    const features = randomMatrix(n, d, 'badge-h');
    const g = gradEmbeddingsOf(probs, C, { data: features, rows: n, dim: d });
    const explicit = (i: number) => {
      const y = [0, 1, 2].reduce((b, c) => (probs[i * C + c] > probs[i * C + b] ? c : b), 0);
      const out: number[] = [];
      for (let c = 0; c < C; c++) for (let j = 0; j < d; j++) out.push((probs[i * C + c] - (c === y ? 1 : 0)) * features[i * d + j]);
      return out;
    };
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const a = explicit(i);
        const b = explicit(j);
        expect(gradDot(g, i, j)).toBeCloseTo(a.reduce((s, v, k) => s + v * b[k], 0), 5);
      }
    }
  });

  it('picks distinct rows even when every gradient embedding is identical', () => {
    const n = 8;
    const probs = new Float32Array(n * 2).fill(0.5);
    const features = new Float32Array(n * 3).fill(1);
    const g = gradEmbeddingsOf(probs, 2, { data: features, rows: n, dim: 3 });
    const picks = badgeSeeds(g, n, createRng(0));
    expect(new Set(picks).size).toBe(n);
  });

  it('starts at the largest gradient norm and never re-picks a centre (worked example)', () => {
    // Features on a line; probs make row 2 the least confident with the largest gradient norm:
    // ‖p − e_ŷ‖² is .02 for rows 0, 1, 3 ([.9,.1]) and .5 for row 2 ([.5,.5]); ‖h‖² = 1, 4, 9, 16.
    const probs = Float32Array.from([0.9, 0.1, 0.9, 0.1, 0.5, 0.5, 0.9, 0.1]);
    const g = gradEmbeddingsOf(probs, 2, { data: Float32Array.from([1, 2, 3, 4]), rows: 4, dim: 1 });
    const picks = badgeSeeds(g, 4, createRng(1));
    expect(picks[0]).toBe(2);
    expect(new Set(picks).size).toBe(4);
  });
});

describe('BatchBALD', () => {
  it('with a batch of one picks BALD top-1', async () => {
    for (const seed of ['a', 'b', 'c']) {
      const mc = randomStack(8, 40, 4, `bb-${seed}`);
      const bald = baldScores({ data: mc, samples: 8, numClasses: 4 });
      const top = bald.indexOf(Math.max(...bald));
      expect(await batchBaldPicks(mc, 8, 4, 1, 1000, createRng(seed))).toEqual([top]);
    }
  });

  it('does not pick a duplicate of an already-chosen point (the motivating example of Kirsch et al. 2019)', async () => {
    // Rows 0 and 1 are identical and the most BALD-informative; row 2 is less so, and independent.
    // BALD's top-2 would take rows 0 and 1; the joint gain of the copy is 0, so BatchBALD takes row 2.
    const T = 4;
    const rows = [
      [[1, 0], [0, 1], [1, 0], [0, 1]],
      [[1, 0], [0, 1], [1, 0], [0, 1]],
      [[0.9, 0.1], [0.9, 0.1], [0.1, 0.9], [0.1, 0.9]],
      [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5], [0.5, 0.5]],
    ];
    const mc = new Float32Array(T * rows.length * 2);
    for (let t = 0; t < T; t++) rows.forEach((r, i) => mc.set(r[t], (t * rows.length + i) * 2));
    const bald = baldScores({ data: mc, samples: T, numClasses: 2 });
    expect(bald[1]).toBeCloseTo(bald[0], 6);
    expect(bald[2]).toBeLessThan(bald[0]);
    const picks = await batchBaldPicks(mc, T, 2, 2, 1000, createRng(0));
    expect([0, 1]).toContain(picks[0]);
    expect(picks[1]).toBe(2);
  });

  it('keeps the exact first picks when it switches to sampled configurations, stays distinct, and leaks nothing', async () => {
    const mc = randomStack(10, 50, 3, 'bb-sampled');
    await batchBaldPicks(mc, 10, 3, 3, 5000, createRng(0));
    const before = tf.memory().numTensors;
    const exact = await batchBaldPicks(mc, 10, 3, 3, 5000, createRng(0));
    expect(tf.memory().numTensors).toBe(before);
    // 9 exact configurations after two picks; 9 samples force the sampled path from the third pick on.
    const sampled = await batchBaldPicks(mc, 10, 3, 6, 8, createRng(0));
    expect(sampled.slice(0, 2)).toEqual(exact.slice(0, 2));
    expect(new Set(sampled).size).toBe(6);
  });
});
