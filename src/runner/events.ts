import type { ResolvedCell } from '../spec/types.js';
import type { RoundRecord } from '../store/schema.js';

/** What the runner reports while a study runs. Progress bars, logs and tests subscribe to these. */
export type RunEvent =
  | { readonly type: 'cell-start'; readonly cell: ResolvedCell; readonly worker: number }
  | { readonly type: 'round'; readonly cell: ResolvedCell; readonly round: RoundRecord }
  | { readonly type: 'cell-done'; readonly cell: ResolvedCell; readonly ms: number }
  | { readonly type: 'cell-failed'; readonly cell: ResolvedCell; readonly error: string }
  /** The cell's worker died; the cell runs again on a fresh worker. */
  | { readonly type: 'cell-retry'; readonly cell: ResolvedCell; readonly error: string };

export type RunListener = (event: RunEvent) => void;
