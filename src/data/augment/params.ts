/**
 * Parameters of the augmentation policies (no tfjs here: the spec validator reads this table).
 *
 * Magnitude `m` uses RandAugment's 0–30 scale (Cubuk et al. 2020; torchvision's 31 bins), where 30
 * is each op's largest distortion (rotate ±30°, shear ±0.3, translate ±45 % of the side, …).
 */
import type { MethodParamSpec, MethodParamTable } from '../../spec/method-params.js';
import type { AugmentationName } from '../../spec/types.js';

const TRANSLATE: MethodParamSpec = {
  default: 0.125,
  min: 0,
  max: 0.5,
  integer: false,
  description: 'pad+crop shift as a fraction of the side (12.5 % as in FixMatch: 4 px on 32, 1 px on 8)',
};

export const AUGMENTATION_PARAMS: MethodParamTable<AugmentationName> = {
  standard: { translate: TRANSLATE },
  strong: {
    translate: TRANSLATE,
    n: { default: 2, min: 1, max: 10, integer: true, description: 'RandAugment: ops per image N' },
    m: { default: 9, min: 0, max: 30, integer: false, description: 'RandAugment: magnitude M on the 0–30 scale' },
    cutout: { default: 0.5, min: 0, max: 1, integer: false, description: 'cutout square side as a fraction of the image side (0 = off; DeVries & Taylor 2017 used 16/32)' },
  },
};
