import { availableParallelism } from 'node:os';
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BACKEND_NAMES, type BackendChoice } from '../backend/index.js';
import { cellsOfRun, DEFAULT_CLAIM_TIMEOUT_MS, runStudy } from '../runner/run-study.js';
import { parseShard, type Shard } from '../runner/shard.js';
import { removeQuietly, writeFileAtomic } from '../store/atomic.js';
import { cellsDir } from '../store/results.js';
import { checkStudyAgainstData } from '../spec/check-data.js';
import { checkStudyStrategies } from '../spec/check-strategies.js';
import { loadStudy } from '../spec/load.js';
import { EXIT_FAILED, EXIT_OK } from './exit-codes.js';
import { createProgress, describeCell, formatSeconds } from './progress.js';

interface RunArgs {
  spec: string;
  workers: number;
  results?: string;
  backend: BackendChoice;
  force: boolean;
  'retry-failed': boolean;
  'data-dir'?: string;
  shard?: string;
  'claim-timeout': number;
  reuse: boolean;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run <spec>',
  describe: 'Run every pending cell of a study spec; resumes where a previous run stopped',
  builder: (y: Argv) =>
    y
      .positional('spec', { type: 'string', demandOption: true, describe: 'Study spec (YAML or JSON), e.g. experiments/quick.yaml' })
      .option('workers', { type: 'number', default: availableParallelism(), describe: 'Worker processes running cells in parallel' })
      .option('results', { type: 'string', describe: 'Results directory [default: results/<study name>]' })
      .option('backend', { choices: BACKEND_NAMES, default: 'auto' as BackendChoice, describe: 'tfjs backend; auto tries tensorflow-gpu (tfjs-node-gpu), tensorflow (tfjs-node), then wasm-native (wasm + the native matmul/Adam addon), then wasm, then cpu' })
      .option('force', { type: 'boolean', default: false, describe: 'Re-run cells that already have a result' })
      .option('retry-failed', { type: 'boolean', default: false, describe: 'Re-run cells whose stored result is failed' })
      .option('data-dir', { type: 'string', describe: 'Directory searched first for dataset files (also $ALBENCH_DATA)' })
      .option('shard', { type: 'string', describe: 'Run only shard i of n (i/n, i from 0), a fixed partition of the cells; shards share --results' })
      .option('claim-timeout', {
        type: 'number',
        default: DEFAULT_CLAIM_TIMEOUT_MS / 1000,
        describe: 'Seconds without a heartbeat after which another host\'s claim on a cell is taken over (dead pids on this host are taken over at once)',
      })
      .option('reuse', {
        type: 'boolean',
        default: true,
        describe: 'Cut a smaller-budget cell from the larger-budget cell it is the start of, and train each round-0 model once for all strategies that share it (--no-reuse runs every cell and round on its own)',
      })
      .example('$0 run experiments/quick.yaml', 'run the quick study on all cores')
      .example('$0 run experiments/quick.yaml --shard 0/3', 'run the first of three shards (see docs/slurm.md)')
      .example('$0 run experiments/quick.yaml --workers 1 --backend cpu', 'one worker on the pure-JS backend') as Argv<RunArgs>,
  handler: async (args) => {
    const study = await loadStudy(args.spec);
    if (!Number.isInteger(args.workers) || args.workers < 1) {
      throw new UsageError(`--workers must be a positive integer, got ${args.workers}`);
    }
    let shard: Shard | undefined;
    try {
      shard = args.shard === undefined ? undefined : parseShard(args.shard);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (!Number.isFinite(args['claim-timeout']) || args['claim-timeout'] <= 0) {
      throw new UsageError(`--claim-timeout must be a positive number of seconds, got ${args['claim-timeout']}`);
    }
    await checkStudyAgainstData(study, args.spec, args['data-dir']);
    await checkStudyStrategies(study, args.spec);
    const resultsDir = args.results ?? join('results', study.name);
    checkWritable(resultsDir);
    // A signal's default action skips 'exit' handlers; exiting explicitly lets the pool kill its workers.
    for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      process.once(signal, () => process.exit(code));
    }
    const progress = createProgress(cellsOfRun(study, { shard, reuse: args.reuse }));
    const started = Date.now();
    const summary = await runStudy(
      study,
      {
        resultsDir,
        workers: args.workers,
        backend: args.backend,
        dataDir: args['data-dir'],
        force: args.force,
        retryFailed: args['retry-failed'],
        shard,
        claimTimeoutMs: args['claim-timeout'] * 1000,
        reuse: args.reuse,
      },
      progress.listener,
    );
    progress.stop();
    const lines = [
      `study ${study.name}${shard ? ` shard ${shard.index}/${shard.count}` : ''}: ${summary.total} cells; ${summary.completed} run now${summary.derived ? ` (${summary.derived} cut from larger budgets)` : ''}, ${summary.skipped} already done, ${summary.failed.length} failed` +
        (summary.keptFailed ? `, ${summary.keptFailed} failed earlier (re-run with --retry-failed)` : '') +
        (summary.claimedElsewhere ? `, ${summary.claimedElsewhere} run by another runner` : ''),
      `backend ${summary.backend ?? '(no cell run)'}, ${args.workers} workers, ${formatSeconds((Date.now() - started) / 1000)}`,
      `results in ${resultsDir}; next: albench report ${resultsDir}`,
    ];
    for (const u of summary.unreadable) lines.push(`  warning: unreadable result file ${u.path} (${u.error}); its cell was run again`);
    if (summary.recoveredClaims) lines.push(`  took over ${summary.recoveredClaims} stale claim(s) of runners that died`);
    if (summary.retriedAfterWorkerDeath) lines.push(`  ${summary.retriedAfterWorkerDeath} cell(s) re-run after their worker died`);
    for (const f of summary.failed) lines.push(`  FAILED ${f.cell.id} ${describeCell(f.cell)}: ${f.error}`);
    process.stdout.write(`${lines.join('\n')}\n`);
    process.exitCode = summary.failed.length > 0 ? EXIT_FAILED : EXIT_OK;
  },
};

/**
 * Fails early, before any result, if the results directory cannot take a file: a read-only or full
 * filesystem, or a path through a regular file. The probe goes through the same atomic writer as
 * results, which removes its temp file when a write fails, so nothing partial is left.
 */
function checkWritable(resultsDir: string): void {
  const probe = join(cellsDir(resultsDir), '.albench-write-probe');
  try {
    writeFileAtomic(probe, 'albench write probe\n');
    removeQuietly(probe);
  } catch (err) {
    const e = explainWriteFailure(resultsDir, err as NodeJS.ErrnoException);
    const why = e.code === 'ENOSPC' ? 'the filesystem is full' : e.code === 'EROFS' ? 'the filesystem is read-only' : e.message;
    throw new UsageError(`cannot write to results directory ${resolve(resultsDir)}: ${why} (${e.code ?? 'error'}); choose another with --results`);
  }
}

/**
 * Recursive mkdir reports ENOENT on a read-only filesystem; the nearest existing ancestor tells
 * the real reason (EROFS, EACCES).
 */
function explainWriteFailure(resultsDir: string, err: NodeJS.ErrnoException): NodeJS.ErrnoException {
  if (err.code !== 'ENOENT') return err;
  let dir = resolve(resultsDir);
  while (!existsSync(dir) && dirname(dir) !== dir) dir = dirname(dir);
  try {
    accessSync(dir, constants.W_OK);
    return err;
  } catch (cause) {
    return cause as NodeJS.ErrnoException;
  }
}

/** A usage problem found after yargs parsed the arguments; exits with code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
