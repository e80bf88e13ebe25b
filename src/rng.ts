/**
 * Seeded random streams. Every random choice in albench comes from an `Rng` derived from the cell
 * seed by a named path (`rng.fork('weights')`, `rng.fork('strategy', round)`), so two cells that
 * share a seed draw identical initial sets, weights and data orders, and only strategy choices differ.
 */
import seedrandom from 'seedrandom';

export interface Rng {
  /** The stream's derivation path, e.g. `"0/strategy/3"`. Identical paths give identical streams. */
  readonly path: string;
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
  /** An integer seed for a tfjs initializer or random op. */
  tfSeed(): number;
  /** A new independent stream named by `parts` below this one. Does not advance this stream. */
  fork(...parts: Array<string | number>): Rng;
  /** Fisher–Yates shuffle into a new array. */
  shuffle<T>(items: readonly T[]): T[];
  /** A permutation of 0..n-1. */
  permutation(n: number): Int32Array;
}

class SeededRng implements Rng {
  private readonly prng: seedrandom.PRNG;

  constructor(readonly path: string) {
    this.prng = seedrandom(path);
  }

  next(): number {
    return this.prng.quick();
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0) throw new RangeError(`rng.int: n must be a positive integer, got ${n}`);
    return Math.floor(this.next() * n);
  }

  tfSeed(): number {
    // tfjs seeds are used as float seeds by its internal alea; keep them in a safe 31-bit range.
    return this.prng.int32() >>> 1;
  }

  fork(...parts: Array<string | number>): Rng {
    if (parts.length === 0) throw new Error('rng.fork needs at least one name part');
    return new SeededRng(`${this.path}/${parts.join('/')}`);
  }

  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  permutation(n: number): Int32Array {
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) out[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = out[i];
      out[i] = out[j];
      out[j] = t;
    }
    return out;
  }
}

/** The root stream of a cell (or any seeded computation). */
export function createRng(seed: number | string): Rng {
  return new SeededRng(String(seed));
}
