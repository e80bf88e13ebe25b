/**
 * The discussion-number evaluator on a tiny hand-made study, with expected values computed by hand
 * (shown next to each). The study: strategies random and margin, seeds 0–2, augmentation none
 * and standard, budgets 20 and 40 (initial 10, batches of 10), the 20-label cells being the first
 * two rounds of the 40-label ones, as the runner makes them. At round r (labelled 10 + 10·r):
 *   random = 0.5 + 0.1·r + 0.01·s,   margin = random + d(r, s) with d = 0.01·r + 0.02·s − 0.02,
 * and standard augmentation takes 0.1 off both.
 */
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import {
  checkAnnotation, checkDiscussion, evaluateQuery, nakedNumbers, parseAnnotations, QueryError, type DiscussionData,
} from '../../src/report/discussion-numbers.js';
import type { CellResult } from '../../src/store/schema.js';
import { fakeCell, fakeResult } from '../analysis/fixtures.js';

function study(): CellResult[] {
  const out: CellResult[] = [];
  for (const augmentation of ['none', 'standard'] as const) {
    for (const budget of [20, 40]) {
      for (const strategy of ['random', 'margin']) {
        for (const seed of [0, 1, 2]) {
          const rounds = (budget - 10) / 10 + 1;
          const accs = Array.from({ length: rounds }, (_, r) => {
            const random = 0.5 + 0.1 * r + 0.01 * seed - (augmentation === 'standard' ? 0.1 : 0);
            return strategy === 'margin' ? random + 0.01 * r + 0.02 * seed - 0.02 : random;
          });
          const id = `${augmentation}-${budget}-${strategy}-${seed}`;
          out.push(fakeResult(fakeCell({ id, strategy, seed, budget, batchSize: 10, initialSize: 10, augmentation: augmentation === 'none' ? 'none' : { name: 'standard' } }), accs));
        }
      }
    }
  }
  return out;
}

const results = study();
const data: DiscussionData = { results, analysis: analyze(results, 'random') };
const value = (q: string) => evaluateQuery(q, data);
const num = (q: string) => value(q) as number;
const pair = (q: string) => value(q) as readonly [number, number];

describe('acc and diff read each seed once at the labelled size', () => {
  it('mean accuracy at @N', () => {
    // random at 20 labels (r = 1): 0.6 + 0.01·s → mean 0.61; at 30 (r = 2): 0.71.
    expect(num('acc random @20 augmentation=none')).toBeCloseTo(0.61, 12);
    expect(num('acc random @30 augmentation=none')).toBeCloseTo(0.71, 12);
    // margin at 20: 0.59 + 0.03·s → 0.62; standard augmentation 0.1 lower.
    expect(num('acc margin @20 augmentation=none')).toBeCloseTo(0.62, 12);
    expect(num('acc margin @20 augmentation=standard')).toBeCloseTo(0.52, 12);
  });

  it('nested budgets count once: 3 seeds at 20 labels, not the 6 cells that reach it', () => {
    expect(num('acc random @20 augmentation=none n')).toBe(3);
    expect(num('acc random @20 augmentation=none budget=20 n')).toBe(3);
    expect(num('diff margin random @20 augmentation=none n')).toBe(3);
  });

  it('paired difference and its 95 % t interval (n = 3)', () => {
    // d(1, s) = −0.01, 0.01, 0.03: mean 0.01, sd 0.02, half-width t(0.975, 2)·0.02/√3 = 4.302653·0.011547 = 0.049683.
    expect(num('diff margin random @20 augmentation=none')).toBeCloseTo(0.01, 12);
    expect(num('diff random margin @20 augmentation=none')).toBeCloseTo(-0.01, 12);
    const [lo, hi] = pair('diff margin random @20 augmentation=none ci');
    expect(lo).toBeCloseTo(0.01 - 0.049683, 5);
    expect(hi).toBeCloseTo(0.01 + 0.049683, 5);
    expect(num('diff margin random @20 augmentation=none lo')).toBeCloseTo(lo, 12);
    // At 30 labels d(2, s) = 0, 0.02, 0.04: mean 0.02; in points, 2.
    expect(num('diff margin random @30 augmentation=none pts')).toBeCloseTo(2, 10);
    expect(num('diff margin random @30 augmentation=none pts neg')).toBeCloseTo(-2, 10);
  });

  it('an unpinned axis is an error naming it and its values; aggregators reduce on purpose', () => {
    expect(() => value('acc random @20')).toThrow(/axes still varying: augmentation \(none, standard\)/);
    // Mean of the two settings' means: (0.61 + 0.51) / 2.
    expect(num('acc random @20 avg')).toBeCloseTo(0.56, 12);
    expect(pair('acc random @20 range')).toEqual([expect.closeTo(0.51, 12), expect.closeTo(0.61, 12)]);
  });

  it('errors name the query, the bad token and the allowed words', () => {
    expect(() => value('acc entropy @20 augmentation=none')).toThrow(/'entropy' is not a strategy.*strategies: margin, random/);
    expect(() => value('acc random @25 augmentation=none')).toThrow(/no curve reaches @25; labelled sizes: 10, 20, 30, 40/);
    expect(() => value('acc random @20 augmentation=strong')).toThrow(/no setting has augmentation=strong; values: none, standard/);
    expect(() => value('acc random @20 colour=red')).toThrow(/'colour' is not a setting field/);
    expect(() => value('accuracy random @20')).toThrow(/'accuracy' is not a query; allowed: acc, diff, aubc/);
    expect(() => value('acc random augmentation=none')).toThrow(/missing the labelled-set size/);
    expect(() => value('finding F13 value')).toThrow(/allowed: F1, F2/);
    expect(() => value('finding F3 size')).toThrow(/unknown field 'size'; allowed: value, lo, hi, ci/);
    expect(() => value('rows F3 colour=red count')).toThrow(/'colour' is not a column of F3; columns: setting, strategy/);
    expect(() => value('acc random @20 augmentation=none')).not.toThrow(QueryError);
  });
});

