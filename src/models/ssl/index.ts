/**
 * Semi-supervised training methods by name (the `ssl` axis). The unlabelled data is always the
 * cell's current pool, never the test set; what the pseudo-labels look like on the pool is measured
 * by the harness after each round (pool-stats.ts) and never shown to the learner.
 */
import { methodName } from '../../spec/method-params.js';
import type { SslSetting } from '../../spec/types.js';
import { fixMatch } from './fixmatch.js';
import { meanTeacher } from './mean-teacher.js';
import type { SslContext, SslMethod } from './method.js';
import { pseudoLabel } from './pseudo-label.js';

export { SSL_PARAMS } from './params.js';
export type { SslContext, SslMethod, SslStep } from './method.js';

/** The method of an SSL setting; undefined for `none`. */
export function createSslMethod(setting: SslSetting, ctx: SslContext): SslMethod | undefined {
  switch (methodName(setting)) {
    case 'none':
      return undefined;
    case 'pseudo-label':
      return pseudoLabel(setting, ctx);
    case 'fixmatch':
      return fixMatch(setting, ctx);
    case 'mean-teacher':
      return meanTeacher(setting, ctx);
  }
}

/** FixMatch and mean-teacher perturb images; on feature vectors they are an error naming the dataset. */
export function checkSslApplies(setting: SslSetting, dataset: string, shape: readonly number[]): void {
  const name = methodName(setting);
  if ((name === 'fixmatch' || name === 'mean-teacher') && shape.length !== 3) {
    throw new Error(`ssl method "${name}" perturbs images [height, width, channels]; dataset ${dataset} has shape [${shape.join(', ')}]; allowed for it: none, pseudo-label`);
  }
}
