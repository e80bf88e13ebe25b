/**
 * Every strategy albench knows: its name, family, needs, citation and parameters. Validation,
 * `albench list strategies`, the loop and the contract test all read this one table.
 */
import { badgeStrategy } from './badge.js';
import { batchBaldStrategy } from './batch-bald.js';
import { calStrategy } from './cal.js';
import { cealStrategy } from './ceal.js';
import { suggestiveAnnotationStrategy } from './suggestive-annotation.js';
import { svpStrategy } from './svp.js';
import { diverseMinibatchStrategy } from './diverse-minibatch.js';
import { eglStrategy } from './egl.js';
import { probCoverStrategy } from './probcover.js';
import { typiclustStrategy } from './typiclust.js';
import { SELFSUP_PARAMS } from '../selfsup/params.js';
import type { FeatureName } from './features.js';
import { vaalStrategy } from './vaal.js';
import { labelDispersionStrategy } from './label-dispersion.js';
import { learningLossStrategy } from './learning-loss.js';
import { committeeStrategy } from './committee.js';
import { coresetStrategy } from './coreset.js';
import { mcDropoutStrategy } from './mc-dropout.js';
import { randomStrategy } from './random.js';
import { baldScores, klToMeanScores, meanEntropyScores, meanStdScores, variationRatioScores, voteEntropyScores } from './sample-scores.js';
import type { Strategy } from './strategy.js';
import { uncertaintyStrategy } from './uncertainty.js';
import { entropyScores, leastConfidenceScores, marginScores } from './uncertainty-scores.js';

export const STRATEGY_NAMES = [
  'random',
  'least-confidence',
  'margin',
  'entropy',
  'bald',
  'variation-ratios',
  'mean-std',
  'max-entropy',
  'batchbald',
  'ensemble-variation-ratio',
  'ensemble-entropy',
  'qbc-vote-entropy',
  'qbc-consensus-entropy',
  'qbc-kl',
  'coreset',
  'badge',
  'typiclust',
  'typiclust-raw',
  'typiclust-model',
  'probcover',
  'probcover-raw',
  'probcover-model',
  'diverse-minibatch',
  'egl',
  'cal',
  'suggestive-annotation',
  'svp-least-confidence',
  'svp-margin',
  'svp-entropy',
  'svp-coreset',
  'ceal',
  'vaal',
  'label-dispersion',
  'learning-loss',
] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export const STRATEGY_FAMILIES = ['baseline', 'uncertainty', 'bayesian', 'committee', 'diversity', 'hybrid', 'model-change'] as const;
export type StrategyFamily = (typeof STRATEGY_FAMILIES)[number];

/** One numeric strategy parameter, as a spec may set it (`{ name: bald, passes: 10 }`). */
export interface ParamSpec {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly description: string;
}

export type StrategyParams = Readonly<Record<string, number>>;

export interface StrategyInfo {
  readonly name: StrategyName;
  readonly family: StrategyFamily;
  readonly citation: string;
  readonly params: Readonly<Record<string, ParamSpec>>;
  /** Builds the strategy from fully resolved parameters (see `resolveStrategyParams`). */
  readonly create: (params: StrategyParams) => Strategy;
}

const PASSES: ParamSpec = { default: 20, min: 2, max: 1000, integer: true, description: 'MC-dropout passes T' };
const DROPOUT: ParamSpec = { default: 0.5, min: 0.01, max: 0.95, integer: false, description: 'dropout rate of the seeded masks' };
const MEMBERS: ParamSpec = { default: 5, min: 2, max: 50, integer: true, description: 'committee members K (the task model is one)' };
const GAL_2017 = 'Gal, Islam & Ghahramani, ICML 2017, "Deep Bayesian Active Learning with Image Data"';
const BELUCH_2018 = 'Beluch, Genewein, Nürnberger & Köhler, CVPR 2018, "The power of ensembles for active learning in image classification"';
const MCCALLUM_1998 = 'McCallum & Nigam, ICML 1998, "Employing EM and Pool-Based Active Learning for Text Classification"';

/**
 * The self-supervised encoder of `features: selfsup` strategies: the `selfsup` representation's
 * parameters (src/selfsup/params.ts) prefixed `encoder` (encoderEpochs, …). They are resolved into
 * the cell, so the encoder's settings are part of its id.
 */
