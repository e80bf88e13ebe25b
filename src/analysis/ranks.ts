/** Ranks with ties averaged ("fractional ranking", scipy.stats.rankdata's default 'average'). */

/** values → ranks 1..n in ascending order; tied values share the mean of their ranks. */
export function rankAscending(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const rank = (i + j) / 2 + 1; // mean of ranks i+1 … j+1
    for (let m = i; m <= j; m++) ranks[order[m][1]] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Rank 1 = largest value (how strategies are ranked: higher accuracy is better). */
export function rankDescending(values: readonly number[]): number[] {
  return rankAscending(values.map((v) => -v));
}

/** Sizes of the groups of tied values (only groups of 2 or more), for tie corrections. */
export function tieGroupSizes(values: readonly number[]): number[] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.values()].filter((c) => c > 1);
}
