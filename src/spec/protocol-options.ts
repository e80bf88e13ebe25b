/**
 * Options of a `protocol` axis entry (`{ name: retrain, swaStart: 0.75, ... }`; weight decay lives in `training`) with their
 * allowed ranges: the spec validator and `albench list axes` read this one table.
 */
export interface ProtocolOptionSpec {
  readonly min: number;
  readonly max: number;
  /** The range excludes `min` (a zero would mean "off", which is written by leaving the option out). */
  readonly exclusiveMin: boolean;
  readonly integer: boolean;
  /** Filled in when absent (only where the option has a default). */
  readonly default?: number;
  readonly description: string;
}

export const PROTOCOL_OPTIONS = {
  swaStart: { min: 0, max: 1, exclusiveMin: false, integer: false, description: 'SWA (Izmailov et al. 2018): average end-of-epoch weights from this fraction of training on' },
  validationFraction: { min: 0, max: 0.5, exclusiveMin: true, integer: false, description: 'early stopping on a validation split of this fraction of the labelled set' },
  patience: { min: 1, max: 10_000, exclusiveMin: false, integer: true, default: 5, description: 'early stopping: epochs without a lower validation loss (needs validationFraction)' },
} as const satisfies Readonly<Record<string, ProtocolOptionSpec>>;