const ENCODER_PARAMS: Readonly<Record<string, ParamSpec>> = Object.fromEntries(
  Object.entries(SELFSUP_PARAMS).map(([k, p]) => [`encoder${k[0].toUpperCase()}${k.slice(1)}`, { ...p, description: `self-supervised encoder: ${p.description}` }]),
);
const encoderConfig = (p: StrategyParams) => Object.fromEntries(Object.keys(SELFSUP_PARAMS).map((k) => [k, p[`encoder${k[0].toUpperCase()}${k.slice(1)}`]]));
const HACOHEN_2022 = 'Hacohen, Dekel & Weinshall, ICML 2022, "Active Learning on a Budget: Opposite Strategies Suit High and Low Budgets"';
const YEHUDA_2022 = 'Yehuda, Dekel, Hacohen & Weinshall, NeurIPS 2022, "Active Learning Through a Covering Lens"';
const PROBCOVER_PARAMS: Readonly<Record<string, ParamSpec>> = {
  delta: { default: 0, min: 0, max: 1e6, integer: false, description: 'ball radius δ; 0 = chosen by 0.95 purity as in the paper' },
  fullCoverage: { default: 0, min: 0, max: 1, integer: true, description: 'once every point is covered: 0 = rest of the batch in seeded order, 1 = halve δ and continue' },
};
const FEATURE_WORDS: Readonly<Record<FeatureName, string>> = {
  selfsup: 'on self-supervised (SimCLR) embeddings, as in the paper',
  raw: 'on the raw inputs',
  model: "on the task model's penultimate embeddings",
};
const typiclust = (name: 'typiclust' | 'typiclust-raw' | 'typiclust-model', features: FeatureName): StrategyInfo => ({
  name,
  family: 'diversity',
  citation: `${HACOHEN_2022}; ${FEATURE_WORDS[features]}`,
  params: features === 'selfsup' ? ENCODER_PARAMS : {},
  create: (p) => typiclustStrategy(name, features, features === 'selfsup' ? encoderConfig(p) : undefined),
});
const probcover = (name: 'probcover' | 'probcover-raw' | 'probcover-model', features: FeatureName): StrategyInfo => ({
  name,
  family: 'diversity',
  citation: `${YEHUDA_2022}; ${FEATURE_WORDS[features]}`,
  params: features === 'selfsup' ? { ...PROBCOVER_PARAMS, ...ENCODER_PARAMS } : PROBCOVER_PARAMS,
  create: (p) => probCoverStrategy(name, features, { delta: p.delta, fullCoverage: p.fullCoverage }, features === 'selfsup' ? encoderConfig(p) : undefined),
});

const SVP_2020 = 'Coleman et al., ICLR 2020, "Selection via Proxy: Efficient Data Selection for Deep Learning"';
const EPOCH_FRACTION: ParamSpec = { default: 0.5, min: 0.01, max: 1, integer: false, description: "proxy's fraction of the cell's epochs" };

const mc = (name: string, score: Parameters<typeof mcDropoutStrategy>[1]) => (p: StrategyParams) =>
  mcDropoutStrategy(name, score, { passes: p.passes, dropoutRate: p.dropoutRate });
// Ensembles train every member on all labelled data; QBC members on bootstrap resamples (committee.ts).
const ensemble = (name: string, score: Parameters<typeof committeeStrategy>[1]) => (p: StrategyParams) =>
  committeeStrategy(name, score, { members: p.members, bootstrap: false });
const qbc = (name: string, score: Parameters<typeof committeeStrategy>[1]) => (p: StrategyParams) =>
  committeeStrategy(name, score, { members: p.members, bootstrap: true });
const ABE_1998 = 'Abe & Mamitsuka, ICML 1998, "Query Learning Strategies Using Boosting and Bagging" (bootstrap committee)';

