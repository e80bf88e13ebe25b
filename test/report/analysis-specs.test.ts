import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { cdDiagramData, cdDiagramSpec } from '../../src/report/cd-diagram-spec.js';
import { learningCurveSpec } from '../../src/report/learning-curve-spec.js';
import { penaltyMatrixData, penaltyMatrixSpec } from '../../src/report/penalty-matrix-spec.js';
import { compileToVega, renderSvg } from '../../src/report/svg.js';
import { varianceSpec } from '../../src/report/variance-spec.js';
import type { CellResult } from '../../src/store/schema.js';
import { fakeCell, fakeResult, fakeStudy } from '../analysis/fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

/** random, entropy, margin × 3 seeds × augmentation none/flip × ssl none/fixmatch, 4 checkpoints. */
function gridStudy(): CellResult[] {
  const out: CellResult[] = [];
  for (const augmentation of ['none', 'flip']) {
    for (const ssl of ['none', 'fixmatch']) {
      for (const [k, strategy] of ['random', 'entropy', 'margin'].entries()) {
        for (const seed of [0, 1, 2]) {
          const accs = [0.5, 0.6, 0.7, 0.75].map((a, i) => (i === 0 ? a : a + 0.02 * k + 0.01 * seed));
          out.push(fakeResult(fakeCell({ strategy, seed, augmentation: augmentation as 'none', ssl: ssl as 'none' }), accs));
        }
      }
    }
  }
  return out;
}

const fake = analyze(fakeStudy(), 'random');
const grid = analyze(gridStudy(), 'random');

describe('analysis chart specs (pure builders)', () => {
  it('penalty matrix: one rect per ordered pair, a loss row, diagonal empty', () => {
    const spec: Json = penaltyMatrixSpec(grid.penalty);
    const data = penaltyMatrixData(grid.penalty);
    expect(data).toHaveLength(3 * 3 + 3);
    expect(data.filter((d) => d.winner === d.loser).every((d) => d.value === null)).toBe(true);
    expect(spec.encoding.y.sort).toEqual(['entropy', 'margin', 'random', 'Σ losses']);
    expect(spec).toMatchSnapshot();
  });

  it('CD diagram: labels outside the axis on alternating sides, clique bars, Nemenyi bar', () => {
    const cd = fake.cd!;
    const { labels } = cdDiagramData(cd);
    expect(labels.map((l) => l.align)).toEqual(['right', 'left']);
    expect(cdDiagramSpec(cd)).toMatchSnapshot();
  });

  it('seed variance: one bar per setting × strategy with a std', () => {
    const spec: Json = varianceSpec(fake.variance, ['random', 'entropy']);
    expect(spec.data.values).toHaveLength(4);
    // Same colours as the learning curves: the baseline black.
    expect(spec.encoding.color.scale).toEqual({ domain: ['random', 'entropy'], range: ['#000000', '#4e79a7'] });
    expect(spec).toMatchSnapshot();
  });

  it('learning curves facet rows by augmentation and columns by SSL', () => {
    const spec: Json = learningCurveSpec(grid.curves, { facetBy: 'augmentation-ssl' });
    expect(spec.facet.row).toMatchObject({ field: 'augmentation', sort: ['flip', 'none'] });
    expect(spec.facet.column).toMatchObject({ field: 'ssl', sort: ['fixmatch', 'none'] });
    expect(spec.data.values[0]).toMatchObject({ augmentation: expect.any(String), ssl: expect.any(String) });
    expect(spec).toMatchSnapshot();
    // Nothing to facet by: one panel.
    expect((learningCurveSpec(fake.curves.filter((r) => r.setting === 'digits'), { facetBy: 'augmentation-ssl' }) as Json).facet).toBeUndefined();
  });

  it('every builder compiles without Vega-Lite warnings and renders to SVG in Node', async () => {
    const specs = [
      penaltyMatrixSpec(grid.penalty),
      cdDiagramSpec(grid.cd!),
      varianceSpec(grid.variance, ['random', 'entropy', 'margin']),
      learningCurveSpec(grid.curves, { facetBy: 'augmentation-ssl' }),
    ];
    for (const spec of specs) {
      const diagnostics = { warnings: [] as string[] };
      compileToVega(spec, diagnostics);
      expect(diagnostics.warnings).toEqual([]);
      expect(await renderSvg(spec)).toMatch(/^<svg/);
      expect(JSON.stringify(spec)).not.toMatch(/https?:|file:/);
    }
  });

  it('a strategy name that is markup stays data: it is escaped in the SVG text', async () => {
    const evil = '</script><img src=x onerror=alert(1)>';
    const results = [0, 1, 2].flatMap((seed) => [
      fakeResult(fakeCell({ strategy: 'random', seed }), [0.5, 0.6, 0.7]),
      fakeResult(fakeCell({ strategy: evil, seed }), [0.5, 0.65 + 0.01 * seed, 0.75]),
    ]);
    const a = analyze(results, 'random');
    const svg = await renderSvg(cdDiagramSpec(a.cd!));
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
  });
});
