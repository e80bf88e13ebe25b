import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/analysis/findings.js';
import { describeScale, findingsDocMarkdown, type PresetDocEntry } from '../../src/report/findings-doc.js';
import type { ResolvedCell } from '../../src/spec/types.js';

function finding(id: Finding['id'], verdict: Finding['verdict'], value: number | null, interval: [number, number] | null = null): Finding {
  return {
    id,
    title: `title of ${id}`,
    claim: `claim of ${id}`,
    citation: `paper of ${id}`,
    statistic: `statistic of ${id}`,
    estimand: `estimand of ${id}`,
    direction: -1,
    minEffect: 0.01,
    presupposes: [],
    p: null,
    effectSize: null,
    familySize: 1,
    seedsNeeded: null,
    value,
    interval,
    verdict,
    reason: `reason of ${id}`,
    seeds: verdict === 'not covered' ? 0 : 5,
    evidence: { columns: [], rows: [] },
  };
}

const cell = (over: Partial<ResolvedCell>): ResolvedCell => ({
  id: 'x',
  dataset: { name: 'fashion-mnist', poolSize: 5000, testSize: 2000 },
  model: 'cnn',
  strategy: 'random',
  budget: 300,
  batchSize: 50,
  initialSize: 50,
  augmentation: 'none',
  ssl: 'none',
  seed: 0,
  training: { epochs: 20, batchSize: 32, learningRate: 0.001 },
  ...over,
});

const notRun: PresetDocEntry = { name: 'budget-regimes', specPath: 'experiments/budget-regimes.yaml', paper: 'Hacohen et al. 2022' };
const ran: PresetDocEntry = {
  name: 'parting-with-illusions',
  specPath: 'experiments/parting-with-illusions.yaml',
  fullSpecPath: 'experiments/parting-with-illusions.full.yaml',
  paper: 'Mittal et al. 2019',
  run: {
    planned: 12,
    cells: 12,
    completed: 11,
    failed: 1,
    seedRange: [5, 5],
    albenchVersions: ['0.1.0'],
    backends: ['wasm'],
    scale: 'SCALE-LINE',
    findings: [finding('F1', 'supported', -0.01234, [-0.02, -0.001]), finding('F2', 'not supported', 0.00012, [-0.001, 0.002]), finding('F3', 'inconclusive', -0.5), finding('F9', 'not covered', null)],
    figures: [{ title: 'Accuracy', path: 'findings/parting-with-illusions/learning-curves.svg' }],
  },
};