describe('aubc, treatment checks, findings, tables', () => {
  it('mean AUBC per setting (the budget is a setting)', () => {
    // Linear curves: AUBC = mean of the end points. random, budget 40: (0.5 + 0.8)/2 + 0.01·s → 0.66;
    // budget 20: (0.5 + 0.6)/2 + 0.01·s → 0.56; margin, budget 40: 0.48 + 0.11·r + 0.03·s → 0.645 + 0.03·s → 0.675.
    expect(num('aubc random budget=40 augmentation=none')).toBeCloseTo(0.66, 12);
    expect(num('aubc random budget=20 augmentation=none')).toBeCloseTo(0.56, 12);
    expect(num('aubc margin budget=40 augmentation=none')).toBeCloseTo(0.675, 12);
    expect(() => value('aubc random augmentation=none')).toThrow(/axes still varying: budget \(20, 40\)/);
  });

  it("a treatment's effect on random: standard augmentation costs 0.1 AUBC in every seed", () => {
    expect(num('treat augmentation mean')).toBeCloseTo(-0.1, 12);
    expect(num('treat augmentation mean neg pts')).toBeCloseTo(10, 10);
    expect(pair('treat augmentation ci')).toEqual([expect.closeTo(-0.1, 12), expect.closeTo(-0.1, 12)]);
    expect(num('rows treat improved=false count')).toBe(1);
    expect(() => value('treat ssl mean')).toThrow(/axes checked here: augmentation/);
  });

  it('findings and their evidence rows are the analysis of the report', () => {
    // F3: each block (aug none, aug standard) contributes the 20-label checkpoint once (the 40-label
    // level's low checkpoints, up to 20, are already taken): 2 comparisons, each d(1, s) → mean 0.01.
    expect(num('finding F3 family')).toBe(2);
    expect(num('rows F3 count')).toBe(2);
    expect(num('rows F3 strategy=margin checkpoints=20 mean avg')).toBeCloseTo(0.01, 12);
    expect(num('rows F3 setting~standard mean')).toBeCloseTo(0.01, 12);
    expect(value('finding F3 verdict')).toBe(data.analysis.findings.find((f) => f.id === 'F3')!.verdict);
    expect(num('seeds')).toBe(3);
    expect(num('config batchSize augmentation=none')).toBe(10);
    expect(num('round trainMs @20 augmentation=none')).toBe(10);
    // Both strategies rank margin above random at both augmentation levels: τ = 1.
    expect(num('kendall augmentation none standard budget=40')).toBe(1);
  });
});

