import { basename, join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { EXPORT_FORMATS, exportTidy, type ExportFormat } from '../report/export-formats.js';
import { tidyRows } from '../report/tidy.js';
import { readResultsDir, ResultsDirError } from '../regression/read-results.js';
import { writeFileAtomic } from '../store/atomic.js';
import { UsageError } from './run.js';

interface ExportArgs {
  results: string;
  format: ExportFormat;
  out?: string;
  stdout: boolean;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export <results>',
  describe: 'Write the results as one tidy table (a row per cell × round, every axis a column) for pandas or R',
  builder: (y: Argv) =>
    y
      .positional('results', { type: 'string', demandOption: true, describe: 'Results directory, e.g. results/quick' })
      .option('format', { choices: EXPORT_FORMATS, default: 'csv' as ExportFormat, describe: 'File format' })
      .option('out', { type: 'string', describe: 'Output file [default: <results>/tidy.<format>]' })
      .option('stdout', { type: 'boolean', default: false, describe: 'Print the table instead of writing a file (csv, jsonl)' })
      .example('$0 export results/quick --format parquet', 'writes results/quick/tidy.parquet')
      .example('$0 export results/quick --stdout | head', 'the CSV on stdout')
      .epilogue('Exit codes: 0 written; 2 the results directory is missing, unreadable or holds no readable result (nothing written).') as Argv<ExportArgs>,
  handler: (args) => {
    if (args.stdout && args.format === 'parquet') throw new UsageError('--stdout prints text only: write --format parquet to a file (--out)');
    const { results, skipped } = readResultsDir(args.results);
    for (const s of skipped) process.stderr.write(`skipped ${s.path}: ${s.reason}\n`);
    if (results.length === 0) throw new ResultsDirError(`no readable cell results in ${join(args.results, 'cells')}: nothing to export`);
    const { columns, rows } = tidyRows(results);
    const bytes = exportTidy(args.format, columns, rows);
    if (args.stdout) {
      process.stdout.write(bytes);
      return;
    }
    const out = args.out ?? join(args.results, `tidy.${args.format}`);
    writeFileAtomic(out, bytes);
    process.stderr.write(`${rows.length} rows × ${columns.length} columns from ${results.length} cells of ${basename(args.results.replace(/\/+$/, ''))} written to ${out}\n`);
  },
};
