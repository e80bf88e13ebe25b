import type { BackendChoice } from '../backend/index.js';
import type { ResolvedCell } from '../spec/types.js';
import type { RoundRecord } from '../store/schema.js';

/** Messages between the scheduler and its worker processes (Node IPC, JSON). */
export type ToWorker =
  | { readonly type: 'run'; readonly cell: ResolvedCell; readonly resultsDir: string; readonly dataDir?: string; readonly round0Dir?: string }
  | { readonly type: 'exit' };

export type FromWorker =
  | { readonly type: 'ready'; readonly backend: string }
  | { readonly type: 'init-failed'; readonly error: string }
  | { readonly type: 'round'; readonly cellId: string; readonly round: RoundRecord }
  | { readonly type: 'done'; readonly cellId: string; readonly status: 'completed' | 'failed'; readonly error?: string };

/** Passed to each worker on its command line. */
export interface WorkerArgs {
  readonly backend: BackendChoice;
}
