import { describe, expect, it } from 'vitest';
import { createRng } from '../src/rng.js';

const draw = (rng: ReturnType<typeof createRng>, n = 5) => Array.from({ length: n }, () => rng.next());

describe('rng streams', () => {
  it('the same seed and path give the same stream', () => {
    expect(draw(createRng(7).fork('weights'))).toEqual(draw(createRng(7).fork('weights')));
    expect(draw(createRng(7).fork('strategy', 3))).toEqual(draw(createRng('7').fork('strategy', 3)));
  });

  it('different seeds or names give different streams', () => {
    const a = draw(createRng(7).fork('weights'));
    expect(draw(createRng(8).fork('weights'))).not.toEqual(a);
    expect(draw(createRng(7).fork('init-set'))).not.toEqual(a);
    expect(draw(createRng(7).fork('strategy', 1))).not.toEqual(draw(createRng(7).fork('strategy', 2)));
  });

  it('forking does not advance the parent, so streams are independent of call order', () => {
    const root = createRng(1);
    const before = draw(root.fork('x'));
    root.fork('y').next();
    root.next();
    expect(draw(root.fork('x'))).toEqual(before);
    expect(root.fork('a').fork('b').path).toBe('1/a/b');
  });

  it('draws are in range and roughly uniform', () => {
    const rng = createRng(3);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) counts[rng.int(10)]++;
    for (const c of counts) expect(c).toBeGreaterThan(900); // expected 1000, sd ≈ 30
    for (let i = 0; i < 1000; i++) {
      const v = rng.next();
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(1);
    }
    expect(() => rng.int(0)).toThrow(/positive integer/);
  });

  it('permutation and shuffle are permutations and deterministic', () => {
    const p = createRng(5).permutation(50);
    expect([...p].sort((a, b) => a - b)).toEqual([...Array(50).keys()]);
    expect([...createRng(5).permutation(50)]).toEqual([...p]);
    expect(createRng(5).shuffle(['a', 'b', 'c', 'd']).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('tfSeed gives non-negative 31-bit integers', () => {
    const rng = createRng(9);
    for (let i = 0; i < 100; i++) {
      const s = rng.tfSeed();
      expect(Number.isInteger(s) && s >= 0 && s < 2 ** 31).toBe(true);
    }
  });
});
