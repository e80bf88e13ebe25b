/**
 * Turns run events into progress output: a cli-progress bar with ETA on a terminal, plain lines
 * otherwise (CI logs, files). The ETA weighs cells by their training cost, not by count, because a
 * 300-label cell costs many times a 100-label one.
 */
import cliProgress from 'cli-progress';
import type { RunEvent } from '../runner/events.js';
import type { ResolvedCell } from '../spec/types.js';
import { cellCost } from '../runner/cost.js';
import { modelLabel } from '../models/model-params.js';

export interface ProgressReporter {
  readonly listener: (event: RunEvent) => void;
  stop(): void;
}

export function createProgress(cells: readonly ResolvedCell[], stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const totalCost = cells.reduce((s, c) => s + cellCost(c), 0);
  const started = Date.now();
  let doneCost = 0;
  let done = 0;
  let failed = 0;

  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'cells {cells}/{total_cells} |{bar}| {percentage}% | {failed} failed | elapsed {duration_formatted} | ETA {eta_formatted} | {last}',
        etaBuffer: 20,
        stream,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    bar.start(totalCost, 0, { cells: 0, total_cells: cells.length, failed: 0, last: '' });
    return {
      listener(event) {
        if (event.type === 'cell-done' || event.type === 'cell-failed') {
          doneCost += cellCost(event.cell);
          done++;
          if (event.type === 'cell-failed') failed++;
          bar.update(doneCost, { cells: done, failed, last: describeCell(event.cell) });
        }
      },
      stop: () => bar.stop(),
    };
  }

  return {
    listener(event) {
      if (event.type === 'cell-start') return;
      if (event.type === 'round') return;
      if (event.type === 'cell-retry') {
        stream.write(`${event.cell.id} ${describeCell(event.cell)}: ${event.error}; retrying on a fresh worker\n`);
        return;
      }
      doneCost += cellCost(event.cell);
      done++;
      const elapsed = (Date.now() - started) / 1000;
      const eta = doneCost > 0 ? (elapsed * (totalCost - doneCost)) / doneCost : NaN;
      const what = event.type === 'cell-done' ? `done in ${(event.ms / 1000).toFixed(1)}s` : `FAILED: ${event.error}`;
      stream.write(`[${done}/${cells.length}] ${event.cell.id} ${describeCell(event.cell)} ${what} | elapsed ${formatSeconds(elapsed)}, ETA ${formatSeconds(eta)}\n`);
    },
    stop: () => {},
  };
}

export function describeCell(cell: ResolvedCell): string {
  return `${cell.dataset.name}/${modelLabel(cell.model)}${cell.representation ? ' (selfsup)' : ''} ${cell.strategy} budget=${cell.budget} batch=${cell.batchSize} seed=${cell.seed}`;
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
