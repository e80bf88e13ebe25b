import { describe, expect, it } from 'vitest';
import { describeMismatch, diffCellResults } from '../../src/regression/diff-results.js';
import { pickCells } from '../../src/regression/pick-cells.js';
import type { CellResult } from '../../src/store/schema.js';
import { fakeCell, fakeResult } from './fake-results.js';

const recorded = fakeResult(fakeCell('entropy', 0), [0.5, 0.6, 0.7]);
const edit = (f: (r: { -readonly [K in keyof CellResult]: unknown }) => void): CellResult => {
  const copy = JSON.parse(JSON.stringify(recorded)) as CellResult;
  f(copy as never);
  return copy;
};

describe('diffCellResults', () => {
  it('ignores timings, env and derivedFrom, nothing else', () => {
    // A cell cut from a larger budget records derivedFrom; its re-run on its own does not.
    const derived = { ...recorded, derivedFrom: { cellId: 'abc', rounds: 3 } };
    expect(diffCellResults(derived, recorded)).toBeUndefined();
    const rerun = edit((r) => {
      (r.rounds as { trainMs: number; queryMs: number }[]).forEach((x) => ((x.trainMs = 1), (x.queryMs = 2)));
      r.startedAt = 'later';
      r.finishedAt = 'later';
      r.env = { ...recorded.env, node: 'v22' };
    });
    expect(diffCellResults(recorded, rerun)).toBeUndefined();
  });

  it('verifies a record from before trainLoss/trainAccuracy/steps on the fields it has, and compares them when recorded', () => {
    const withFit = edit((r) => (r.rounds as Record<string, unknown>[]).forEach((x) => Object.assign(x, { trainLoss: 0.1, trainAccuracy: 1, steps: 40 })));
    // An old record (no fit fields) against a re-run by this version: identical.
    expect(diffCellResults(recorded, withFit)).toBeUndefined();
    // A record that has them is compared on them, bit for bit.
    const other = edit((r) => (r.rounds as Record<string, unknown>[]).forEach((x) => Object.assign(x, { trainLoss: 0.1, trainAccuracy: 0.95, steps: 40 })));
    expect(diffCellResults(withFit, other)).toMatchObject({ round: 0, field: 'trainAccuracy', recorded: 1, rerun: 0.95 });
    // A re-run that lost them is a difference.
    expect(diffCellResults(withFit, recorded)).toMatchObject({ round: 0, field: 'trainLoss', rerun: undefined });
  });

  it('names the first differing round and field, bit for bit', () => {
    const rerun = edit((r) => {
      const rounds = r.rounds as { accuracy: number; selected: number[] }[];
      rounds[1].selected[1] = 999;
      rounds[2].accuracy = 0.7 + Number.EPSILON;
    });
    const m = diffCellResults(recorded, rerun)!;
    expect(m).toEqual({ round: 1, field: 'selected[1]', recorded: 201, rerun: 999 });
    expect(describeMismatch(m)).toBe('round 1, field selected[1]: recorded 201, re-run 999');
    const last = edit((r) => ((r.rounds as { accuracy: number }[])[2].accuracy = 0.7 + 2 ** -40));
    expect(diffCellResults(recorded, last)).toMatchObject({ round: 2, field: 'accuracy' });
  });

  it('reports status, initial set and round count outside the rounds', () => {
    expect(diffCellResults(recorded, fakeResult(recorded.cell, [0.5], 'failed'))).toMatchObject({ field: 'status', recorded: 'completed', rerun: 'failed' });
    expect(diffCellResults(recorded, edit((r) => ((r.initial as number[])[2] = 7)))).toMatchObject({ field: 'initial[2]' });
    expect(diffCellResults(recorded, edit((r) => (r.rounds as unknown[]).pop()))).toMatchObject({ field: 'rounds.length', recorded: 3, rerun: 2 });
  });
});

describe('pickCells', () => {
  const results = [0, 1, 2, 3, 4].map((s) => fakeResult(fakeCell('entropy', s), [0.5, 0.6]));
  results.push(fakeResult(fakeCell('margin', 0), [0.5], 'failed'));

  it('draws a seeded sample of completed cells', () => {
    const a = pickCells(results, { sample: 2, seed: 1 });
    expect(a).toHaveLength(2);
    expect(pickCells(results, { sample: 2, seed: 1 })).toEqual(a);
    expect(pickCells(results, {}).every((r) => r.status === 'completed')).toBe(true);
    expect(pickCells(results, { sample: 99 })).toHaveLength(5);
  });

  it('takes named cells by id or unique prefix and names an unknown one', () => {
    expect(pickCells(results, { cells: ['margin-0'] })[0].cell.strategy).toBe('margin');
    expect(() => pickCells(results, { cells: ['nope'] })).toThrow(/no cell "nope"/);
    expect(() => pickCells(results, { cells: ['entropy'] })).toThrow(/matches 5 cells/);
  });
});