export const STRATEGIES: Readonly<Record<StrategyName, StrategyInfo>> = {
  random: {
    name: 'random',
    family: 'baseline',
    citation: 'Uniform random sampling (baseline)',
    params: {},
    create: () => randomStrategy,
  },
  'least-confidence': {
    name: 'least-confidence',
    family: 'uncertainty',
    citation: 'Lewis & Gale, SIGIR 1994, "A Sequential Algorithm for Training Text Classifiers"',
    params: {},
    create: () => uncertaintyStrategy('least-confidence', leastConfidenceScores),
  },
  margin: {
    name: 'margin',
    family: 'uncertainty',
    citation: 'Scheffer, Decomain & Wrobel, IDA 2001, "Active Hidden Markov Models for Information Extraction"',
    params: {},
    create: () => uncertaintyStrategy('margin', marginScores),
  },
  entropy: {
    name: 'entropy',
    family: 'uncertainty',
    citation: 'Shannon entropy of the predictive distribution; Settles 2009, "Active Learning Literature Survey", §3.1',
    params: {},
    create: () => uncertaintyStrategy('entropy', entropyScores),
  },
  bald: {
    name: 'bald',
    family: 'bayesian',
    citation: `Houlsby, Huszár, Ghahramani & Lengyel 2011, "Bayesian Active Learning for Classification and Preference Learning"; MC dropout: ${GAL_2017}`,
    params: { passes: PASSES, dropoutRate: DROPOUT },
    create: mc('bald', baldScores),
  },
  'variation-ratios': {
    name: 'variation-ratios',
    family: 'bayesian',
    citation: `Freeman 1965, "Elementary Applied Statistics"; MC dropout: ${GAL_2017}`,
    params: { passes: PASSES, dropoutRate: DROPOUT },
    create: mc('variation-ratios', variationRatioScores),
  },
  'mean-std': {
    name: 'mean-std',
    family: 'bayesian',
    citation: `Kampffmeyer, Salberg & Jenssen, CVPR-W 2016; MC dropout: ${GAL_2017}`,
    params: { passes: PASSES, dropoutRate: DROPOUT },
    create: mc('mean-std', meanStdScores),
  },
  'max-entropy': {
    name: 'max-entropy',
    family: 'bayesian',
    citation: `Entropy of the MC-dropout predictive mean; ${GAL_2017}`,
    params: { passes: PASSES, dropoutRate: DROPOUT },
    create: mc('max-entropy', meanEntropyScores),
  },
  batchbald: {
    name: 'batchbald',
    family: 'bayesian',
    citation: 'Kirsch, van Amersfoort & Gal, NeurIPS 2019, "BatchBALD: Efficient and Diverse Batch Acquisition for Deep Bayesian Active Learning"',
    params: {
      passes: PASSES,
      dropoutRate: DROPOUT,
      samples: { default: 10_000, min: 10, max: 1_000_000, integer: true, description: 'batch-label configurations M kept: exact while C^|B| ≤ M, else M sampled (std. error ≤ ln C / 2√M nats)' },
    },
    create: (p) => batchBaldStrategy({ passes: p.passes, dropoutRate: p.dropoutRate, samples: p.samples }),
  },
  'ensemble-variation-ratio': {
    name: 'ensemble-variation-ratio',
    family: 'committee',
    citation: `${BELUCH_2018}; independently initialised members on all labelled data`,
    params: { members: MEMBERS },
    create: ensemble('ensemble-variation-ratio', variationRatioScores),
  },
  'ensemble-entropy': {
    name: 'ensemble-entropy',
    family: 'committee',
    citation: `${BELUCH_2018}; independently initialised members on all labelled data`,
    params: { members: MEMBERS },
    create: ensemble('ensemble-entropy', meanEntropyScores),
  },
  'qbc-vote-entropy': {
    name: 'qbc-vote-entropy',
    family: 'committee',
    citation: `Seung, Opper & Sompolinsky, COLT 1992; vote entropy: Dagan & Engelson, ICML 1995; ${ABE_1998}`,
    params: { members: MEMBERS },
    create: qbc('qbc-vote-entropy', voteEntropyScores),
  },
  'qbc-consensus-entropy': {
    name: 'qbc-consensus-entropy',
    family: 'committee',
    citation: `${MCCALLUM_1998} (consensus entropy); ${ABE_1998}`,
    params: { members: MEMBERS },
    create: qbc('qbc-consensus-entropy', meanEntropyScores),
  },
  'qbc-kl': {
    name: 'qbc-kl',
    family: 'committee',
    citation: `${MCCALLUM_1998} (KL divergence to the mean); ${ABE_1998}`,
    params: { members: MEMBERS },
    create: qbc('qbc-kl', klToMeanScores),
  },
  coreset: {
    name: 'coreset',
    family: 'diversity',
    citation: 'Sener & Savarese, ICLR 2018, "Active Learning for Convolutional Neural Networks: A Core-Set Approach"',
    params: {},
    create: () => coresetStrategy,
  },
  badge: {
    name: 'badge',
    family: 'hybrid',
    citation: 'Ash, Zhang, Krishnamurthy, Langford & Agarwal, ICLR 2020, "Deep Batch Active Learning by Diverse, Uncertain Gradient Lower Bounds"',
    params: {},
    create: () => badgeStrategy,
  },
  typiclust: typiclust('typiclust', 'selfsup'),
  'typiclust-raw': typiclust('typiclust-raw', 'raw'),
  'typiclust-model': typiclust('typiclust-model', 'model'),
  probcover: probcover('probcover', 'selfsup'),
  'probcover-raw': probcover('probcover-raw', 'raw'),
  'probcover-model': probcover('probcover-model', 'model'),
  'diverse-minibatch': {
    name: 'diverse-minibatch',
    family: 'hybrid',
    citation: 'Zhdanov 2019, "Diverse mini-batch Active Learning", arXiv:1901.05954 (margin prefilter + weighted k-means; not Citovsky et al. 2021\'s cluster-margin)',
    params: { beta: { default: 10, min: 1, max: 1000, integer: false, description: 'prefilter β·b points by margin' } },
    create: (p) => diverseMinibatchStrategy({ beta: p.beta }),
  },
  egl: {
    name: 'egl',
    family: 'model-change',
    citation: 'Settles, Craven & Ray, NIPS 2008, "Multiple-Instance Active Learning" (expected gradient length)',
    params: {},
    create: () => eglStrategy,
  },
  cal: {
    name: 'cal',
    family: 'hybrid',
    citation: 'Margatina, Vernikos, Barrault & Aletras, EMNLP 2021, "Active Learning by Acquiring Contrastive Examples"',
    params: { neighbors: { default: 10, min: 1, max: 1000, integer: true, description: 'labelled nearest neighbours k' } },
    create: (p) => calStrategy({ neighbors: p.neighbors }),
  },
  'suggestive-annotation': {
    name: 'suggestive-annotation',
    family: 'hybrid',
    citation: 'Yang, Zhang, Chen, Zhang & Chen, MICCAI 2017, "Suggestive Annotation: A Deep Active Learning Framework for Biomedical Image Segmentation"',
    params: {
      members: { default: 4, min: 2, max: 50, integer: true, description: 'bootstrap models' },
      candidates: { default: 2, min: 1, max: 100, integer: false, description: 'uncertain candidates kept, as a multiple of the batch size' },
    },
    create: (p) => suggestiveAnnotationStrategy({ members: p.members, candidates: p.candidates }),
  },
  'svp-least-confidence': {
    name: 'svp-least-confidence',
    family: 'uncertainty',
    citation: `${SVP_2020}; least confidence on the proxy`,
    params: { epochFraction: EPOCH_FRACTION },
    create: (p) => svpStrategy('svp-least-confidence', uncertaintyStrategy('least-confidence', leastConfidenceScores), { epochFraction: p.epochFraction }),
  },
  'svp-margin': {
    name: 'svp-margin',
    family: 'uncertainty',
    citation: `${SVP_2020}; margin on the proxy`,
    params: { epochFraction: EPOCH_FRACTION },
    create: (p) => svpStrategy('svp-margin', uncertaintyStrategy('margin', marginScores), { epochFraction: p.epochFraction }),
  },
  'svp-entropy': {
    name: 'svp-entropy',
    family: 'uncertainty',
    citation: `${SVP_2020}; entropy on the proxy`,
    params: { epochFraction: EPOCH_FRACTION },
    create: (p) => svpStrategy('svp-entropy', uncertaintyStrategy('entropy', entropyScores), { epochFraction: p.epochFraction }),
  },
  'svp-coreset': {
    name: 'svp-coreset',
    family: 'diversity',
    citation: `${SVP_2020}; core-set k-center greedy on the proxy's embeddings`,
    params: { epochFraction: EPOCH_FRACTION },
    create: (p) => svpStrategy('svp-coreset', coresetStrategy, { epochFraction: p.epochFraction }),
  },
  ceal: {
    name: 'ceal',
    family: 'uncertainty',
    citation: 'Wang, Zhang, Li, Zhang & Lin, IEEE TCSVT 2017, "Cost-Effective Active Learning for Deep Image Classification"',
    params: {
      delta0: { default: 0.05, min: 0, max: 10, integer: false, description: 'initial entropy threshold for pseudo-labels' },
      decay: { default: 0.0033, min: 0, max: 10, integer: false, description: 'threshold decay per round' },
    },
    create: (p) => cealStrategy({ delta0: p.delta0, decay: p.decay }),
  },
  vaal: {
    name: 'vaal',
    family: 'diversity',
    citation: 'Sinha, Ebrahimi & Darrell, ICCV 2019, "Variational Adversarial Active Learning"',
    params: {
      steps: { default: 300, min: 1, max: 100_000, integer: true, description: 'minibatch steps of VAE and discriminator training per round' },
      latentDim: { default: 32, min: 2, max: 1024, integer: true, description: 'latent dimension of the β-VAE' },
      beta: { default: 1, min: 0, max: 100, integer: false, description: 'β, weight of the KL term' },
      adversary: { default: 1, min: 0, max: 100, integer: false, description: 'λ, weight of the adversarial term' },
    },
    create: (p) => vaalStrategy({ steps: p.steps, latentDim: p.latentDim, beta: p.beta, adversary: p.adversary }),
  },
  'label-dispersion': {
    name: 'label-dispersion',
    family: 'uncertainty',
    citation: 'Zolfaghari Bengar, Raducanu & van de Weijer, CAIP 2021, "When Deep Learners Change Their Mind: Learning Dynamics for Active Learning"',
    params: {},
    create: () => labelDispersionStrategy,
  },
  'learning-loss': {
    name: 'learning-loss',
    family: 'uncertainty',
    citation: 'Yoo & Kweon, CVPR 2019, "Learning Loss for Active Learning"',
    params: {
      weight: { default: 1, min: 0, max: 100, integer: false, description: 'λ, weight of the loss-prediction loss' },
      margin: { default: 1, min: 0, max: 100, integer: false, description: 'ξ, margin of the ranking loss' },
      stopGradient: { default: 0.6, min: 0, max: 1, integer: false, description: "fraction of the epochs after which the module's gradient into the backbone stops (120/200 in the paper)" },
      hidden: { default: 128, min: 1, max: 4096, integer: true, description: "units of each feature branch's FC layer" },
    },
    create: (p) => learningLossStrategy({ weight: p.weight, margin: p.margin, stopGradient: p.stopGradient, hidden: p.hidden }),
  },
};

