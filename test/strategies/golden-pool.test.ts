/**
 * The golden pool (src/strategies/golden-pool.ts, test/fixtures/golden-pool.json): every pair of
 * registered strategies whose math differs picks a different batch there, and the diversity and
 * model-change strategies reproduce reference values computed independently by NumPy
 * (test/fixtures/reference.py, regenerate with /usr/bin/python3 test/fixtures/reference.py).
 *
 * Substituting `random` or `entropy` for any strategy under test makes it pick random's or
 * entropy's batch, which the pairwise test rejects (tried: see the strategies note of issue 19).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '../../src/models/zoo.js'; // registers the layers' gradients VAAL trains with
import { initBackend } from '../../src/backend/index.js';
import { createRng } from '../../src/rng.js';
import { batchBaldPicks } from '../../src/strategies/batch-bald.js';
import { calScores } from '../../src/strategies/cal.js';
import { eglScores } from '../../src/strategies/egl.js';
import {
  GOLDEN_POOL_BATCH,
  goldenPoolContext,
  goldenPoolSelections,
  readGoldenPool,
  selectionKey,
  type GoldenPoolFile,
} from '../../src/strategies/golden-pool.js';
import { gradDot, gradEmbeddingsOf, gradSquaredNorms } from '../../src/strategies/grad-embeddings.js';
import { kCenterGreedyRows } from '../../src/strategies/k-center.js';
import { probCoverGreedy, purityRadius } from '../../src/strategies/probcover.js';
import { STRATEGY_NAMES, createStrategy } from '../../src/strategies/registry.js';
import type { Selection } from '../../src/strategies/strategy.js';
import { typicality } from '../../src/strategies/typiclust.js';

const file: GoldenPoolFile = readGoldenPool();
const ref = file.reference as {
  kCenterOrder: number[];
  typicality: number[];
  probcover: { delta: number; picks: number[]; coveredAfterPick: number[] };
  purity: { assign: number[]; delta: number };
  cal: number[];
  egl: number[];
  badge: { gradEmbeddings: number[][]; first: number; d2ToFirst: number[] };
  batchbald: { rows: number; jointMI: Record<string, number>; greedyPicks: number[]; greedyGains: number[] };
};
const matrix = (rows: number[][]) => ({ data: Float32Array.from(rows.flat()), rows: rows.length, dim: rows[0].length });

/**
 * The only pairs whose batches the math makes equal, with the reason. Every other pair must differ.
 * (ensemble-entropy and qbc-consensus-entropy share a score but not a committee: they differ here
 * because the pool hands each its own committee stack; see the committee test below.)
 */
const EQUAL_BATCHES: Readonly<Record<string, string>> = {
  'entropy|ceal': 'CEAL queries by entropy (Wang et al. 2017, its uncertainty criterion); it differs from entropy by the pseudo-labels it adds, asserted below',
};

let selections: Record<string, Selection>;
beforeAll(async () => {
  await initBackend('wasm');
  selections = await goldenPoolSelections(
    file,
    STRATEGY_NAMES.map((name) => ({ name, strategy: createStrategy(name) })),
  );
}, 120_000);

