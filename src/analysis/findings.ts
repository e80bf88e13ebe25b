/**
 * A verdict on each finding of the critique papers, computed from this run's results: one file
 * per finding under findings/, one decision procedure for all (findings/procedure.ts), and the
 * list in findings/registry.ts. This module is the public face of that folder.
 *
 * The report recommends ≥ RECOMMENDED_SEEDS seeds: CDALBench (Werner et al. 2024) showed that
 * conclusions drawn from 3 seeds can flip.
 */
export { computeFindings, FINDINGS, resolveDefinition } from './findings/registry.js';
export { ALPHA, MIN_SEEDS, RECOMMENDED_SEEDS, decide, decideFamily, estimate, isEquivalent, classify } from './findings/procedure.js';
export { FINDING_IDS } from './findings/types.js';
export type {
  Cell, Direction, EvidenceTable, Finding, FindingDefinition, FindingId, FindingOptions, FindingsInput, TreatmentAxis, Verdict,
} from './findings/types.js';
