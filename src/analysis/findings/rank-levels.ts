/** Ranking levels for F4, F5, F7 and F12: per strategy and seed, the AUBC at each level of an axis. */
import { aubcBetween } from '../aubc.js';
import { factorValues, findAxis, levelLabel, matchedGroups, type FactorLevel } from '../factors.js';
import type { CurveMetricName, SettingRuns } from '../seed-curves.js';
import { blocks, cellAubc, finish, lacks, metricA, notCovered } from './helpers.js';
import { decideRanking, RANKING_COLUMNS, type RankLevel } from './ranking.js';
import type { Finding, FindingsInput, ResolvedDefinition } from './types.js';

export function aubcScores(runs: SettingRuns, metric: CurveMetricName, range?: readonly [number, number]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const [strategy, bySeed] of runs.byStrategy) {
    const m = new Map<number, number>();
    for (const [seed, c] of bySeed) {
      const v = range ? aubcBetween(c.labeled, c[metric], range[0], range[1]) : cellAubc(c, metric);
      if (v !== null) m.set(seed, v);
    }
    out.set(strategy, m);
  }
  return out;
}

function groupName(levels: readonly FactorLevel[], path: string): string {
  return `${levels[0].runs.label} (varying ${path})`;
}

export function levelsOf(groups: readonly FactorLevel[][], path: string): RankLevel[][] {
  return groups.map((levels) => levels.map((l) => ({ group: groupName(levels, path), label: levelLabel(l.value), scores: aubcScores(l.runs, metricA) })));
}

export function rankingFinding(def: ResolvedDefinition, statistic: string, groups: readonly (readonly RankLevel[])[]): Finding {
  const r = decideRanking(groups, def.minEffect);
  const headline = `${statistic} Key number: the pair × level interaction with the largest estimate (the reversal itself when one is found).`;
  return finish(def, headline, r.decision, r.seeds, { columns: RANKING_COLUMNS, rows: r.rows }, r.familySize);
}

/**
 * A ranking claim across the levels of one top-level axis (F4, F12): not covered when the run
 * does not vary `path`, else the interaction test on the independent settings.
 */
export function rankingAcrossAxis(def: ResolvedDefinition, statistic: string, input: FindingsInput, path: string, axis: string, suggestion: string): Finding {
  if (!findAxis(input.axes, path)) return notCovered(def, statistic, lacks(axis, factorValues(input.settings, path), suggestion));
  const groups = matchedGroups(blocks(input), path);
  if (!groups.length) return notCovered(def, statistic, `no settings differ only in ${axis}`);
  return rankingFinding(def, statistic, levelsOf(groups, path));
}
