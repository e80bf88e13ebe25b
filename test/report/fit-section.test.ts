// The report's training-fit section (src/report/fit-section.ts): hand-made results whose fit
// figures can be checked by eye; the warning names exactly the rounds below 90 %.
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.js';
import { fitReport, underfittedRounds } from '../../src/report/fit-section.js';
import type { CellResult, TuningRecord } from '../../src/store/schema.js';
import { fakeCell, fakeResult } from '../regression/fake-results.js';

/** A result whose rounds ended at training accuracies `fit` (loss 1 − acc, 40 steps each). */
function withFit(strategy: string, seed: number, fit: readonly number[], tuning?: TuningRecord): CellResult {
  const r = fakeResult(fakeCell(strategy, seed), [0.5, 0.6, 0.7]);
  return { ...r, rounds: r.rounds.map((x, i) => ({ ...x, trainAccuracy: fit[i], trainLoss: 1 - fit[i], steps: 40 })), ...(tuning ? { tuning } : {}) };
}

const tuning = (seed: number): TuningRecord => ({
  key: `tune-${seed}`,
  folds: 3,
  choice: { learningRate: 0.003, weightDecay: 0 },
  scores: [
    { learningRate: 0.001, weightDecay: 0, foldAccuracy: [0.5, 0.6, 0.7], meanAccuracy: 0.6 },
    { learningRate: 0.003, weightDecay: 0, foldAccuracy: [0.7, 0.7, 0.7], meanAccuracy: 0.7 },
  ],
  tuneMs: 1500,
});

describe('training fit in the report', () => {
  it('summarises fit per strategy and names the underfitted rounds', () => {
    const results = [withFit('random', 0, [1, 1, 0.95]), withFit('random', 1, [0.85, 1, 1]), withFit('margin', 0, [1, 0.8, 0.6])];
    const under = underfittedRounds(results);
    expect(under.map((u) => [u.strategy, u.seed, u.rounds.map((x) => x.round)])).toEqual([
      ['random', 1, [0]],
      ['margin', 0, [1, 2]],
    ]);
    const { sections, tables } = fitReport(results);
    const fit = tables.find((t) => t.id === 'training-fit')!;
    expect(fit.rows).toEqual([
      { setting: 'synthetic · mlp', strategy: 'margin', seeds: 1, firstRound: 1, lastRound: 0.6, lowest: 0.6, meanLoss: expect.closeTo(0.2, 12), steps: '40', underfit: 2 },
      { setting: 'synthetic · mlp', strategy: 'random', seeds: 2, firstRound: (1 + 0.85) / 2, lastRound: (0.95 + 1) / 2, lowest: 0.85, meanLoss: expect.closeTo((0 + 0 + 0.05 + 0.15 + 0 + 0) / 6, 12), steps: '40', underfit: 1 },
    ]);
    const html = (sections[0].blocks[0] as { html: string }).html;
    expect(html).toContain('<strong>Underfitted:</strong> 3 rounds in 2 cells ended below 90 % training accuracy');
    expect(html).toContain('random · seed 1 (<code>random-1-30-</code>) rounds 0 (10 labels, 0.85)');
    expect(html).toContain('margin · seed 0 (<code>margin-0-30-</code>) rounds 1 (20 labels, 0.80), 2 (30 labels, 0.60)');
  });

  it('says so when every round fitted; adds nothing for results from before the fit fields', () => {
    const ok = fitReport([withFit('random', 0, [1, 1, 0.95])]);
    expect((ok.sections[0].blocks[0] as { html: string }).html).toBe('<p>Every round ended at ≥ 90 % training accuracy.</p>');
    expect(fitReport([fakeResult(fakeCell('random', 0), [0.5, 0.6, 0.7])])).toEqual({ sections: [], tables: [] });
  });

  it('tabulates the tuned recipe once per seed, and the page carries both sections', () => {
    const results = [withFit('random', 0, [1, 1, 1], tuning(0)), withFit('margin', 0, [1, 1, 1], tuning(0)), withFit('random', 1, [1, 1, 1], tuning(1))];
    const t = fitReport(results).tables.find((x) => x.id === 'tuning')!;
    expect(t.rows).toHaveLength(2);
    expect(t.rows[0]).toMatchObject({ seed: 0, learningRate: 0.003, weightDecay: 0, cvAccuracy: 0.7, candidates: '0.001 / 0: 0.600; 0.003 / 0: 0.700', seconds: 1.5 });
    const page = buildReport(results, { studyName: 's', generatedAt: 'now', bundles: { vega: '', vegaLite: '', vegaEmbed: '' } });
    expect(page.html).toContain('id="section-fit"');
    expect(page.html).toContain('id="section-tuning"');
    expect(page.tables.map((x) => x.id)).toEqual(expect.arrayContaining(['training-fit', 'tuning']));
  });
});
