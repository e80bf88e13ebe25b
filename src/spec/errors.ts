/** One problem in a spec: where, what was found, and what is allowed. */
export interface SpecIssue {
  /** Field path such as `matrix.budget[1]`. */
  readonly path: string;
  readonly message: string;
}

/** A spec that cannot run. Its message lists every issue, one per line. The CLI exits with code 2. */
export class SpecError extends Error {
  constructor(
    readonly source: string,
    readonly issues: readonly SpecIssue[],
  ) {
    super(`Invalid spec ${source}:\n${issues.map((i) => `  - ${i.path}: ${i.message}`).join('\n')}`);
    this.name = 'SpecError';
  }
}

/** Renders a value for an error message: strings quoted, objects as JSON, long values cut. */
export function show(value: unknown): string {
  // JSON would print NaN and ±Infinity (YAML's .nan, .inf) as null, hiding the actual mistake.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The closest allowed name by edit distance, when it is close enough to be a likely typo. */
export function didYouMean(value: string, allowed: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of allowed) {
    const d = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(value.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}
