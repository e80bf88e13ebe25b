/**
 * Parameters of the SSL methods (no tfjs here: the spec validator reads this table). Every method
 * draws `mu` unlabelled pool rows per labelled row in each step (FixMatch's μ).
 */
import type { MethodParamTable } from '../../spec/method-params.js';
import type { SslName } from '../../spec/types.js';

export const SSL_PARAMS: MethodParamTable<SslName> = {
  'pseudo-label': {
    threshold: { default: 0.95, min: 0, max: 1, integer: false, description: 'confidence τ above which a pool prediction becomes a pseudo-label' },
    mu: { default: 3, min: 1, max: 64, integer: true, description: 'unlabelled rows per labelled row in a step' },
    weight: { default: 3, min: 0, max: 1000, integer: false, description: "final unlabelled-loss weight α_f (Lee 2013 used 3)" },
    rampStart: { default: 0.2, min: 0, max: 1, integer: false, description: 'fraction of training before which α(t) = 0 (Lee: T1)' },
    rampEnd: { default: 0.6, min: 0, max: 1, integer: false, description: 'fraction of training from which α(t) = α_f (Lee: T2)' },
  },
  fixmatch: {
    threshold: { default: 0.95, min: 0, max: 1, integer: false, description: 'confidence τ of the weak view above which its argmax is a target' },
    mu: { default: 7, min: 1, max: 64, integer: true, description: 'μ: unlabelled rows per labelled row in a step' },
    weight: { default: 1, min: 0, max: 1000, integer: false, description: 'λ_u: weight of the unlabelled loss' },
  },
  'mean-teacher': {
    ema: { default: 0.99, min: 0, max: 0.99999, integer: false, description: 'EMA decay α of the teacher weights' },
    weight: { default: 10, min: 0, max: 1000, integer: false, description: 'final consistency-loss weight' },
    rampUp: { default: 0.4, min: 0, max: 1, integer: false, description: 'fraction of training over which the weight ramps up as exp(−5(1−t)²)' },
    mu: { default: 3, min: 1, max: 64, integer: true, description: 'unlabelled rows per labelled row in a step' },
  },
};
