import { randomStrategy } from './random.js';
import type { Strategy } from './strategy.js';
import { uncertaintyStrategy } from './uncertainty.js';
import { entropyScores, leastConfidenceScores, marginScores } from './uncertainty-scores.js';

export const STRATEGY_NAMES = ['random', 'least-confidence', 'margin', 'entropy'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface StrategyInfo {
  readonly name: StrategyName;
  readonly family: 'baseline' | 'uncertainty';
  readonly citation: string;
  readonly create: () => Strategy;
}

export const STRATEGIES: Readonly<Record<StrategyName, StrategyInfo>> = {
  random: {
    name: 'random',
    family: 'baseline',
    citation: 'Uniform random sampling (baseline)',
    create: () => randomStrategy,
  },
  'least-confidence': {
    name: 'least-confidence',
    family: 'uncertainty',
    citation: 'Lewis & Gale, SIGIR 1994, "A Sequential Algorithm for Training Text Classifiers"',
    create: () => uncertaintyStrategy('least-confidence', leastConfidenceScores),
  },
  margin: {
    name: 'margin',
    family: 'uncertainty',
    citation: 'Scheffer, Decomain & Wrobel, IDA 2001, "Active Hidden Markov Models for Information Extraction"',
    create: () => uncertaintyStrategy('margin', marginScores),
  },
  entropy: {
    name: 'entropy',
    family: 'uncertainty',
    citation: 'Shannon entropy of the predictive distribution; Settles 2009, "Active Learning Literature Survey", §3.1',
    create: () => uncertaintyStrategy('entropy', entropyScores),
  },
};

export function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

export function createStrategy(name: string): Strategy {
  if (!isStrategyName(name)) {
    throw new Error(`Unknown strategy ${JSON.stringify(name)}; allowed: ${STRATEGY_NAMES.join(', ')}`);
  }
  return STRATEGIES[name].create();
}
