/**
 * k-center greedy (Gonzalez 1985), the core-set selection of Sener & Savarese, ICLR 2018, "Active
 * Learning for Convolutional Neural Networks: A Core-Set Approach" (their Algorithm 1): repeatedly
 * pick the point farthest, in Euclidean distance, from the labelled set plus the picks so far.
 * Ties go to the lowest index, so the result is a pure function of its inputs.
 */
import type { Matrix } from './strategy.js';

/**
 * points: [N, d]; centers: row indices of `points` that are already covered (the labelled set);
 * candidates: row indices allowed to be picked (all non-centre rows when omitted).
 * → the k picked row indices in pick order, and the covering radius after each pick.
 */
export function kCenterGreedyRows(
  points: Matrix,
  centers: ArrayLike<number>,
  k: number,
  candidates?: ArrayLike<number>,
): { picks: number[]; radii: number[] } {
  const { data, rows, dim } = points;
  const isCenter = new Uint8Array(rows);
  for (let i = 0; i < centers.length; i++) isCenter[centers[i]] = 1;
  const cand = candidates ? Int32Array.from(candidates) : Int32Array.from({ length: rows }, (_, i) => i).filter((i) => !isCenter[i]);
  if (!Number.isInteger(k) || k < 0 || k > cand.length) throw new RangeError(`k-center: k must be an integer in [0, ${cand.length}], got ${k}`);
  // Squared distance of each candidate to its nearest centre; Infinity while there is none.
  const minD = new Float64Array(cand.length).fill(Infinity);
  const update = (center: number) => {
    const co = center * dim;
    for (let a = 0; a < cand.length; a++) {
      const o = cand[a] * dim;
      let s = 0;
      for (let j = 0; j < dim; j++) {
        const diff = data[o + j] - data[co + j];
        s += diff * diff;
      }
      if (s < minD[a]) minD[a] = s;
    }
  };
  for (let i = 0; i < centers.length; i++) update(centers[i]);
  const picks: number[] = [];
  const radii: number[] = [];
  const taken = new Uint8Array(cand.length);
  for (let step = 0; step < k; step++) {
    let best = -1;
    for (let a = 0; a < cand.length; a++) {
      if (taken[a]) continue;
      // Strictly greater keeps the lowest index on a tie (candidates are visited in ascending order
      // when they come from the default list).
      if (best < 0 || minD[a] > minD[best] || (minD[a] === minD[best] && cand[a] < cand[best])) best = a;
    }
    taken[best] = 1;
    picks.push(cand[best]);
    minD[best] = 0;
    update(cand[best]);
    let radius = 0;
    for (let a = 0; a < cand.length; a++) if (!taken[a]) radius = Math.max(radius, minD[a]);
    radii.push(Math.sqrt(radius));
  }
  return { picks, radii };
}
