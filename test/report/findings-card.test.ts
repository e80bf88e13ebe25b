/** A finding card states its decision: estimand, smallest effect, family, p, effect size, seeds needed. */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/analysis/findings.js';
import { decisionLine, findingsHtml } from '../../src/report/findings-html.js';

const f: Finding = {
  id: 'F3', title: 'AL can lose', claim: 'claim', citation: 'Mittal et al. 2019', estimand: 'AL − random at low budget',
  direction: -1, minEffect: 0.01, presupposes: ['augmentation'], statistic: 'stat', value: -0.02, interval: [-0.05, 0.01],
  p: 0.2, effectSize: -0.8, familySize: 6, seedsNeeded: 14, verdict: 'inconclusive', reason: 'why', seeds: 5, evidence: { columns: [], rows: [] },
};

describe('finding cards', () => {
  it('print the decision in one line', () => {
    expect(decisionLine(f)).toBe(
      'Estimand: AL − random at low budget (claim: < 0); smallest effect of interest 0.01; Holm family of 6; p = 0.2000 (Holm); d_z = -0.80; about 14 seeds would decide it; judged only where augmentation improved the baseline.',
    );
    expect(findingsHtml([f], [5, 5])).toContain('<strong>Decision.</strong> Estimand: AL − random');
  });
  it('leave it out for a finding the run does not cover', () => {
    expect(findingsHtml([{ ...f, verdict: 'not covered', familySize: 0 }], [5, 5])).not.toContain('Decision.');
  });
});
