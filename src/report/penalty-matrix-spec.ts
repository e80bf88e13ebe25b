/**
 * Heatmap of the pairwise penalty matrix (Ash et al. 2020, Fig. 4 style): row i, column j holds
 * how often strategy i significantly beat strategy j; a last row sums each column (losses).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { PenaltyMatrix } from '../analysis/penalty-matrix.js';
import { penaltyLosses } from '../analysis/penalty-matrix.js';

const LOSSES = 'Σ losses';

export function penaltyMatrixData(p: PenaltyMatrix) {
  const cells = p.strategies.flatMap((winner, i) =>
    p.strategies.map((loser, j) => ({ winner, loser, value: i === j ? null : p.matrix[i][j] })),
  );
  const losses = penaltyLosses(p).map((value, j) => ({ winner: LOSSES, loser: p.strategies[j], value }));
  return [...cells, ...losses];
}

export function penaltyMatrixSpec(p: PenaltyMatrix): TopLevelSpec {
  const size = Math.max(40, Math.min(70, 420 / Math.max(1, p.strategies.length)));
  return {
    title: {
      text: 'Pairwise penalty matrix',
      subtitle: [
        `Row beats column: paired t-test over seeds at each checkpoint (α = ${p.alpha}), 1/#checkpoints per significant win.`,
        `Summed over ${p.settings} setting${p.settings === 1 ? '' : 's'} (the largest possible entry). Last row: column sums, lower is better.`,
      ],
      anchor: 'start',
    },
    data: { values: penaltyMatrixData(p) },
    width: size * p.strategies.length,
    height: size * (p.strategies.length + 1),
    encoding: {
      x: { field: 'loser', type: 'nominal', title: 'Loses (column)', sort: [...p.strategies], axis: { labelAngle: -30, orient: 'top' } },
      y: { field: 'winner', type: 'nominal', title: 'Wins (row)', sort: [...p.strategies, LOSSES] },
    },
    layer: [
      {
        mark: { type: 'rect', stroke: '#ffffff' },
        encoding: {
          color: {
            field: 'value',
            type: 'quantitative',
            title: 'Wins',
            scale: { scheme: 'blues', domainMin: 0 },
          },
          tooltip: [
            { field: 'winner', title: 'Row' },
            { field: 'loser', title: 'Column' },
            { field: 'value', type: 'quantitative', title: 'Value', format: '.2f' },
          ],
        },
      },
      {
        transform: [{ filter: 'datum.value != null' }],
        mark: { type: 'text', fontSize: 12 },
        encoding: {
          text: { field: 'value', type: 'quantitative', format: '.2f' },
          color: { condition: { test: 'datum.value > 0.6 * ' + String(Math.max(1, p.settings)), value: '#ffffff' }, value: '#1f2328' },
        },
      },
    ],
  };
}
