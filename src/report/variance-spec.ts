/** Seed-to-seed spread per configuration: std of the final accuracy, one bar per strategy and setting. */
import type { TopLevelSpec } from 'vega-lite';
import type { VarianceRow } from '../analysis/variance.js';
import { DEFAULT_BASELINE, strategyColors } from './learning-curve-spec.js';

/** `strategies` in legend order; colours match the learning curves (the baseline black). */
export function varianceSpec(rows: readonly VarianceRow[], strategies: readonly string[], baseline: string = DEFAULT_BASELINE): TopLevelSpec {
  const values = rows
    .filter((r) => r.finalStd !== null)
    .map((r) => ({ setting: r.setting, strategy: r.strategy, std: r.finalStd, seeds: r.seeds, range: r.finalRange }));
  const settings = [...new Set(values.map((v) => v.setting))];
  return {
    title: {
      text: 'Seed variance: std of final accuracy over seeds',
      subtitle: 'Bars longer than the gaps between strategies mean the ranking may be seed noise (Munjal et al. 2022).',
      anchor: 'start',
    },
    data: { values },
    width: 520,
    height: { step: 14 },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'setting', type: 'nominal', title: null, sort: settings },
      yOffset: { field: 'strategy', type: 'nominal', sort: [...strategies] },
      x: { field: 'std', type: 'quantitative', title: 'Std of final accuracy over seeds', axis: { format: '.1%' } },
      color: {
        field: 'strategy',
        type: 'nominal',
        title: 'Strategy',
        sort: [...strategies],
        scale: { domain: [...strategies], range: strategyColors(strategies, baseline) },
      },
      tooltip: [
        { field: 'setting', title: 'Setting' },
        { field: 'strategy', title: 'Strategy' },
        { field: 'std', type: 'quantitative', title: 'Std', format: '.4f' },
        { field: 'range', type: 'quantitative', title: 'Max − min', format: '.4f' },
        { field: 'seeds', type: 'quantitative', title: 'Seeds' },
      ],
    },
  };
}
