/**
 * The golden pool: a tiny, fixed selection round on which every pair of registered strategies
 * whose math differs picks a different batch (test/strategies/golden-pool.test.ts; `albench list
 * strategies` prints the check). Unlike the contract fixture (contract-fixture.ts), which trains a
 * model, every need here is a fixed array from test/fixtures/golden-pool.json, written by
 * test/fixtures/reference.py (NumPy) together with independent reference values for the
 * diversity and model-change strategies.
 *
 * The two committee needs get different stacks: members on all labelled data with the task model
 * as member 0 (ensembles) and members on bootstrap resamples (QBC with bagging), as the loop trains them. Auxiliary models
 * (`trainModel`: SVP proxies, suggestive annotation's bootstrap members) are fixed functions of
 * the inputs, seeded by the request's tag and rows: enough to tell strategies apart, not a model.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createRng } from '../rng.js';
import { gradEmbeddingsOf } from './grad-embeddings.js';
import type { AuxModel, AuxTrainRequest, Matrix, Selection, SelectionContext, Strategy } from './strategy.js';

export interface GoldenPoolFile {
  readonly numClasses: number;
  readonly pool: number[];
  readonly labeled: number[];
  readonly labeledY: number[];
  readonly inputs: number[][];
  readonly selfsup: number[][];
  readonly probs: number[][];
  readonly labeledProbs: number[][];
  readonly embeddings: number[][];
  readonly labeledEmbeddings: number[][];
  readonly mcProbs: number[][][];
  readonly committeeProbs: number[][][];
  readonly baggingProbs: number[][][];
  readonly epochProbs: number[][][];
  readonly jointOutputs: number[];
  readonly reference: Record<string, unknown>;
}

/** Where the golden pool lives in a checkout of the repository (it is not part of the package). */
export const GOLDEN_POOL_PATH = fileURLToPath(new URL('../../test/fixtures/golden-pool.json', import.meta.url));

export function readGoldenPool(path = GOLDEN_POOL_PATH): GoldenPoolFile {
  return JSON.parse(readFileSync(path, 'utf8')) as GoldenPoolFile;
}

const matrix = (rows: number[][]): Matrix => ({ data: Float32Array.from(rows.flat()), rows: rows.length, dim: rows[0].length });
const stack = (s: number[][][]) => Float32Array.from(s.flat(2));

/**
 * A fixed auxiliary model: the task model's probabilities on the row (pool or labelled, from the
 * file) with logit noise, and tanh(x·V) embeddings; noise and V drawn from the tag and the rows.
 */
function fixedAuxModel(file: GoldenPoolFile, request: AuxTrainRequest): AuxModel {
  const d = file.inputs[0].length;
  const seed = `golden-aux/${request.tag}/${Array.from(request.rows).join(',')}`;
  const v = (() => {
    const rng = createRng(seed);
    return Array.from({ length: d * 2 }, () => rng.next() * 2 - 1);
  })();
  const taskProbs = (r: number) => {
    const at = file.pool.indexOf(r);
    return at >= 0 ? file.probs[at] : file.labeledProbs[file.labeled.indexOf(r)];
  };
  return {
    probs: async (rows) =>
      Float32Array.from(
        Array.from(rows).flatMap((r) => {
          const rng = createRng(`${seed}/${r}`);
          const z = taskProbs(r).map((p) => Math.log(Math.max(p, 1e-12)) + (rng.next() * 2 - 1) * 1.5);
          const m = Math.max(...z);
          const e = z.map((x) => Math.exp(x - m));
          const total = e.reduce((x, y) => x + y, 0);
          return e.map((x) => x / total);
        }),
      ),
    embeddings: async (rows) => ({
      data: Float32Array.from(Array.from(rows).flatMap((r) => [0, 1].map((k) => Math.tanh(file.inputs[r].reduce((s, x, j) => s + x * v[j * 2 + k], 0))))),
      rows: rows.length,
      dim: 2,
    }),
    dispose: () => {},
  };
}

/** The selection context of the golden round for `strategy` (every need it declares, from the file). */
export function goldenPoolContext(file: GoldenPoolFile, strategy: Strategy): SelectionContext {
  const c = file.numClasses;
  const probs = Float32Array.from(file.probs.flat());
  const embeddings = matrix(file.embeddings);
  const labeled = new Set(file.labeled);
  const committee = strategy.needOptions?.committeeBootstrap ? file.baggingProbs : file.committeeProbs;
  return {
    round: 0,
    numClasses: c,
    pool: Int32Array.from(file.pool),
    labeled: Int32Array.from(file.labeled),
    labeledY: Int32Array.from(file.labeledY),
    probs,
    labeledProbs: Float32Array.from(file.labeledProbs.flat()),
    mcProbs: { passes: file.mcProbs.length, data: stack(file.mcProbs) },
    committeeProbs: { members: committee.length, data: stack(committee) },
    embeddings,
    labeledEmbeddings: matrix(file.labeledEmbeddings),
    gradEmbeddings: gradEmbeddingsOf(probs, c, embeddings),
    inputs: matrix(file.inputs),
    selfsupEmbeddings: matrix(file.selfsup),
    trainModel: async (request) => {
      for (const r of request.rows) if (!labeled.has(r)) throw new Error(`trainModel(${request.tag}): row ${r} is not labelled`);
      return fixedAuxModel(file, request);
    },
    epochProbs: { epochs: file.epochProbs.length, data: stack(file.epochProbs) },
    jointOutputs: Float32Array.from(file.jointOutputs),
  };
}

/** Batch size of the golden round. */
export const GOLDEN_POOL_BATCH = 4;

/** Every named strategy's selection on the golden pool, with the rng stream 'golden-pool'. */
export async function goldenPoolSelections(file: GoldenPoolFile, strategies: readonly { name: string; strategy: Strategy }[]): Promise<Record<string, Selection>> {
  const out: Record<string, Selection> = {};
  for (const { name, strategy } of strategies) out[name] = await strategy.select(goldenPoolContext(file, strategy), GOLDEN_POOL_BATCH, createRng('golden-pool'));
  return out;
}

/** A selection as a comparable string: the batch as a set, and the pseudo-labels (CEAL) if any. */
export function selectionKey(s: Selection): string {
  const batch = [...s.indices].sort((a, b) => a - b).join(',');
  return s.pseudoLabels ? `${batch} | pseudo ${s.pseudoLabels.indices.join(',')}:${s.pseudoLabels.labels.join(',')}` : batch;
}

/** Pairs of names whose selections are identical (same batch as a set, same pseudo-labels). */
export function identicalSelections(selections: Readonly<Record<string, Selection>>): [string, string][] {
  const names = Object.keys(selections);
  const pairs: [string, string][] = [];
  for (let a = 0; a < names.length; a++) {
    for (let b = a + 1; b < names.length; b++) if (selectionKey(selections[names[a]]) === selectionKey(selections[names[b]])) pairs.push([names[a], names[b]]);
  }
  return pairs;
}
