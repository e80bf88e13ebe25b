/**
 * Worker process entry: initialises the backend once, then runs the cells the scheduler sends,
 * one at a time. Each result is written by the worker itself, atomically, so a killed scheduler
 * loses at most the cells in flight.
 */
import { initBackend, type BackendChoice } from '../backend/index.js';
import { executeCell } from './execute-cell.js';
import type { FromWorker, ToWorker } from './protocol.js';

function send(message: FromWorker): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const backend = (process.argv[2] ?? 'auto') as BackendChoice;
  try {
    send({ type: 'ready', backend: await initBackend(backend) });
  } catch (err) {
    send({ type: 'init-failed', error: (err as Error).message });
    process.exit(1);
  }
  process.on('message', (message: ToWorker) => {
    if (message.type === 'exit') process.exit(0);
    void executeCell(message.cell, { resultsDir: message.resultsDir, dataDir: message.dataDir, round0Dir: message.round0Dir }, (round) =>
      send({ type: 'round', cellId: message.cell.id, round }),
    ).then(
      (result) =>
        send({
          type: 'done',
          cellId: message.cell.id,
          status: result.status,
          error: result.status === 'failed' ? result.error.message : undefined,
        }),
      // Only storing the result can fail here (the loop's own errors become failed results).
      (err: Error) => send({ type: 'done', cellId: message.cell.id, status: 'failed', error: `could not store the result: ${err.message}` }),
    );
  });
  // The scheduler going away (killed, Ctrl-C) ends the worker too.
  process.on('disconnect', () => process.exit(0));
}

void main();