describe('annotations: printed precision decides', () => {
  const check = (md: string) => checkAnnotation(parseAnnotations(md).annotations[0], data);

  it('parses numbers, signs, units, intervals, ranges and verdict words', () => {
    const { annotations, errors } = parseAnnotations(
      'a 0.61<!--= acc random @20 augmentation=none --> b −0.01<!--= x --> c 2.0 points<!--= y --> d [0.1, −0.2]<!--= z --> e 4–13<!--= w --> f inconclusive<!--= v -->',
    );
    expect(errors).toEqual([]);
    expect(annotations.map((a) => a.printed)).toEqual([
      { kind: 'number', value: 0.61, decimals: 2, unit: '' },
      { kind: 'number', value: -0.01, decimals: 2, unit: '' },
      { kind: 'number', value: 2, decimals: 1, unit: 'points' },
      { kind: 'pair', values: [0.1, -0.2], decimals: [1, 1], unit: '' },
      { kind: 'pair', values: [4, 13], decimals: [0, 0], unit: '' },
      { kind: 'word', text: 'inconclusive' },
    ]);
    expect(parseAnnotations('no figure<!--= seeds -->').errors[0].message).toMatch(/follows no number/);
    expect(parseAnnotations('3<!--= seeds -- x -->').errors[0].message).toMatch(/contains '--'/);
  });

  it('the computed value rounded to the printed decimals must equal the printed value', () => {
    expect(check('0.61<!--= acc random @20 augmentation=none -->').ok).toBe(true);
    expect(check('0.6<!--= acc random @20 augmentation=none -->').ok).toBe(true);
    expect(check('0.62<!--= acc random @20 augmentation=none -->')).toMatchObject({ ok: false, computed: '0.61' });
    expect(check('1.0 points<!--= diff margin random @20 augmentation=none pts -->').ok).toBe(true);
    expect(check('−1.0 points<!--= diff margin random @20 augmentation=none pts -->').ok).toBe(false);
    expect(check('1.0 points<!--= diff margin random @20 augmentation=none -->').message).toMatch(/printed in points but .* has no 'pts'/);
    expect(check('[−3.97, 5.97]<!--= diff margin random @20 augmentation=none ci pts -->').ok).toBe(true);
    expect(check('[−3.97, 5.96]<!--= diff margin random @20 augmentation=none ci pts -->').ok).toBe(false);
    expect(check('3<!--= seeds -->').ok).toBe(true);
    expect(check('4<!--= seeds -->').ok).toBe(false);
    expect(check('0.56<!--= acc random @20 -->').message).toMatch(/axes still varying: augmentation/);
  });

  it('a value exactly half-way rounds either way, not by its binary representation', () => {
    // random's AUBC (budget 40) is the mean of 0.65, 0.66, 0.67: 0.66.
    expect(check('0.66<!--= aubc random budget=40 augmentation=none -->').ok).toBe(true);
    expect(check('0.7<!--= aubc random budget=40 augmentation=none -->').ok).toBe(true);
    expect(check('0.67<!--= aubc random budget=40 augmentation=none -->').ok).toBe(false);
    // random's 0.56 (budget 20) at 1 decimal is 0.6: 0.5 is 0.06 away, more than half a unit (0.05).
    expect(check('0.6<!--= aubc random budget=20 augmentation=none -->').ok).toBe(true);
    expect(check('0.5<!--= aubc random budget=20 augmentation=none -->').ok).toBe(false);
    // margin's 0.675 (budget 40) lies half-way between 0.67 and 0.68: both read it right.
    expect(check('0.67<!--= aubc margin budget=40 augmentation=none -->').ok).toBe(true);
    expect(check('0.68<!--= aubc margin budget=40 augmentation=none -->').ok).toBe(true);
    // margin's 0.675 (budget 40) at 4 decimals is 0.6750, not 0.6751.
    expect(check('0.6750<!--= aubc margin budget=40 augmentation=none -->').ok).toBe(true);
    expect(check('0.6751<!--= aubc margin budget=40 augmentation=none -->').ok).toBe(false);
  });
});

describe('naked numbers', () => {
  it('flags decimals, percentages, points and counts without an annotation, not setting integers or code', () => {
    const md = [
      'At 60 labels margin reaches 0.78 and loses 4 points; 12 % pass (95 % CI [0.1<!--= a -->, 0.2]).',
      '24 of the 40 pair × level contrasts, about 33 seeds, 20 epochs, N = 2, `validationFraction: 0.1`.',
      'Annotated: 0.61<!--= acc random @20 augmentation=none -->, 3<!--= seeds --> seeds, 2<!--= x --> of 4<!--= y --> comparisons.',
    ].join('\n');
    expect(nakedNumbers(md).map((n) => `${n.line}:${n.text}`)).toEqual([
      '1:0.78', '1:0.2', '1:12 %', '1:4 points', '2:24 of the 40 pair', '2:33 seeds',
    ]);
  });

  it('checkDiscussion puts the three together', () => {
    const r = checkDiscussion('margin 0.62<!--= acc margin @20 augmentation=none --> and 0.5 bare', data);
    expect(r.checks.map((c) => c.ok)).toEqual([true]);
    expect(r.naked.map((n) => n.text)).toEqual(['0.5']);
  });
});
