/**
 * Critical-difference diagram (Demšar 2006, Fig. 1 style): strategies placed on an axis of
 * average rank (1 = best, at the left); thick bars join strategies whose pairwise Wilcoxon tests
 * are not significant after Holm's correction; a scale bar shows Nemenyi's CD for reference.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { CdRanks } from '../analysis/cd-ranks.js';

/** Rank units between the axis ends and the labels, which sit outside the axis as in Demšar's figure. */
const LABEL_GAP = 0.25;
/** Rank units of margin each side for the label text. */
const MARGIN = 1.6;

export function cdDiagramData(cd: CdRanks) {
  const k = cd.strategies.length;
  const half = Math.ceil(k / 2);
  // Labels hang below the axis, left half to the left edge and right half to the right edge,
  // each on its own level so none overlaps (Demšar's layout).
  const labels = cd.strategies.map((s, i) => {
    const level = i < half ? i + 1 : k - i;
    return {
      strategy: s,
      rank: cd.averageRanks[i],
      level: -level * 0.6 - 0.4,
      labelX: i < half ? 1 - LABEL_GAP : k + LABEL_GAP,
      align: i < half ? 'right' : 'left',
      text: `${s} (${cd.averageRanks[i].toFixed(2)})`,
    };
  });
  const cliques = cd.cliques.map((members, i) => ({
    from: cd.averageRanks[cd.strategies.indexOf(members[0])] - 0.03,
    to: cd.averageRanks[cd.strategies.indexOf(members[members.length - 1])] + 0.03,
    y: -0.15 - 0.12 * i,
    members: members.join(', '),
  }));
  return { labels, cliques };
}

export function cdDiagramSpec(cd: CdRanks): TopLevelSpec {
  const k = cd.strategies.length;
  const { labels, cliques } = cdDiagramData(cd);
  const minLevel = Math.min(...labels.map((l) => l.level), ...cliques.map((c) => c.y));
  const x = { type: 'quantitative' as const, scale: { domain: [1 - MARGIN, k + MARGIN] }, axis: null };
  const y = { type: 'quantitative' as const, scale: { domain: [minLevel - 0.3, 1.1] }, axis: null };
  const friedman =
    cd.friedmanP === null ? '' : `Friedman χ² = ${cd.friedmanChiSquare!.toFixed(2)}, p = ${cd.friedmanP.toPrecision(3)} over ${cd.blocks} independent blocks (dataset × seed).`;
  const ticks = Array.from({ length: k }, (_, i) => ({ rank: i + 1 }));
  const layer: Extract<TopLevelSpec, { layer: unknown }>['layer'][number][] = [
    // The rank axis.
    { data: { values: [{ a: 1, b: k }] }, mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { x: { field: 'a', ...x }, x2: { field: 'b' }, y: { datum: 0, ...y } } },
    { data: { values: ticks }, mark: { type: 'tick', orient: 'vertical', size: 10 }, encoding: { x: { field: 'rank', ...x }, y: { datum: 0, ...y } } },
    { data: { values: ticks }, mark: { type: 'text', dy: -12, fontSize: 12 }, encoding: { x: { field: 'rank', ...x }, y: { datum: 0, ...y }, text: { field: 'rank' } } },
    // Elbow from each strategy's rank down to its label level, then across to the label.
    { data: { values: labels }, mark: { type: 'rule', strokeWidth: 1 }, encoding: { x: { field: 'rank', ...x }, y: { field: 'level', ...y }, y2: { datum: 0 } } },
    { data: { values: labels }, mark: { type: 'rule', strokeWidth: 1 }, encoding: { x: { field: 'rank', ...x }, x2: { field: 'labelX' }, y: { field: 'level', ...y } } },
    // Vega-Lite has no align encoding: one text layer per side.
    ...(['left', 'right'] as const).map((side) => ({
      data: { values: labels.filter((l) => l.align === side) },
      mark: { type: 'text' as const, dy: 4, dx: side === 'right' ? -4 : 4, fontSize: 13, align: side },
      encoding: {
        x: { field: 'labelX', ...x },
        y: { field: 'level', ...y },
        text: { field: 'text' },
        tooltip: [{ field: 'strategy', title: 'Strategy' }, { field: 'rank', type: 'quantitative' as const, title: 'Average rank', format: '.3f' }],
      },
    })),
  ];
  if (cliques.length) {
    layer.push({
      data: { values: cliques },
      mark: { type: 'rule', strokeWidth: 5, color: '#59636e' },
      encoding: {
        x: { field: 'from', ...x },
        x2: { field: 'to' },
        y: { field: 'y', ...y },
        tooltip: [{ field: 'members', title: 'Not significantly different' }],
      },
    });
  }
  if (cd.criticalDifference !== null) {
    const cdv = cd.criticalDifference;
    layer.push(
      { data: { values: [{ a: 1, b: 1 + cdv }] }, mark: { type: 'rule', strokeWidth: 2, color: '#b3261e' }, encoding: { x: { field: 'a', ...x }, x2: { field: 'b' }, y: { datum: 0.8, ...y } } },
      {
        data: { values: [{ a: 1 + cdv }] },
        mark: { type: 'text', align: 'left', dx: 6, fontSize: 12, color: '#b3261e' },
        encoding: { x: { field: 'a', ...x }, y: { datum: 0.8, ...y }, text: { value: `Nemenyi CD = ${cdv.toFixed(2)}` } },
      },
    );
  }
  return {
    title: {
      text: 'Critical-difference diagram (average rank by AUBC; 1 = best)',
      subtitle: [
        friedman,
        `Bars join strategies not significantly different (pairwise Wilcoxon signed-rank, Holm-corrected, α = ${cd.alpha}).`,
      ].filter(Boolean),
      anchor: 'start',
    },
    width: Math.round(90 * (k - 1 + 2 * MARGIN)),
    height: 60 + 28 * Math.ceil(k / 2) + 12 * cliques.length,
    layer,
  };
}
