/**
 * Failpoints for reliability tests, in the manner of FreeBSD's fail(9) and TiKV's fail-rs: faults
 * that real runs hit only by bad luck (a cell that throws, a worker killed by the OOM killer) made
 * reproducible. Read from `$ALBENCH_FAILPOINTS`, a comma-separated list; unset in normal use, and
 * then nothing here does anything.
 *
 *   throw:<cellId>               the cell throws after its first round (recorded as failed)
 *   kill:<cellId>                the worker SIGKILLs itself after the cell's first round, every time
 *   kill-once:<cellId>:<marker>  the same, only while the file <marker> does not exist (it creates it)
 */
import { existsSync, writeFileSync } from 'node:fs';

export type Failpoint =
  | { readonly action: 'throw' | 'kill'; readonly cellId: string }
  | { readonly action: 'kill-once'; readonly cellId: string; readonly marker: string };

export function parseFailpoints(text: string | undefined): Failpoint[] {
  if (!text) return [];
  return text
    .split(',')
    .filter((s) => s.trim() !== '')
    .map((entry) => {
      const [action, cellId, ...rest] = entry.trim().split(':');
      if ((action === 'throw' || action === 'kill') && cellId) return { action, cellId };
      if (action === 'kill-once' && cellId && rest.length > 0) return { action, cellId, marker: rest.join(':') };
      throw new Error(`$ALBENCH_FAILPOINTS: cannot parse ${JSON.stringify(entry)}; allowed: throw:<cellId>, kill:<cellId>, kill-once:<cellId>:<marker file>`);
    });
}

/** Fires the failpoints that apply to `cellId`; called by the worker after each round. */
export function fireFailpoints(points: readonly Failpoint[], cellId: string): void {
  for (const point of points) {
    if (point.cellId !== cellId) continue;
    if (point.action === 'throw') throw new Error(`failpoint: injected failure in cell ${cellId}`);
    if (point.action === 'kill-once') {
      if (existsSync(point.marker)) continue;
      writeFileSync(point.marker, `${process.pid}\n`);
    }
    process.kill(process.pid, 'SIGKILL');
  }
}
