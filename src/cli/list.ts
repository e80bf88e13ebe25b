import type { Argv, CommandModule } from 'yargs';
import { BACKEND_NAMES, initBackend } from '../backend/index.js';
import { nativeKernelsMissing } from '../backend/native-kernels.js';
import { DATASET_INFO } from '../data/registry.js';
import { AUGMENTATION_PARAMS } from '../data/augment/params.js';
import { SSL_PARAMS } from '../models/ssl/params.js';
import { MODEL_PARAMS } from '../models/model-params.js';
import type { MethodParamSpec } from '../spec/method-params.js';
import { PROTOCOL_OPTIONS, type ProtocolOptionSpec } from '../spec/protocol-options.js';
import { AUGMENTATION_NAMES, MODEL_NAMES, OPTIMIZER_NAMES, PROTOCOL_NAMES, REPRESENTATION_NAMES, SCHEDULE_NAMES, SSL_NAMES } from '../spec/types.js';
import { SELFSUP_PARAMS } from '../selfsup/params.js';
import { existsSync } from 'node:fs';
import { GOLDEN_POOL_BATCH, GOLDEN_POOL_PATH, goldenPoolSelections, identicalSelections, readGoldenPool } from '../strategies/golden-pool.js';
import { STRATEGIES, STRATEGY_NAMES, createStrategy } from '../strategies/registry.js';

const WHAT = ['strategies', 'datasets', 'models', 'backends', 'axes'] as const;

interface ListArgs {
  what: (typeof WHAT)[number];
  check?: boolean;
}

export const listCommand: CommandModule<object, ListArgs> = {
  command: 'list <what>',
  describe: 'List the strategies, datasets, models, backends or axis values albench knows',
  builder: (y: Argv) =>
    y.positional('what', { choices: WHAT, demandOption: true }).option('check', {
      type: 'boolean',
      default: false,
      describe: 'strategies: also run each on the golden pool (test/fixtures/golden-pool.json, a checkout only) and report any two names with identical selections',
    }) as Argv<ListArgs>,
  handler: async (args) => {
    const rows: string[] = [];
    if (args.what === 'strategies') {
      for (const s of Object.values(STRATEGIES)) {
        const needs = [...createStrategy(s.name).needs].join(', ') || '-';
        const params = Object.entries(s.params).map(([k, p]) => `${k}=${p.default}`).join(' ');
        rows.push(`${s.name.padEnd(26)} ${s.family.padEnd(11)} needs: ${needs.padEnd(15)} ${params ? `params: ${params}  ` : ''}${s.citation}`);
      }
    } else if (args.what === 'datasets') {
      for (const [name, info] of Object.entries(DATASET_INFO)) rows.push(`${name.padEnd(14)} ${info.description}\n${''.padEnd(15)}source: ${info.source}`);
    } else if (args.what === 'models') {
      for (const name of MODEL_NAMES) rows.push(name, ...Object.entries(MODEL_PARAMS[name]).map(([k, p]) => paramLine(k, p)));
    } else if (args.what === 'backends') {
      const missing = nativeKernelsMissing();
      rows.push(...BACKEND_NAMES.map((name) => (name === 'wasm-native' && missing !== undefined ? `${name} (unavailable here: ${missing})` : name)));
    } else {
      rows.push(
        `augmentation: ${AUGMENTATION_NAMES.join(', ')}`,
        ...methodParams(AUGMENTATION_PARAMS),
        `ssl: ${SSL_NAMES.join(', ')}`,
        ...methodParams(SSL_PARAMS),
        `protocol: ${PROTOCOL_NAMES.join(', ')}`,
        '  options of either (e.g. { name: retrain, swaStart: 0.75 }):',
        ...Object.entries(PROTOCOL_OPTIONS).map(([k, p]) => paramLine(k, p)),
        `training (not an axis): epochs | steps | until, minSteps, batchSize, optimizer ${OPTIMIZER_NAMES.join(' | ')} (sgd: momentum, nesterov), learningRate, schedule ${SCHEDULE_NAMES.join(' | ')}, warmupSteps, weightDecay, tune`,
        `representation: ${REPRESENTATION_NAMES.join(', ')} (selfsup params: ${Object.entries(SELFSUP_PARAMS).map(([k, p]) => `${k}=${p.default}`).join(' ')})`,
      );
    }
    if (args.what === 'strategies' && args.check) rows.push(await goldenPoolCheck());
    process.stdout.write(`${rows.join('\n')}\n`);
  },
};

/** One line: whether every registered strategy picks its own selection on the golden pool. */
async function goldenPoolCheck(): Promise<string> {
  if (!existsSync(GOLDEN_POOL_PATH)) return `golden pool check: skipped (${GOLDEN_POOL_PATH} is not in this installation)`;
  await initBackend('wasm');
  await import('../models/zoo.js'); // the layers' gradients, which VAAL trains with
  const selections = await goldenPoolSelections(readGoldenPool(), STRATEGY_NAMES.map((name) => ({ name, strategy: createStrategy(name) })));
  const same = identicalSelections(selections);
  return same.length === 0
    ? `golden pool check: all ${STRATEGY_NAMES.length} strategies pick distinct selections (batch of ${GOLDEN_POOL_BATCH}; entropy and ceal share a batch, ceal adds pseudo-labels)`
    : `golden pool check: identical selections for ${same.map(([a, b]) => `${a} = ${b}`).join(', ')}`;
}

/** `  name=default  range  description`, one parameter or option per line. */
function paramLine(name: string, p: MethodParamSpec | ProtocolOptionSpec): string {
  const low = 'exclusiveMin' in p && p.exclusiveMin ? '(' : '[';
  const value = p.default === undefined ? name : `${name}=${p.default}`;
  return `    ${value.padEnd(22)} ${p.integer ? 'integer ' : ''}${low}${p.min}, ${p.max}]  ${p.description}`;
}

/** Each method's parameters under its name: `  fixmatch:` then one line per parameter. */
function methodParams(table: Readonly<Record<string, Readonly<Record<string, MethodParamSpec>>>>): string[] {
  return Object.entries(table).flatMap(([method, params]) => [`  ${method}:`, ...Object.entries(params).map(([k, p]) => paramLine(k, p))]);
}