export function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

/**
 * Checks `given` against the strategy's parameter specs and fills in defaults. Returns the
 * resolved parameters, or a list of problems, each naming the parameter, the bad value and what is allowed.
 */
/**
 * Parameters every strategy accepts. The loop applies them before the strategy sees the pool, so
 * they are absent unless given. `candidates`: score only a seeded random subset of the unlabelled
 * pool (re-drawn each round), the standard way to bound the cost of expensive strategies.
 */
export const COMMON_STRATEGY_PARAMS: Readonly<Record<string, ParamSpec>> = {
  candidates: { default: 0, min: 1, max: 100_000_000, integer: true, description: 'pool rows scored per round, a seeded random subset' },
};

export function resolveStrategyParams(
  name: StrategyName,
  given: Readonly<Record<string, unknown>> = {},
): { params: StrategyParams; issues: { param: string; message: string }[] } {
  const specs = STRATEGIES[name].params;
  const allowed = [...Object.keys(specs), ...Object.keys(COMMON_STRATEGY_PARAMS)];
  const issues: { param: string; message: string }[] = [];
  const params: Record<string, number> = {};
  for (const key of Object.keys(given)) {
    if (!(key in specs) && !(key in COMMON_STRATEGY_PARAMS)) {
      issues.push({ param: key, message: `unknown parameter of strategy ${name}; allowed: ${allowed.length ? allowed.join(', ') : '(none)'}` });
    }
  }
  const common = Object.entries(COMMON_STRATEGY_PARAMS).filter(([key]) => given[key] !== undefined);
  for (const [key, spec] of [...Object.entries(specs), ...common]) {
    const v = given[key] ?? spec.default;
    if (typeof v !== 'number' || !Number.isFinite(v) || (spec.integer && !Number.isInteger(v)) || v < spec.min || v > spec.max) {
      issues.push({ param: key, message: `must be ${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}] (${spec.description}), got ${JSON.stringify(v)}` });
    } else {
      params[key] = v;
    }
  }
  return { params, issues };
}

/** A strategy by name with the given parameters (defaults for the rest). */
export function createStrategy(name: string, params: Readonly<Record<string, unknown>> = {}): Strategy {
  if (!isStrategyName(name)) {
    throw new Error(`Unknown strategy ${JSON.stringify(name)}; allowed: ${STRATEGY_NAMES.join(', ')}`);
  }
  const resolved = resolveStrategyParams(name, params);
  if (resolved.issues.length > 0) {
    throw new Error(`Invalid parameters for strategy ${name}: ${resolved.issues.map((i) => `${i.param} ${i.message}`).join('; ')}`);
  }
  return STRATEGIES[name].create(resolved.params);
}
