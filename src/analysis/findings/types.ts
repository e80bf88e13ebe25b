/** The shapes shared by every finding: what a finding declares, what a verdict carries. */
import type { SettingRuns } from '../seed-curves.js';

export const FINDING_IDS = ['F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'F11', 'F12'] as const;
export type FindingId = (typeof FINDING_IDS)[number];
export type Verdict = 'supported' | 'not supported' | 'inconclusive' | 'not covered';

/** +1: the claim says the estimand is positive; −1: negative; 0: it differs from 0 either way. */
export type Direction = 1 | -1 | 0;

/** A treatment axis whose effect on the baseline the report checks (treatment-checks.ts). */
export type TreatmentAxis = 'augmentation' | 'ssl' | 'representation' | 'protocol';

export type Cell = string | number | null;

/** The numbers behind a verdict, as a small table. */
export interface EvidenceTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
}

/** What a finding declares about itself (one file per finding under findings/). */
export interface FindingDefinition {
  readonly id: FindingId;
  readonly title: string;
  readonly claim: string;
  readonly citation: string;
  /** When another paper found the opposite, that paper's view in one sentence (both sides are shown). */
  readonly counterView?: string;
  /** The estimand, in words: the quantity per seed whose mean the claim is about. */
  readonly estimand: string;
  readonly direction: Direction;
  /** Smallest effect of interest on the estimand's own scale (overridable per study). */
  readonly minEffect: number;
  /** Treatments the claim presupposes to work (judged only where they improved the baseline). */
  readonly presupposes: readonly TreatmentAxis[];
  readonly compute: (input: FindingsInput, def: ResolvedDefinition) => Finding;
}

/** A definition with the study's overrides applied. */
export type ResolvedDefinition = Omit<FindingDefinition, 'compute'>;

/** Per-study overrides of the decision procedure (spec field `findings`). */
export type FindingOptions = Readonly<Partial<Record<FindingId, { readonly minEffect?: number }>>>;

export interface FindingsInput {
  readonly settings: readonly SettingRuns[];
  /** Varying setting axes (dotted paths), from curves.varyingAxes. */
  readonly axes: readonly string[];
  readonly baseline: string;
  readonly options?: FindingOptions;
}

export interface Finding {
  readonly id: FindingId;
  readonly title: string;
  readonly claim: string;
  readonly citation: string;
  readonly counterView?: string;
  readonly estimand: string;
  readonly direction: Direction;
  readonly minEffect: number;
  readonly presupposes: readonly TreatmentAxis[];
  /** What was computed, in words. */
  readonly statistic: string;
  /** The headline estimate (null when not computed). */
  readonly value: number | null;
  /** Its 95 % CI as [low, high], when it has one. */
  readonly interval: readonly [number, number] | null;
  /** Two-sided p of the headline test (Holm-adjusted within the family when it has > 1 member). */
  readonly p: number | null;
  /** Standardised effect (mean / sd of the per-seed values, Cohen's d_z), when defined. */
  readonly effectSize: number | null;
  /** Hypotheses in the finding's Holm family (1 for a single estimand; 0 when not computed). */
  readonly familySize: number;
  /** For an inconclusive verdict: seeds that would decide it at the observed variance (null: not estimable). */
  readonly seedsNeeded: number | null;
  readonly verdict: Verdict;
  /** Why this verdict: the decision rule's outcome, or what the run lacks. */
  readonly reason: string;
  /** Fewest seeds behind any number used (0 when not covered). */
  readonly seeds: number;
  readonly evidence: EvidenceTable;
}
