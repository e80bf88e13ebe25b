import { availableParallelism } from 'node:os';
import type { Argv, CommandModule } from 'yargs';
import { BACKEND_NAMES, type BackendChoice } from '../backend/index.js';
import { pickCells } from '../regression/pick-cells.js';
import { readResultsDir, ResultsDirError } from '../regression/read-results.js';
import { BackendRefusedError, checkBackends, verifyCells } from '../regression/verify-run.js';
import { EXIT_FAILED, EXIT_OK } from './exit-codes.js';
import { UsageError } from './run.js';

interface VerifyArgs {
  results: string;
  cell?: string[];
  sample?: number;
  seed: number;
  workers: number;
  backend?: BackendChoice;
  'data-dir'?: string;
}

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify <results>',
  describe: 'Re-run recorded cells and check their metrics and selections are identical bit for bit',
  builder: (y: Argv) =>
    y
      .positional('results', { type: 'string', demandOption: true, describe: 'Results directory, e.g. results/quick' })
      .option('cell', { type: 'string', array: true, describe: 'Re-run this cell (id or unique id prefix); repeatable' })
      .option('sample', { type: 'number', describe: 'Re-run this many completed cells, drawn with --seed' })
      .option('seed', { type: 'number', default: 0, describe: 'Seed of the --sample draw' })
      .option('workers', { type: 'number', default: availableParallelism(), describe: 'Worker processes' })
      .option('backend', {
        choices: BACKEND_NAMES,
        describe: 'Must equal the recorded backend (the default); another backend is refused, since it rounds differently',
      })
      .option('data-dir', { type: 'string', describe: 'Directory searched first for dataset files (also $ALBENCH_DATA)' })
      .conflicts('cell', 'sample')
      .example('$0 verify results/quick --sample 3', 're-run three cells drawn at random (seed 0)')
      .example('$0 verify results/quick --cell 3f2a9c1b0d4e', 're-run one cell')
      .epilogue(
        'Everything but the timing fields (trainMs, queryMs, startedAt, finishedAt) and env must match; the first differing round and field are named. ' +
          'Exit codes: 0 every re-run identical; 1 a mismatch or a re-run failed; 2 bad usage or a refused backend.',
      ) as Argv<VerifyArgs>,
  handler: async (args) => {
    if (!Number.isInteger(args.workers) || args.workers < 1) throw new UsageError(`--workers must be a positive integer, got ${args.workers}`);
    let chosen;
    let skipped;
    try {
      const read = readResultsDir(args.results);
      skipped = read.skipped;
      chosen = pickCells(read.results, { cells: args.cell, sample: args.sample, seed: args.seed });
    } catch (err) {
      if (err instanceof ResultsDirError || err instanceof RangeError || /no cell|matches \d+ cells/.test((err as Error).message)) throw new UsageError((err as Error).message);
      throw err;
    }
    for (const s of skipped) process.stderr.write(`skipped ${s.path}: ${s.reason}\n`);
    if (chosen.length === 0) throw new UsageError(`no completed cell to verify in ${args.results}`);
    try {
      checkBackends(chosen, args.backend);
    } catch (err) {
      if (err instanceof BackendRefusedError) throw new UsageError(`refused: ${err.message}`);
      throw err;
    }
    process.stdout.write(`re-running ${chosen.length} cell${chosen.length === 1 ? '' : 's'} on the recorded backend…\n`);
    let outcomes;
    try {
      outcomes = await verifyCells(chosen, {
        workers: args.workers,
        dataDir: args['data-dir'],
        backend: args.backend,
        onCell: (o) => {
          const mark = o.status === 'identical' ? 'ok  ' : o.status === 'mismatch' ? 'DIFF' : 'FAIL';
          const env = o.status !== 'identical' && o.envChanges.length ? ` (recorded with other versions: ${o.envChanges.join(', ')})` : '';
          process.stdout.write(`${mark} ${o.cellId}  ${o.strategy}, seed ${o.seed}, ${o.backend}: ${o.message}${env}\n`);
        },
      });
    } catch (err) {
      if (err instanceof BackendRefusedError) throw new UsageError(`refused: ${err.message}`);
      throw err;
    }
    const bad = outcomes.filter((o) => o.status !== 'identical');
    process.stdout.write(
      bad.length === 0
        ? `verified: all ${outcomes.length} re-runs identical bit for bit (timings excluded)\n`
        : `NOT verified: ${bad.length} of ${outcomes.length} re-runs differ or failed\n`,
    );
    process.exitCode = bad.length === 0 ? EXIT_OK : EXIT_FAILED;
  },
};
