/**
 * `albench data list | fetch <name> | verify <name>`: what data is present, get what is missing
 * from its official address (SHA-256 checked, atomic), and re-check what is on disk.
 */
import cliProgress from 'cli-progress';
import type { Argv, CommandModule } from 'yargs';
import { DatasetError } from '../data/dataset.js';
import { fetchDataset, findPresent, verifyDataset } from '../data/fetch.js';
import { datasetSearchPath, downloadDir } from '../data/locate.js';
import { DATASET_INFO } from '../data/registry.js';
import { DATASET_SOURCES, isFetchable, type DatasetSource } from '../data/sources.js';
import { DATASET_NAMES } from '../spec/types.js';
import { EXIT_FAILED } from './exit-codes.js';

const ACTIONS = ['list', 'fetch', 'verify'] as const;
const FETCHABLE = Object.keys(DATASET_SOURCES);

interface DataArgs {
  action: (typeof ACTIONS)[number];
  name?: string;
  'data-dir'?: string;
  force?: boolean;
}

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

function sourceOf(name: string | undefined, action: string): DatasetSource {
  if (name === undefined) throw new DatasetError(`albench data ${action}: give a dataset name; one of ${FETCHABLE.join(', ')}`);
  if (!isFetchable(name)) {
    const why = (DATASET_NAMES as readonly string[]).includes(name) ? `"${name}" has no files to ${action} (bundled, generated or your own)` : `unknown dataset "${name}"`;
    throw new DatasetError(`albench data ${action}: ${why}; datasets with files to ${action}: ${FETCHABLE.join(', ')}`);
  }
  return DATASET_SOURCES[name];
}

function list(dataDir: string | undefined): string[] {
  const rows: string[] = [];
  for (const name of DATASET_NAMES) {
    let status: string;
    if (isFetchable(name)) {
      const source = DATASET_SOURCES[name];
      const present = findPresent(source, datasetSearchPath(source, dataDir));
      const size = mb(source.downloads.reduce((s, d) => s + d.bytes, 0));
      status = present
        ? `present   ${present.dir} (${mb(present.bytes)}; \`albench data verify ${name}\` re-checks SHA-256)`
        : `missing   \`albench data fetch ${name}\` downloads ${size} into ${downloadDir(source, dataDir)}`;
    } else if (name === 'digits') status = 'bundled   data/digits/ (ships with albench)';
    else if (name === 'synthetic') status = 'generated in-process from splitSeed';
    else status = `your data declare { name: ${name}, path: … } in a spec`;
    rows.push(`${name.padEnd(14)} ${status}`, `${''.padEnd(15)}${DATASET_INFO[name].description}`);
  }
  return rows;
}

export const dataCommand: CommandModule<object, DataArgs> = {
  command: 'data <action> [name]',
  describe: 'List datasets and where they are; fetch one from its official address; verify files on disk',
  builder: (y: Argv) =>
    y
      .positional('action', { choices: ACTIONS, demandOption: true, describe: 'list: what is present and what can be fetched; fetch: download (SHA-256 checked); verify: re-check present files' })
      .positional('name', { type: 'string', describe: `dataset with files: ${FETCHABLE.join(', ')}` })
      .option('data-dir', { type: 'string', describe: 'Data root: searched first, and where fetch writes <data-dir>/<name> (default $ALBENCH_DATA, else ./data)' })
      .option('force', { type: 'boolean', default: false, describe: 'fetch: download even if a verified copy is present' })
      .example('$0 data list', 'what is present, what can be fetched')
      .example('$0 data fetch mnist', 'download MNIST into ./data/mnist') as Argv<DataArgs>,
  handler: async (args) => {
    const dataDir = args['data-dir'];
    if (args.action === 'list') {
      process.stdout.write(`${list(dataDir).join('\n')}\n`);
      return;
    }
    const source = sourceOf(args.name, args.action);
    const searchPath = datasetSearchPath(source, dataDir);
    if (args.action === 'verify') {
      const result = verifyDataset(source, searchPath);
      for (const c of result.checks) {
        const how = c.form === 'gzip' ? 'content after gunzip' : 'file';
        process.stdout.write(`${c.ok ? 'ok      ' : 'MISMATCH'} ${c.path} (${how}) sha256 ${c.actual}${c.ok ? '' : `, expected ${c.file.contentSha256}`}\n`);
      }
      process.stdout.write(result.ok ? `${source.displayName} in ${result.dir}: all ${result.checks.length} files verified\n` : `${source.displayName} in ${result.dir}: corrupt files; delete them and run \`albench data fetch ${source.name}\`\n`);
      if (!result.ok) process.exitCode = EXIT_FAILED;
      return;
    }
    const progress = createDownloadProgress(process.stderr);
    try {
      const result = await fetchDataset(source, { dataDir, force: args.force, onProgress: progress.update });
      progress.stop();
      process.stdout.write(
        result.status === 'present'
          ? `${source.displayName} is already present and verified in ${result.dir}; nothing downloaded (--force to download anyway)\n`
          : `${source.displayName} downloaded from ${result.urls.join(', ')}, SHA-256 verified, into ${result.dir}\n`,
      );
    } finally {
      progress.stop();
    }
  },
};

/** A bar per file on a terminal; otherwise a line per file at start and every 25 %. */
function createDownloadProgress(stream: NodeJS.WriteStream): { update: (file: string, received: number, total: number | undefined) => void; stop: () => void } {
  let bar: cliProgress.SingleBar | undefined;
  let current = '';
  let lastQuarter = -1;
  const stop = () => {
    bar?.stop();
    bar = undefined;
  };
  return {
    update(file, received, total) {
      if (file !== current) {
        stop();
        current = file;
        lastQuarter = -1;
        if (stream.isTTY) {
          bar = new cliProgress.SingleBar(
            { format: `${file} |{bar}| {percentage}% | {value_mb}/{total_mb} MB | ETA {eta_formatted}`, stream, noTTYOutput: true, hideCursor: true },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total ?? 0, 0, { value_mb: '0.0', total_mb: total ? (total / 1e6).toFixed(1) : '?' });
        }
      }
      if (bar) {
        bar.update(received, { value_mb: (received / 1e6).toFixed(1) });
        return;
      }
      const quarter = total ? Math.floor((4 * received) / total) : 0;
      if (quarter > lastQuarter) {
        lastQuarter = quarter;
        stream.write(`${file}: ${mb(received)}${total ? ` of ${mb(total)} (${quarter * 25} %)` : ''}\n`);
      }
    },
    stop,
  };
}
