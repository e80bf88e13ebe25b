/**
 * How well a setting's models fit their labelled sets (issue 17's evidence of fit): a treatment
 * that did not improve the baseline says something about the treatment only when its models fit;
 * when they underfit, it says something about the recipe (DESIGN.md, "Training recipes").
 */
import type { SeedCurve } from './seed-curves.js';

/** Rounds ending below this training accuracy are flagged by the report's fit section. */
export const UNDERFIT_ACCURACY = 0.9;

/**
 * A treatment that did not improve the baseline is an honest negative only where both arms reach
 * this training accuracy in every round (mean over seeds). Stricter than the report's flag, because
 * milder underfit already costs what augmentation can gain: in PyTorch (scripts/torch-recipe.py,
 * cnn with dropout 0.5, 250 Fashion-MNIST labels, 3 seeds) a 2 px shift + flip at 1,000 steps left
 * the labelled set at 0.935 and cost 1.6 points of test accuracy; at 3,000 steps it fit (0.98) and
 * gained 0.9.
 */
export const FITTED_ACCURACY = 0.95;

/**
 * The worst round's fit of a set of curves: per round index, the mean training accuracy over the
 * curves that recorded one, then the lowest over rounds. Null when no round recorded it (results
 * written before training accuracy was recorded).
 */
export function lowestMeanFit(curves: readonly SeedCurve[]): number | null {
  const rounds = Math.max(0, ...curves.map((c) => c.trainAccuracy?.length ?? 0));
  let lowest: number | null = null;
  for (let r = 0; r < rounds; r++) {
    const values = curves.map((c) => c.trainAccuracy?.[r] ?? NaN).filter((v) => Number.isFinite(v));
    if (!values.length) continue;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    lowest = lowest === null ? mean : Math.min(lowest, mean);
  }
  return lowest;
}
