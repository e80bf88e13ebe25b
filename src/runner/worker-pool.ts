/**
 * A pool of long-lived worker processes (not threads: tfjs-wasm runs single-threaded in Node, so
 * parallelism comes from processes). Workers start lazily and are reused across cells, so backend
 * start-up is paid once per worker. A worker that dies (mid-cell or idle) is replaced by a fresh
 * one for the next cell; `run` reports the death so the caller can retry or record the cell.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BackendChoice } from '../backend/index.js';
import type { ResolvedCell } from '../spec/types.js';
import type { RoundRecord } from '../store/schema.js';
import type { FromWorker, ToWorker } from './protocol.js';

export interface CellOutcome {
  readonly status: 'completed' | 'failed';
  readonly error?: string;
  /** True when the worker process died, so no result file was written for the cell. */
  readonly workerDied?: boolean;
}

interface Worker {
  readonly id: number;
  readonly child: ChildProcess;
  readonly ready: Promise<string>;
}

/**
 * Every worker process still running. When the scheduler exits, for whatever reason, they go too:
 * a worker deep in a synchronous wasm step would otherwise notice the closed IPC channel only when
 * its cell ends. Killing it mid-cell is safe: results are written atomically, claims are recovered.
 */
const liveChildren = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

export const WORKER_SCRIPT = fileURLToPath(new URL('./worker.js', import.meta.url));

export class WorkerPool {
  private readonly idle: Worker[] = [];
  private readonly all = new Set<Worker>();
  private nextId = 0;
  /** Backend reported by the workers once started. */
  backend: string | undefined;

  constructor(
    private readonly backendChoice: BackendChoice,
    private readonly script: string = WORKER_SCRIPT,
  ) {
    if (!existsSync(script)) {
      throw new Error(`worker script ${script} does not exist; build albench first (npm run build)`);
    }
  }

  /** Runs one cell on an idle worker. At most as many calls may be in flight as workers wanted. */
  async run(
    cell: ResolvedCell,
    resultsDir: string,
    where: { readonly dataDir?: string; readonly round0Dir?: string },
    onStart: (workerId: number) => void,
    onRound: (round: RoundRecord) => void,
  ): Promise<CellOutcome> {
    const worker = this.idle.pop() ?? this.spawn();
    try {
      this.backend = await worker.ready;
    } catch (err) {
      return { status: 'failed', workerDied: true, error: (err as Error).message };
    }
    onStart(worker.id);
    return new Promise<CellOutcome>((resolve) => {
      const onMessage = (message: FromWorker) => {
        if (message.type === 'round' && message.cellId === cell.id) onRound(message.round);
        if (message.type === 'done' && message.cellId === cell.id) {
          cleanup();
          this.idle.push(worker);
          resolve({ status: message.status, error: message.error });
        }
      };
      const onExit = (code: number | null, signal: string | null) => {
        cleanup();
        this.all.delete(worker);
        resolve({ status: 'failed', workerDied: true, error: `worker process died (${signal ?? `exit code ${code}`}) while running the cell` });
      };
      const cleanup = () => {
        worker.child.off('message', onMessage);
        worker.child.off('exit', onExit);
      };
      worker.child.on('message', onMessage);
      worker.child.on('exit', onExit);
      // Died between being picked and now: its 'exit' has already fired and would never reach us.
      if (worker.child.exitCode !== null || worker.child.signalCode !== null) return onExit(worker.child.exitCode, worker.child.signalCode);
      const message: ToWorker = { type: 'run', cell, resultsDir, ...where };
      worker.child.send(message);
    });
  }

  private spawn(): Worker {
    const child = fork(this.script, [this.backendChoice], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    liveChildren.add(child);
    child.once('exit', () => liveChildren.delete(child));
    const ready = new Promise<string>((resolve, reject) => {
      const onMessage = (message: FromWorker) => {
        if (message.type === 'ready') {
          child.off('message', onMessage);
          resolve(message.backend);
        } else if (message.type === 'init-failed') {
          reject(new Error(`worker could not start backend ${this.backendChoice}: ${message.error}`));
        }
      };
      child.on('message', onMessage);
      child.once('exit', (code) => reject(new Error(`worker exited with code ${code} before it was ready`)));
    });
    ready.catch(() => {}); // Observed by run(); avoid an unhandled rejection for idle workers.
    const worker = { id: this.nextId++, child, ready };
    this.all.add(worker);
    // A worker can also die while idle (the OOM killer picks the largest process, busy or not):
    // forget it, so the next cell gets a fresh worker instead of waiting on a dead one forever.
    child.once('exit', () => {
      this.all.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    // Sending to a worker that just died raises 'error'; its 'exit' reports the death.
    child.on('error', () => {});
    return worker;
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.all].map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.child.exitCode !== null || w.child.signalCode !== null) return resolve();
            w.child.once('exit', () => resolve());
            const message: ToWorker = { type: 'exit' };
            if (w.child.connected) w.child.send(message);
            else w.child.kill();
          }),
      ),
    );
    this.all.clear();
    this.idle.length = 0;
  }
}