describe('golden pool: strategies tell apart', () => {
  const batch = (name: string) => [...selections[name].indices].sort((a, b) => a - b).join(',');
  const pairs = STRATEGY_NAMES.flatMap((a, i) => STRATEGY_NAMES.slice(i + 1).map((b) => [a, b] as const));

  it(`every pair of strategies whose math differs picks a different batch of ${GOLDEN_POOL_BATCH}`, () => {
    const clashes = pairs.filter(([a, b]) => !EQUAL_BATCHES[`${a}|${b}`] && batch(a) === batch(b)).map(([a, b]) => `${a} = ${b} = [${batch(a)}]`);
    expect(clashes).toEqual([]);
  });

  it('the pairs the math makes equal are equal (reasons in EQUAL_BATCHES)', () => {
    for (const key of Object.keys(EQUAL_BATCHES)) {
      const [a, b] = key.split('|');
      expect(batch(a), `${key}: ${EQUAL_BATCHES[key]}`).toBe(batch(b));
    }
    // …and CEAL's selection still differs from entropy's: it carries pseudo-labels.
    expect(selections.ceal.pseudoLabels?.indices.length).toBeGreaterThan(0);
    expect(selectionKey(selections.ceal)).not.toBe(selectionKey(selections.entropy));
  });

  it('every selection is a valid batch of the pool', () => {
    for (const name of STRATEGY_NAMES) {
      const s = selections[name].indices;
      expect(new Set(s).size, name).toBe(GOLDEN_POOL_BATCH);
      for (const i of s) expect(file.pool, name).toContain(i);
    }
  });

  it('ensembles and QBC-with-bagging share scores but not committees', async () => {
    // Same stack → same batch (the math is equal: entropy of the mean) …
    const ens = createStrategy('ensemble-entropy');
    const qbc = createStrategy('qbc-consensus-entropy');
    const ctx = goldenPoolContext(file, ens);
    expect([...(await qbc.select(ctx, 4, createRng('golden-pool'))).indices]).toEqual([...(await ens.select(ctx, 4, createRng('golden-pool'))).indices]);
    // … but they declare different committees, which the loop trains differently.
    expect(ens.needOptions?.committeeBootstrap).toBe(false);
    expect(qbc.needOptions?.committeeBootstrap).toBe(true);
    for (const name of ['ensemble-variation-ratio', 'ensemble-entropy'] as const) expect(createStrategy(name).needOptions?.committeeBootstrap).toBe(false);
    for (const name of ['qbc-vote-entropy', 'qbc-consensus-entropy', 'qbc-kl'] as const) expect(createStrategy(name).needOptions?.committeeBootstrap).toBe(true);
  });
});

describe('golden pool: NumPy reference values (test/fixtures/reference.py)', () => {
  const emb = matrix([...file.embeddings, ...file.labeledEmbeddings]);
  const nPool = file.pool.length;

  it('k-center greedy order (Sener & Savarese 2018, Alg. 1), and coreset picks its first 4', async () => {
    const labelledRows = file.labeled.map((_, i) => nPool + i);
    const { picks } = kCenterGreedyRows(emb, labelledRows, ref.kCenterOrder.length, Array.from({ length: nPool }, (_, i) => i));
    expect(picks).toEqual(ref.kCenterOrder);
    expect([...selections.coreset.indices]).toEqual(ref.kCenterOrder.slice(0, GOLDEN_POOL_BATCH));
  });

  it('typicality: 1 / (mean distance to the K nearest + 1e-5)', () => {
    const t = typicality(Float32Array.from(file.inputs.flat()), file.inputs[0].length, file.pool);
    ref.typicality.forEach((v, i) => expect(t[i]).toBeCloseTo(v, 3));
  });

  it("ProbCover: greedy coverage with the authors' argmax, covered count after each pick", async () => {
    const points = matrix(file.inputs); // pool rows 0..39, then labelled
    const identity = Int32Array.from({ length: nPool }, (_, i) => i); // lowest index wins ties, as np.argmax
    const picks = await probCoverGreedy(points, nPool, ref.probcover.delta, 12, identity);
    expect(picks).toEqual(ref.probcover.picks);
    // Coverage after each pick, counted here from the ball definition ‖x − y‖ < δ.
    const covered = new Set<number>();
    const cover = (i: number) => file.inputs.forEach((y, j) => Math.hypot(...y.map((v, k) => v - file.inputs[i][k])) < ref.probcover.delta && covered.add(j));
    file.labeled.forEach((_, l) => cover(nPool + l));
    const counts = picks.map((p) => (cover(p), covered.size));
    expect(counts).toEqual(ref.probcover.coveredAfterPick);
  });

  it('ProbCover δ by purity for a scikit-learn k-means assignment', async () => {
    const points = matrix(file.inputs);
    const all = Int32Array.from({ length: points.rows }, (_, i) => i);
    expect(await purityRadius(points, ref.purity.assign, all)).toBeCloseTo(ref.purity.delta, 4);
  });

  it('CAL scores (k = 2) and EGL norms', () => {
    const c = file.numClasses;
    const cal = calScores(matrix(file.embeddings), Float32Array.from(file.probs.flat()), matrix(file.labeledEmbeddings), Float32Array.from(file.labeledProbs.flat()), c, 2);
    ref.cal.forEach((v, i) => expect(cal[i]).toBeCloseTo(v, 4));
    const egl = eglScores(Float32Array.from(file.probs.flat()), c, Float32Array.from(file.embeddings.flat()), file.embeddings[0].length);
    ref.egl.forEach((v, i) => expect(egl[i]).toBeCloseTo(v, 4));
  });

  it("BADGE: gradient embedding (p − onehot) ⊗ h, first centre of largest norm, D² to it", () => {
    const g = gradEmbeddingsOf(Float32Array.from(file.probs.flat()), file.numClasses, matrix(file.embeddings));
    const norms = gradSquaredNorms(g);
    ref.badge.gradEmbeddings.forEach((row, i) => expect(norms[i]).toBeCloseTo(row.reduce((s, v) => s + v * v, 0), 5));
    // The full outer product, entry by entry, for every row.
    const c = file.numClasses;
    const d = file.embeddings[0].length;
    ref.badge.gradEmbeddings.forEach((row, i) => row.forEach((v, j) => expect(g.scale.data[i * c + Math.floor(j / d)] * g.features.data[i * d + (j % d)]).toBeCloseTo(v, 5)));
    expect(selections.badge.indices[0]).toBe(ref.badge.first);
    const f = ref.badge.first;
    ref.badge.d2ToFirst.forEach((v, i) => expect(Math.max(0, norms[i] + norms[f] - 2 * gradDot(g, i, f))).toBeCloseTo(v, 4));
  });
});