describe('findingsDocMarkdown', () => {
  const md = findingsDocMarkdown({ presets: [ran, notRun], regenerate: 'npm run findings:doc' });

  it('says plainly where a verdict disagrees with the paper, with the likely reasons', () => {
    expect(md).toContain('| F2 title of F2 | not supported — **disagrees with the paper** |');
    expect(md).toContain('**This disagrees with the paper.**');
    // The reasons name the preset's scale, dataset and model.
    expect(md).toMatch(/Likely reasons[^\n]*scale \(SCALE-LINE\), and the dataset and model/);
    // Only F2 disagrees: one explanation paragraph.
    expect(md.match(/This disagrees with the paper/g)).toHaveLength(1);
    expect(md).toContain('| F1 title of F1 | supported — agrees with the paper |');
  });

  it('carries the hand-written reading of a run preset after its findings, before its figures', () => {
    const discussion = { path: 'docs/discussion/x.md', markdown: '\nWhy F2 disagrees: too few epochs.\n\n' };
    const doc = findingsDocMarkdown({ presets: [{ ...ran, discussion }, { ...notRun, discussion }], regenerate: 'x' });
    expect(doc.match(/### Reading these verdicts/g)).toHaveLength(1);
    expect(doc).toContain('(`docs/discussion/x.md`), not generated');
    const at = doc.indexOf('Why F2 disagrees: too few epochs.');
    expect(at).toBeGreaterThan(doc.indexOf('### F3'));
    expect(at).toBeLessThan(doc.indexOf('Figures:'));
    expect(md).not.toContain('Reading these verdicts');
  });

  it('names the other paper when a claim is contested, and which side the verdict takes', () => {
    const contested = (verdict: Finding['verdict']) => {
      const entry = { ...ran, run: { ...ran.run!, findings: [{ ...finding('F4', verdict, 0.5), counterView: 'Beck et al. found the opposite.' }] } };
      return findingsDocMarkdown({ presets: [entry], regenerate: 'x' });
    };
    expect(contested('not supported')).toContain('- **Contested:** Beck et al. found the opposite. This verdict sides with that view.');
    expect(contested('not supported')).toContain(
      '| F4 title of F4 | not supported — **disagrees with the paper**; agrees with the counter-view (see *Contested*) |',
    );
    expect(contested('not supported')).toContain('| **not supported (disagrees with the paper; agrees with the counter-view (see *Contested*))** |');
    expect(contested('supported')).toContain('- **Contested:** Beck et al. found the opposite. This verdict goes against that view.');
    // Both sides stay in view when the run decides neither (issue 18: contested claims keep both sides).
    expect(contested('inconclusive')).toContain('- **Contested:** Beck et al. found the opposite. This run decides between neither side.');
    expect(md).not.toContain('Contested');
  });

  it('gives key numbers, the claim, the commands, version and backend, and links the figures', () => {
    expect(md).toContain('-0.0123 (95 % CI [-0.0200, -0.0010]), 5 seeds');
    expect(md).toContain("**The paper's claim** (paper of F1): claim of F1");
    expect(md).toContain('albench run experiments/parting-with-illusions.yaml');
    expect(md).toContain('albench report results/parting-with-illusions');
    expect(md).toContain('albench verify results/parting-with-illusions --sample 3');
    expect(md).toContain('albench 0.1.0 on the wasm backend');
    expect(md).toContain('- [Accuracy](findings/parting-with-illusions/learning-curves.svg)');
    expect(md).toContain('1 cell failed');
    expect(md).toContain('Not covered by this preset: F9 (title of F9).');
    expect(md).not.toContain('### F9');
  });

  it('marks a preset without results as not run yet, with the command to run it', () => {
    const section = md.slice(md.indexOf('## budget-regimes'));
    expect(section).toContain('**Not run yet.**');
    expect(section).toContain('albench run experiments/budget-regimes.yaml');
    expect(md).toContain('from 1 of 2 presets’ results');
  });

  it('is deterministic and carries no timestamp', () => {
    expect(findingsDocMarkdown({ presets: [ran, notRun], regenerate: 'npm run findings:doc' })).toBe(md);
    expect(md).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it('flags a partial run as provisional, with the command that continues it', () => {
    const partial = findingsDocMarkdown({ presets: [{ ...ran, run: { ...ran.run!, planned: 320 } }], regenerate: 'x' });
    expect(partial).toContain('**Cells:** 12 of 320');
    expect(partial).toContain('**Partial run: 12 of 320 cells.** The verdicts below are provisional');
    expect(partial).toContain('`albench run experiments/parting-with-illusions.yaml` continues the run');
    expect(md).not.toContain('Partial run');
  });

  it('flags results mixed from several backends', () => {
    const mixed = findingsDocMarkdown({ presets: [{ ...ran, run: { ...ran.run!, backends: ['tensorflow', 'wasm'] } }], regenerate: 'x' });
    expect(mixed).toContain('**mixed backends: tensorflow, wasm**');
  });
});

describe('describeScale', () => {
  it('names dataset variants, model, sizes, epochs and seed count', () => {
    const cells = [
      cell({ seed: 0, budget: 150 }),
      cell({ seed: 1, budget: 300, dataset: { name: 'fashion-mnist', poolSize: 5000, testSize: 2000, imbalance: 10 } }),
    ];
    expect(describeScale(cells)).toBe(
      'dataset fashion-mnist (pool 5000, test 2000); fashion-mnist (pool 5000, test 2000, imbalance 10) · model cnn · initial labels 50 · budgets 150, 300 · AL batch 50 · 20 epochs per round · 2 seeds',
    );
    expect(describeScale([cell({ dataset: { name: 'digits' } })])).toContain('dataset digits (full)');
  });
});
