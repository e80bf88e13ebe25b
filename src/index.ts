/**
 * albench's public library API. The CLI is built on these; users import them to load specs, run
 * cells, or check their own strategy implementations against the reference scoring functions.
 */
export { createRng } from './rng.js';
export { initBackend, BACKEND_NAMES } from './backend/index.js';
export { loadDataset, DATASET_INFO } from './data/registry.js';
export { DatasetError } from './data/dataset.js';
export { loadStudy } from './spec/load.js';
export { validateSpec } from './spec/validate.js';
export { expandStudy, cellId } from './spec/expand.js';
export { SpecError } from './spec/errors.js';
export { runCell } from './loop/run-cell.js';
export { runStudy } from './runner/run-study.js';
export { STRATEGIES, STRATEGY_NAMES, createStrategy } from './strategies/registry.js';
export { selectTopK } from './strategies/select.js';
export { PoolExhaustedError } from './strategies/strategy.js';
// For plugin strategies (docs/regression-checking.md): the need names, the shared checks, the contract.
export { NEED_NAMES, checkBatch, required } from './strategies/strategy.js';
export { checkStrategyContract, CONTRACT_CHECK_NAMES } from './strategies/contract.js';
export { createContractFixture } from './strategies/contract-fixture.js';
export { loadStrategyModule, strategyForCell } from './strategies/plugin.js';
export { compareRuns } from './regression/compare-runs.js';
export { diffCellResults } from './regression/diff-results.js';
export { entropyScores, marginScores, leastConfidenceScores } from './strategies/uncertainty-scores.js';
export { scoring, selection } from './strategies/scoring.js';
export {
  baldScores,
  variationRatioScores,
  meanStdScores,
  meanEntropyScores,
  voteEntropyScores,
  klToMeanScores,
} from './strategies/sample-scores.js';
export { kCenterGreedyRows } from './strategies/k-center.js';
export { readAllCellResults, readCellResult } from './store/results.js';
export { SCHEMA_VERSION } from './store/schema.js';
export { analyze } from './analysis/analyze.js';
export { aubc } from './analysis/aubc.js';
export { labelsToReach } from './analysis/label-efficiency.js';
export { wilcoxonSignedRank } from './analysis/wilcoxon.js';
export { friedmanTest } from './analysis/friedman.js';
export { holmAdjust } from './analysis/holm.js';
export { kendallTauB } from './analysis/kendall.js';
export { computeFindings } from './analysis/findings.js';

export type { Rng } from './rng.js';
export type { BackendChoice } from './backend/index.js';
export type { Dataset, Split } from './data/dataset.js';
export type { DatasetConfig, ResolvedCell, Study, TrainingConfig } from './spec/types.js';
export type { StudySpec } from './spec/validate.js';
export type { Strategy, SelectionContext, Selection, Need, NeedOptions, AuxModel, AuxTrainRequest, GradEmbeddings, Matrix } from './strategies/strategy.js';
export type { SampleStack } from './strategies/sample-scores.js';
export type { CellResult, CompletedResult, FailedResult, RoundRecord, EnvInfo } from './store/schema.js';
export type { StrategyPlugin } from './spec/types.js';
export type { ContractCheck } from './strategies/contract.js';
export type { ContractFixture } from './strategies/contract-fixture.js';
export type { CompareOptions, CompareReport, ComparisonRow, ComparedQuantity, Verdict as CompareVerdict, CellRef } from './regression/compare-runs.js';
export type { ResultMismatch } from './regression/diff-results.js';
export type { RunEvent } from './runner/events.js';
export type { RunOptions, RunSummary } from './runner/run-study.js';
export type { Analysis } from './analysis/analyze.js';
export type { Finding, FindingOptions, Verdict } from './analysis/findings.js';