describe('BatchBALD against exact joint entropies (NumPy enumeration)', () => {
  const T = file.mcProbs.length;
  const C = file.numClasses;
  const rows = ref.batchbald.rows;
  // The first `rows` pool rows of the MC stack: [T, rows, C].
  const mc = Float32Array.from(file.mcProbs.flatMap((pass) => pass.slice(0, rows).flat()));

  it('exact enumeration: the greedy picks and each gain a(B ∪ x) − a(B) match NumPy', async () => {
    const gains: number[] = [];
    const picks = await batchBaldPicks(mc, T, C, 4, 10_000, createRng(0), gains);
    expect(picks).toEqual(ref.batchbald.greedyPicks);
    gains.forEach((g, i) => expect(g).toBeCloseTo(ref.batchbald.greedyGains[i], 4));
  });

  it('sampled configurations: the estimate of a(B) is within 4 standard errors (ln C / 2√M each step) of the exact value', async () => {
    // M = 12 < C² = 16 forces sampling from the third pick on (the second conditions on C = 4 exact
    // configurations); compare with the exact a(B) of whatever batch the sampled run chose.
    for (const seed of [0, 1, 2]) {
      const gains: number[] = [];
      const M = 12;
      const picks = await batchBaldPicks(mc, T, C, 4, M, createRng(seed), gains);
      const key = [...picks].sort((a, b) => a - b).join(',');
      const exact = ref.batchbald.jointMI[key];
      const estimate = gains.reduce((a, b) => a + b, 0);
      const bound = 4 * 2 * (Math.log(C) / (2 * Math.sqrt(M))); // two sampled steps
      expect(Math.abs(estimate - exact)).toBeLessThan(bound);
    }
  });

  it('at the default M = 10,000 every step here is exact (C³ = 64 ≤ M): the estimate is a(B) itself', async () => {
    // The bound ln C / 2√M matters at C = 10 from the fifth pick on; here the error must be ~0.
    const gains: number[] = [];
    const picks = await batchBaldPicks(mc, T, C, 4, 10_000, createRng(0), gains);
    const exact = ref.batchbald.jointMI[[...picks].sort((a, b) => a - b).join(',')];
    expect(Math.abs(gains.reduce((a, b) => a + b, 0) - exact)).toBeLessThan(Math.log(C) / (2 * Math.sqrt(10_000)));
  });

  it('leaks no tensor', async () => {
    await batchBaldPicks(mc, T, C, 3, 12, createRng(0));
    const before = tf.memory().numTensors;
    await batchBaldPicks(mc, T, C, 3, 12, createRng(0));
    expect(tf.memory().numTensors).toBe(before);
  });
});

afterAll(() => undefined);
