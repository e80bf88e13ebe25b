import { describe, expect, it } from 'vitest';
import { aggregateCurves } from '../../src/analysis/curves.js';
import { curveChartData, learningCurveSpec, strategyOrder } from '../../src/report/learning-curve-spec.js';
import { compileToVega, renderSvg } from '../../src/report/svg.js';
import { fakeCell, fakeResult, fakeStudy } from '../analysis/fixtures.js';

// The spec is plain JSON; reading it through `any` keeps the assertions short.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const allRows = aggregateCurves(fakeStudy());
const digitsRows = allRows.filter((r) => r.setting === 'digits');

describe('learningCurveSpec', () => {
  it('draws one chart with band, line and points when there is one setting', () => {
    const spec: Json = learningCurveSpec(digitsRows);
    expect(spec.facet).toBeUndefined();
    expect(spec.layer.map((l: Json) => l.mark.type)).toEqual(['area', 'line', 'point']);
    const [band, line] = spec.layer;
    expect(band.encoding.y.field).toBe('lower');
    expect(band.encoding.y2.field).toBe('upper');
    expect(line.encoding.x).toMatchObject({ field: 'labeled', title: 'Labelled examples' });
    expect(line.encoding.y).toMatchObject({ field: 'mean', axis: { title: 'Test accuracy' } });
    expect(spec.data.values).toHaveLength(digitsRows.length);
    expect(spec.title.text).toMatch(/accuracy vs\. labelled examples/);
    expect(spec.title.subtitle.join(' ')).toMatch(/3 seeds.*95% confidence interval.*Black dashed line: random sampling/);
  });

  it('draws random sampling black and dashed, first in the legend', () => {
    const line: Json = (learningCurveSpec(digitsRows) as Json).layer[1];
    expect(line.encoding.color.scale.domain).toEqual(['random', 'entropy']);
    expect(line.encoding.color.scale.range).toEqual(['#000000', '#4e79a7']);
    expect(line.encoding.strokeDash.scale.range).toEqual([[6, 4], []]);
    expect(strategyOrder(digitsRows, 'entropy')).toEqual(['entropy', 'random']);
  });

  it('facets by setting label when there are several settings', () => {
    const spec: Json = learningCurveSpec(allRows);
    expect(spec.facet).toMatchObject({ field: 'setting', type: 'nominal', sort: ['digits', 'synthetic'] });
    expect(spec.columns).toBe(2);
    expect(spec.spec.layer).toHaveLength(3);
    expect(spec.resolve.scale).toEqual({ x: 'independent', y: 'independent' });
    expect(spec.layer).toBeUndefined();
  });

  it('plots macro-F1 on request', () => {
    const spec: Json = learningCurveSpec(digitsRows, { metric: 'macroF1' });
    expect(spec.layer[1].encoding.y.axis.title).toBe('Test macro-F1');
    expect(spec.data.values[0].mean).toBeCloseTo(digitsRows[0].macroF1.mean, 12);
  });

  it('says so when the baseline is missing', () => {
    const spec: Json = learningCurveSpec(digitsRows.filter((r) => r.strategy !== 'random'));
    expect(spec.title.subtitle.join(' ')).toMatch(/No 'random' baseline/);
  });

  it('clips bands to [0, 1] and leaves them out for a single seed', () => {
    const rows = aggregateCurves([
      fakeResult(fakeCell({ seed: 0 }), [0.9, 0.99]),
      fakeResult(fakeCell({ seed: 1 }), [0.95]),
    ]);
    const data = curveChartData(rows);
    expect(data[0].upper).toBe(1); // 0.925 + 12.7·0.025 would be 1.24
    expect(data[0].lower).toBeCloseTo(0.925 - 12.7062 * 0.025, 3);
    expect(data[1]).toMatchObject({ n: 1, lower: null, upper: null, ci95: null });
  });

  it('mentions no URL (the page must stay offline)', () => {
    expect(JSON.stringify(learningCurveSpec(allRows))).not.toMatch(/https?:/);
  });

  it('compiles without Vega-Lite warnings and renders to SVG in Node', async () => {
    for (const spec of [learningCurveSpec(digitsRows), learningCurveSpec(allRows, { metric: 'macroF1' })]) {
      const diagnostics = { warnings: [] as string[] };
      compileToVega(spec, diagnostics);
      expect(diagnostics.warnings).toEqual([]);
      const svg = await renderSvg(spec);
      expect(svg).toMatch(/^<svg/);
      expect(svg).toContain('Labelled examples');
      expect(svg).toContain('stroke-dasharray="6,4"');
    }
  });
});
