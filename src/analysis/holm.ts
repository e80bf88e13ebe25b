/**
 * Holm's step-down correction for multiple comparisons (Holm 1979), as Demšar (2006, §3.2.2)
 * recommends over Bonferroni. Same output as statsmodels' multipletests(method='holm').
 */

/** Raw p-values → Holm-adjusted p-values, in the input order. */
export function holmAdjust(p: readonly number[]): number[] {
  const m = p.length;
  const order = p.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([v, i], rank) => {
    // Step-down: the (rank+1)-th smallest p is multiplied by m − rank, and adjusted p-values
    // are kept monotone so a hypothesis is never rejected after a larger one was kept.
    running = Math.max(running, Math.min(1, (m - rank) * v));
    adjusted[i] = running;
  });
  return adjusted;
}
