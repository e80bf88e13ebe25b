/**
 * Turns a parsed spec document into a checked `StudySpec`, or throws a `SpecError` that lists every
 * problem with its field path, the bad value and the allowed values.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { STRATEGY_NAMES, resolveStrategyParams, type StrategyParams } from '../strategies/registry.js';
import { PluginError, resolvePlugin } from '../strategies/plugin.js';
import { CommandEntryError, resolveCommand } from '../strategies/process-strategy.js';
import { didYouMean, show, SpecError, type SpecIssue } from './errors.js';
import { AUGMENTATION_PARAMS } from '../data/augment/params.js';
import { SSL_PARAMS } from '../models/ssl/params.js';
import { SELFSUP_PARAMS } from '../selfsup/params.js';
import { methodName, resolveMethod, type MethodParamTable } from './method-params.js';
import { PROTOCOL_OPTIONS } from './protocol-options.js';
import {
  AUGMENTATION_NAMES,
  DATASET_NAMES,
  MODEL_NAMES,
  NORMALIZE_NAMES,
  PROTOCOL_NAMES,
  REPRESENTATION_NAMES,
  SSL_NAMES,
  type AugmentationSetting,
  type DatasetConfig,
  type MethodSetting,
  type ModelName,
  type ProtocolConfig,
  type RepresentationConfig,
  type SslSetting,
  type StrategyCommand,
  type StrategyPlugin,
  type TrainingConfig,
} from './types.js';
import { FINDING_IDS, type FindingId, type FindingOptions } from '../analysis/findings/types.js';

/** A validated spec: every axis as a non-empty list of values. */
export interface StudySpec {
  readonly name: string;
  readonly description?: string;
  readonly datasets: readonly DatasetConfig[];
  readonly models: readonly ModelName[];
  readonly strategies: readonly string[];
  /**
   * Resolved parameters (defaults filled in) of each listed strategy that has parameters, by name.
   * A strategy entry is a name or `{ name, ...params }`; each name appears once per study, because
   * results are grouped by strategy name.
   */
  readonly strategyParams: Readonly<Record<string, StrategyParams>>;
  /** Strategies loaded from the user's modules (`{ module, export, name? }` entries), by name. */
  readonly strategyPlugins?: Readonly<Record<string, StrategyPlugin>>;
  /** Strategies run as another process (`{ name, command, needs?, timeout? }` entries), by name. */
  readonly strategyCommands?: Readonly<Record<string, StrategyCommand>>;
  readonly budgets: readonly number[];
  readonly batchSizes: readonly number[];
  /** `undefined` entries mean "same as the cell's batchSize". */
  readonly initialSizes: readonly (number | undefined)[];
  /** Augmentation policies with their parameters (`'none'` bare); one entry per policy name. */
  readonly augmentations: readonly AugmentationSetting[];
  /** SSL methods with their parameters (`'none'` bare); one entry per method name. */
  readonly ssls: readonly SslSetting[];
  /** Training protocols; `undefined` is plain `retrain` (absent from the cell, so older ids hold). */
  readonly protocols?: readonly (ProtocolConfig | undefined)[];
  /** Input representations; `undefined` is `raw` (absent from the cell, so older ids hold). Absent when only raw. */
  readonly representations?: readonly (RepresentationConfig | undefined)[];
  readonly seeds: readonly number[];
  readonly training: TrainingConfig;
  /** Per-finding overrides of the decision procedure (analysis only: never part of a cell). */
  readonly findings?: FindingOptions;
}

export const DEFAULT_TRAINING: TrainingConfig = { epochs: 30, batchSize: 32, learningRate: 0.001 };

export const TOP_LEVEL_KEYS = ['name', 'description', 'dataset', 'model', 'matrix', 'training', 'findings'] as const;
export const FINDING_OPTION_KEYS = ['minEffect'] as const;
export const MATRIX_KEYS = ['strategy', 'budget', 'batchSize', 'initialSize', 'augmentation', 'ssl', 'protocol', 'representation', 'seed'] as const;
export const TRAINING_KEYS = ['epochs', 'batchSize', 'learningRate'] as const;
export const DATASET_KEYS = [
  'name',
  'testFraction',
  'splitSeed',
  'classes',
  'dims',
  'samples',
  'imbalance',
  'poolSize',
  'testSize',
  'normalize',
  'path',
  'test',
  'label',
  'sha256',
] as const;
export const SYNTHETIC_ONLY_KEYS = ['classes', 'dims', 'samples'] as const;
export const USER_DATA_NAMES: readonly string[] = ['csv', 'npy'];
const OFFICIAL_SPLIT_NAMES: readonly string[] = ['mnist', 'fashion-mnist', 'cifar10'];
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** `findings: { F1: { minEffect: 0.01 } }`: the smallest effect of interest per finding. */
function findingOptions(c: Checker, value: unknown): FindingOptions | undefined {
  const obj = c.object(value, 'findings');
  if (!obj) return undefined;
  c.knownKeys(obj, 'findings', FINDING_IDS);
  const out: Partial<Record<FindingId, { minEffect?: number }>> = {};
  for (const id of FINDING_IDS) {
    if (obj[id] === undefined) continue;
    const o = c.object(obj[id], `findings.${id}`);
    if (!o) continue;
    c.knownKeys(o, `findings.${id}`, FINDING_OPTION_KEYS);
    const minEffect = o.minEffect === undefined ? undefined : c.number(o.minEffect, `findings.${id}.minEffect`, 0, 1, true);
    out[id] = minEffect === undefined ? {} : { minEffect };
  }
  return out;
}

class Checker {
  readonly issues: SpecIssue[] = [];

  fail(path: string, message: string): undefined {
    this.issues.push({ path, message });
    return undefined;
  }

  object(value: unknown, path: string): Record<string, unknown> | undefined {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return this.fail(path, `must be a mapping (object), got ${show(value)}`);
    }
    return value as Record<string, unknown>;
  }

  knownKeys(obj: Record<string, unknown>, path: string, allowed: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        const hint = didYouMean(key, allowed);
        const at = path ? `${path}.${key}` : key;
        this.fail(at, `unknown field${hint ? ` (did you mean "${hint}"?)` : ''}; allowed fields: ${allowed.join(', ')}`);
      }
    }
  }

  /** An axis: a single value or a non-empty list without duplicates. */
  axis<T>(value: unknown, path: string, item: (v: unknown, p: string) => T | undefined): T[] | undefined {
    const list = Array.isArray(value) ? value : [value];
    if (list.length === 0) return this.fail(path, 'must not be an empty list; give at least one value');
    const out: T[] = [];
    const seen = new Set<string>();
    list.forEach((v, i) => {
      const p = Array.isArray(value) ? `${path}[${i}]` : path;
      const key = JSON.stringify(v);
      if (seen.has(key)) {
        this.fail(p, `duplicate value ${show(v)}; each axis value must appear once`);
        return;
      }
      seen.add(key);
      const checked = item(v, p);
      if (checked !== undefined) out.push(checked);
    });
    return out.length === list.length ? out : undefined;
  }

  integer(value: unknown, path: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return this.fail(path, `must be an integer between ${min} and ${max}, got ${show(value)}`);
    }
    if (value < min || value > max) return this.fail(path, `must be between ${min} and ${max}, got ${value}`);
    return value;
  }

  number(value: unknown, path: string, min: number, max: number, exclusiveMin = false): number | undefined {
    const range = `${exclusiveMin ? '>' : '≥'} ${min} and ≤ ${max}`;
    if (typeof value !== 'number' || !Number.isFinite(value)) return this.fail(path, `must be a number ${range}, got ${show(value)}`);
    if ((exclusiveMin ? value <= min : value < min) || value > max) return this.fail(path, `must be ${range}, got ${value}`);
    return value;
  }

  oneOf<T extends string>(value: unknown, path: string, allowed: readonly T[], what: string): T | undefined {
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    const hint = typeof value === 'string' ? didYouMean(value, allowed) : undefined;
    return this.fail(
      path,
      `unknown ${what} ${show(value)}${hint ? ` (did you mean "${hint}"?)` : ''}; allowed: ${allowed.join(', ')}`,
    );
  }
}

export function validateSpec(doc: unknown, source = 'spec'): StudySpec {
  const c = new Checker();
  const root = c.object(doc, '(root)');
  if (!root) throw new SpecError(source, c.issues);
  c.knownKeys(root, '', TOP_LEVEL_KEYS);

  let name: string | undefined;
  if (typeof root.name !== 'string' || !NAME_PATTERN.test(root.name)) {
    c.fail('name', `must be a study name of letters, digits, '.', '_' or '-' (it names the results folder), got ${show(root.name)}`);
  } else {
    name = root.name;
  }
  if (root.description !== undefined && typeof root.description !== 'string') {
    c.fail('description', `must be a string, got ${show(root.description)}`);
  }

  const datasets =
    root.dataset === undefined
      ? c.fail('dataset', `is required; allowed: ${DATASET_NAMES.join(', ')}`)
      : c.axis(root.dataset, 'dataset', (v, p) => datasetConfig(c, v, p, dirname(resolve(source))));
  const models =
    root.model === undefined
      ? c.fail('model', `is required; allowed: ${MODEL_NAMES.join(', ')}`)
      : c.axis(root.model, 'model', (v, p) => c.oneOf(v, p, MODEL_NAMES, 'model'));

  const matrix = root.matrix === undefined ? c.fail('matrix', `is required, with fields ${MATRIX_KEYS.join(', ')}`) : c.object(root.matrix, 'matrix');
  let strategies, budgets, batchSizes, initialSizes, augmentations, ssls, protocols, representations, seeds;
  const strategyParams: Record<string, StrategyParams> = {};
  const strategyPlugins: Record<string, StrategyPlugin> = {};
  const strategyCommands: Record<string, StrategyCommand> = {};
  if (matrix) {
    c.knownKeys(matrix, 'matrix', MATRIX_KEYS);
    const required = (key: string) => c.fail(`matrix.${key}`, 'is required');
    strategies =
      matrix.strategy === undefined
        ? c.fail('matrix.strategy', `is required; allowed: ${STRATEGY_NAMES.join(', ')}`)
        : c.axis(matrix.strategy, 'matrix.strategy', (v, p) =>
            isPluginEntry(v)
              ? pluginEntry(c, v, p, strategyParams, strategyPlugins, dirname(resolve(source)))
              : isCommandEntry(v)
                ? commandEntry(c, v, p, strategyParams, strategyCommands, dirname(resolve(source)))
                : strategyEntry(c, v, p, strategyParams),
          );
    budgets = matrix.budget === undefined ? required('budget') : c.axis(matrix.budget, 'matrix.budget', (v, p) => c.integer(v, p, 2));
    batchSizes =
      matrix.batchSize === undefined ? required('batchSize') : c.axis(matrix.batchSize, 'matrix.batchSize', (v, p) => c.integer(v, p, 1));
    initialSizes =
      matrix.initialSize === undefined
        ? [undefined]
        : c.axis(matrix.initialSize, 'matrix.initialSize', (v, p) => c.integer(v, p, 1));
    const augNames = new Set<string>();
    augmentations =
      matrix.augmentation === undefined
        ? ['none' as const]
        : c.axis(matrix.augmentation, 'matrix.augmentation', (v, p) => methodEntry(c, v, p, AUGMENTATION_NAMES, AUGMENTATION_PARAMS, 'augmentation', augNames));
    const sslNames = new Set<string>();
    ssls =
      matrix.ssl === undefined
        ? ['none' as const]
        : c.axis(matrix.ssl, 'matrix.ssl', (v, p) => methodEntry(c, v, p, SSL_NAMES, SSL_PARAMS, 'ssl method', sslNames));
    const protocolList = matrix.protocol === undefined ? ['retrain' as const] : c.axis(matrix.protocol, 'matrix.protocol', (v, p) => protocolEntry(c, v, p));
    protocols = protocolList?.map((x) => (x === 'retrain' ? undefined : x));
    if (protocols && new Set(protocols.map((x) => JSON.stringify(x ?? 'retrain'))).size < protocols.length) {
      c.fail('matrix.protocol', 'lists the same protocol twice (plain "retrain" equals { name: retrain } without options)');
    }
    const representationList =
      matrix.representation === undefined ? ['raw' as const] : c.axis(matrix.representation, 'matrix.representation', (v, p) => representationEntry(c, v, p));
    representations = representationList?.map((x) => (x === 'raw' ? undefined : x));
    if (representations && new Set(representations.map((x) => (x ? 'selfsup' : 'raw'))).size < representations.length) {
      c.fail('matrix.representation', 'lists selfsup twice; compare encoder settings in separate studies');
    }
    seeds = matrix.seed === undefined ? required('seed') : c.axis(matrix.seed, 'matrix.seed', (v, p) => c.integer(v, p, 0, 2 ** 31 - 1));
  }

  let training: TrainingConfig | undefined = DEFAULT_TRAINING;
  if (root.training !== undefined) {
    const t = c.object(root.training, 'training');
    if (t) {
      c.knownKeys(t, 'training', TRAINING_KEYS);
      const epochs = t.epochs === undefined ? DEFAULT_TRAINING.epochs : c.integer(t.epochs, 'training.epochs', 1, 10_000);
      const batchSize = t.batchSize === undefined ? DEFAULT_TRAINING.batchSize : c.integer(t.batchSize, 'training.batchSize', 1, 65_536);
      const learningRate =
        t.learningRate === undefined ? DEFAULT_TRAINING.learningRate : c.number(t.learningRate, 'training.learningRate', 0, 10, true);
      training = epochs && batchSize && learningRate ? { epochs, batchSize, learningRate } : undefined;
    }
  }

  const findings = root.findings === undefined ? undefined : findingOptions(c, root.findings);

  if (budgets && batchSizes && initialSizes) checkLoopSizes(c, budgets, batchSizes, initialSizes);
  if (datasets && augmentations && ssls) checkImageOnlyMethods(c, datasets, augmentations, ssls);
  if (datasets && models && augmentations && ssls && representations?.some((r) => r !== undefined)) {
    checkSelfsupCombination(c, datasets, models, augmentations, ssls);
  }

  if (c.issues.length > 0 || !name || !datasets || !models || !strategies || !budgets || !batchSizes) {
    throw new SpecError(source, c.issues);
  }
  return {
    name,
    description: typeof root.description === 'string' ? root.description : undefined,
    datasets,
    models,
    strategies,
    strategyParams,
    ...(Object.keys(strategyPlugins).length > 0 ? { strategyPlugins } : {}),
    ...(Object.keys(strategyCommands).length > 0 ? { strategyCommands } : {}),
    budgets,
    batchSizes,
    initialSizes: initialSizes!,
    augmentations: augmentations!,
    ssls: ssls!,
    ...(protocols && protocols.some((x) => x !== undefined) ? { protocols } : {}),
    ...(representations && representations.some((x) => x !== undefined) ? { representations } : {}),
    seeds: seeds!,
    training: training!,
    ...(findings && Object.keys(findings).length > 0 ? { findings } : {}),
  };
}

/** A strategy axis entry: a name, or `{ name, ...params }` checked against the registry's parameter specs. */
function strategyEntry(c: Checker, value: unknown, path: string, out: Record<string, StrategyParams>): string | undefined {
  const obj = typeof value === 'string' ? { name: value } : c.object(value, path);
  if (!obj) return undefined;
  const namePath = typeof value === 'string' ? path : `${path}.name`;
  const name = c.oneOf(obj.name, namePath, STRATEGY_NAMES, 'strategy');
  if (!name) return undefined;
  if (name in out) {
    return c.fail(path, `strategy "${name}" is listed twice; results are grouped by strategy name, so compare parameter settings in separate studies`);
  }
  const { name: _name, ...given } = obj;
  const { params, issues } = resolveStrategyParams(name, given);
  for (const issue of issues) c.fail(`${path}.${issue.param}`, issue.message);
  if (issues.length > 0) return undefined;
  out[name] = params;
  return name;
}

export const PLUGIN_KEYS = ['module', 'export', 'name'] as const;

function isPluginEntry(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'module' in value;
}

/**
 * A strategy from the user's module: `{ module: './my-strategy.js', export: 'myStrategy', name? }`.
 * The module is resolved against the spec's directory and hashed (strategies/plugin.ts); its
 * results are grouped under `name`, which defaults to the export's name.
 */
function pluginEntry(
  c: Checker,
  obj: Record<string, unknown>,
  path: string,
  params: Record<string, StrategyParams>,
  plugins: Record<string, StrategyPlugin>,
  specDir: string,
): string | undefined {
  const before = c.issues.length;
  c.knownKeys(obj, path, PLUGIN_KEYS);
  if (obj.export === undefined) c.fail(`${path}.export`, 'is required: the name of the module export holding the Strategy (or "default")');
  const name = obj.name === undefined ? obj.export : obj.name;
  if (obj.name !== undefined && (typeof obj.name !== 'string' || !NAME_PATTERN.test(obj.name))) {
    c.fail(`${path}.name`, `must be a strategy name of letters, digits, '.', '_' or '-', got ${show(obj.name)}`);
  }
  if (c.issues.length > before) return undefined;
  let plugin: StrategyPlugin;
  try {
    plugin = resolvePlugin({ module: obj.module as string, export: obj.export as string }, specDir);
  } catch (err) {
    if (err instanceof PluginError) return c.fail(`${path}.${err.field}`, err.message);
    throw err;
  }
  const key = name as string;
  if (key in params) {
    return c.fail(path, `strategy "${key}" is listed twice; results are grouped by strategy name, so give the plugin another name (name: ...)`);
  }
  params[key] = {};
  plugins[key] = plugin;
  return key;
}

export const COMMAND_KEYS = ['name', 'command', 'needs', 'timeout'] as const;

function isCommandEntry(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && 'command' in value;
}

/**
 * A strategy run as another process: `{ name, command: [python3, my.py], needs?: [probs], timeout? }`.
 * Paths in the command resolve against the spec's directory; the script is hashed
 * (strategies/process-strategy.ts). `name` is required: results are grouped under it.
 */
function commandEntry(
  c: Checker,
  obj: Record<string, unknown>,
  path: string,
  params: Record<string, StrategyParams>,
  commands: Record<string, StrategyCommand>,
  specDir: string,
): string | undefined {
  const before = c.issues.length;
  c.knownKeys(obj, path, COMMAND_KEYS);
  if (typeof obj.name !== 'string' || !NAME_PATTERN.test(obj.name)) {
    c.fail(`${path}.name`, `must be a strategy name of letters, digits, '.', '_' or '-' (results are grouped under it), got ${show(obj.name)}`);
  }
  if (c.issues.length > before) return undefined;
  let command: StrategyCommand;
  try {
    command = resolveCommand({ command: obj.command, needs: obj.needs, timeout: obj.timeout }, specDir);
  } catch (err) {
    if (err instanceof CommandEntryError) return c.fail(`${path}.${err.field}`, err.message);
    throw err;
  }
  const key = obj.name as string;
  if (key in params) return c.fail(path, `strategy "${key}" is listed twice; results are grouped by strategy name, so give the command another name`);
  params[key] = {};
  commands[key] = command;
  return key;
}

/**
 * One dataset entry. User data paths (`path`, `test`) are resolved against `specDir`, the spec
 * file's directory, so a spec and its data move together; the resolved absolute path is what the
 * cell config records (with the files' SHA-256, added when the study is expanded).
 */
function datasetConfig(c: Checker, value: unknown, path: string, specDir = process.cwd()): DatasetConfig | undefined {
  if (typeof value === 'string') {
    const name = c.oneOf(value, path, DATASET_NAMES, 'dataset');
    if (name && USER_DATA_NAMES.includes(name)) {
      return c.fail(path, `dataset "${name}" needs a path: write it as a mapping, e.g. { name: ${name}, path: ${name === 'csv' ? 'data/my.csv' : 'data/my-arrays'} }`);
    }
    return name ? { name } : undefined;
  }
  const obj = c.object(value, path);
  if (!obj) return undefined;
  c.knownKeys(obj, path, DATASET_KEYS);
  const name = c.oneOf(obj.name, `${path}.name`, DATASET_NAMES, 'dataset');
  if (!name) return undefined;
  const before = c.issues.length;
  const userData = USER_DATA_NAMES.includes(name);
  const out: { -readonly [K in keyof DatasetConfig]: DatasetConfig[K] } = { name };

  // User data: files first, since whether a fixed test set exists decides if testFraction applies.
  let ownTestSet = OFFICIAL_SPLIT_NAMES.includes(name);
  for (const key of ['path', 'test', 'label', 'sha256'] as const) {
    const allowed = key === 'path' || key === 'sha256' ? userData : name === 'csv';
    if (obj[key] !== undefined && !allowed) c.fail(`${path}.${key}`, `applies only to dataset ${key === 'path' || key === 'sha256' ? '"csv" or "npy"' : '"csv"'}, not ${show(name)}`);
  }
  if (userData) {
    const file = (key: 'path' | 'test', kind: 'file' | 'directory'): string | undefined => {
      const v = obj[key];
      if (typeof v !== 'string' || v === '') return c.fail(`${path}.${key}`, `must be a ${kind} path (relative to the spec file), got ${show(v)}`);
      const abs = resolve(specDir, v);
      if (!existsSync(abs)) return c.fail(`${path}.${key}`, `${show(v)} not found (resolved against the spec's directory to ${abs})`);
      if (statSync(abs).isDirectory() !== (kind === 'directory')) return c.fail(`${path}.${key}`, `${abs} is not a ${kind}`);
      return abs;
    };
    if (obj.path === undefined) c.fail(`${path}.path`, `is required for dataset "${name}" (${name === 'csv' ? 'the CSV file' : 'the directory with x.npy and y.npy'})`);
    else out.path = file('path', name === 'csv' ? 'file' : 'directory');
    if (name === 'csv' && obj.test !== undefined) {
      out.test = file('test', 'file');
      ownTestSet = true;
    }
    if (name === 'npy' && out.path) {
      for (const f of ['x.npy', 'y.npy']) {
        if (!existsSync(resolve(out.path, f))) c.fail(`${path}.path`, `directory ${out.path} has no ${f}`);
      }
      ownTestSet = existsSync(resolve(out.path, 'x_test.npy'));
    }
    if (obj.label !== undefined && name === 'csv') {
      if (typeof obj.label === 'string' && obj.label !== '') out.label = obj.label;
      else out.label = c.integer(obj.label, `${path}.label`, 0, 1_000_000);
    }
    if (obj.sha256 !== undefined) {
      if (typeof obj.sha256 === 'string' && /^[0-9a-f]{64}$/.test(obj.sha256)) out.sha256 = obj.sha256;
      else c.fail(`${path}.sha256`, `must be 64 lower-case hex digits (a SHA-256), got ${show(obj.sha256)}`);
    }
  }

  if (obj.testFraction !== undefined) {
    if (ownTestSet) c.fail(`${path}.testFraction`, `${name} has ${userData ? 'a fixed test file' : 'an official test set'}; remove testFraction (use testSize to evaluate on a subset)`);
    else out.testFraction = c.number(obj.testFraction, `${path}.testFraction`, 0, 0.9, true);
  }
  if (obj.splitSeed !== undefined) out.splitSeed = c.integer(obj.splitSeed, `${path}.splitSeed`, 0, 2 ** 31 - 1);
  for (const key of SYNTHETIC_ONLY_KEYS) {
    if (obj[key] !== undefined && name !== 'synthetic') c.fail(`${path}.${key}`, `applies only to dataset "synthetic", not ${show(name)}`);
  }
  if (name === 'synthetic') {
    if (obj.classes !== undefined) out.classes = c.integer(obj.classes, `${path}.classes`, 2, 1000);
    if (obj.dims !== undefined) out.dims = c.integer(obj.dims, `${path}.dims`, 1, 10_000);
    if (obj.samples !== undefined) out.samples = c.integer(obj.samples, `${path}.samples`, 10, 10_000_000);
  }
  // Variants, on any dataset.
  if (obj.imbalance !== undefined) out.imbalance = c.number(obj.imbalance, `${path}.imbalance`, 1, 1000);
  if (obj.poolSize !== undefined) out.poolSize = c.integer(obj.poolSize, `${path}.poolSize`, 2);
  if (obj.testSize !== undefined) out.testSize = c.integer(obj.testSize, `${path}.testSize`, 1);
  if (obj.normalize !== undefined) out.normalize = c.oneOf(obj.normalize, `${path}.normalize`, NORMALIZE_NAMES, 'normalization');
  return c.issues.length === before ? out : undefined;
}

/** Every budget/batchSize/initialSize combination must give at least one query round. */
function checkLoopSizes(
  c: Checker,
  budgets: readonly number[],
  batchSizes: readonly number[],
  initialSizes: readonly (number | undefined)[],
): void {
  for (const budget of budgets) {
    for (const batchSize of batchSizes) {
      for (const explicit of initialSizes) {
        const initial = explicit ?? batchSize;
        const where = explicit === undefined ? `initialSize (defaults to batchSize ${batchSize})` : `initialSize ${initial}`;
        if (initial >= budget) {
          c.fail('matrix.budget', `budget ${budget} must exceed ${where}, or no label is ever queried`);
        }
      }
    }
  }
}

/**
 * An augmentation or SSL axis entry: a name, or `{ name, ...params }` resolved against the method's
 * parameter table (defaults filled in, so they are recorded in every cell). A name appears once
 * per axis, because the report groups by it.
 */
function methodEntry<N extends string>(
  c: Checker,
  value: unknown,
  path: string,
  names: readonly N[],
  table: MethodParamTable<N>,
  what: string,
  seen: Set<string>,
): MethodSetting<N> | undefined {
  const obj = typeof value === 'string' ? { name: value } : c.object(value, path);
  if (!obj) return undefined;
  const name = c.oneOf(obj.name, typeof value === 'string' ? path : `${path}.name`, names, what);
  if (!name) return undefined;
  if (seen.has(name)) return c.fail(path, `${what} "${name}" is listed twice; compare parameter settings in separate studies`);
  seen.add(name);
  const { name: _name, ...given } = obj;
  const { setting, issues } = resolveMethod(what, name, given, table);
  for (const issue of issues) c.fail(`${path}.${issue.param}`, issue.message);
  return setting;
}

const PROTOCOL_KEYS = ['name', ...(Object.keys(PROTOCOL_OPTIONS) as (keyof typeof PROTOCOL_OPTIONS)[])] as const;
const { weightDecay: WD, swaStart: SWA, validationFraction: VAL, patience: PATIENCE } = PROTOCOL_OPTIONS;

/**
 * A protocol axis entry: `retrain`, `warm-start`, or `{ name, weightDecay?, swaStart?,
 * validationFraction?, patience? }`. Plain `retrain` comes back as the string (no field in the cell).
 */
function protocolEntry(c: Checker, value: unknown, path: string): ProtocolConfig | 'retrain' | undefined {
  const obj = typeof value === 'string' ? { name: value } : c.object(value, path);
  if (!obj) return undefined;
  c.knownKeys(obj, path, PROTOCOL_KEYS);
  const name = c.oneOf(obj.name, typeof value === 'string' ? path : `${path}.name`, PROTOCOL_NAMES, 'protocol');
  if (!name) return undefined;
  const before = c.issues.length;
  const out: { -readonly [K in keyof ProtocolConfig]: ProtocolConfig[K] } = { name };
  if (obj.weightDecay !== undefined && obj.weightDecay !== 0) out.weightDecay = c.number(obj.weightDecay, `${path}.weightDecay`, WD.min, WD.max, WD.exclusiveMin);
  if (obj.swaStart !== undefined) out.swaStart = c.number(obj.swaStart, `${path}.swaStart`, SWA.min, SWA.max);
  if (obj.patience !== undefined && obj.validationFraction === undefined) {
    c.fail(`${path}.patience`, 'applies only with validationFraction (early stopping is off without a validation split)');
  }
  if (obj.validationFraction !== undefined) {
    out.validationFraction = c.number(obj.validationFraction, `${path}.validationFraction`, VAL.min, VAL.max, VAL.exclusiveMin);
    out.patience = obj.patience === undefined ? PATIENCE.default : c.integer(obj.patience, `${path}.patience`, PATIENCE.min, PATIENCE.max);
    if (out.swaStart !== undefined) c.fail(`${path}.swaStart`, 'cannot be combined with early stopping (validationFraction): SWA averages to the end of training');
  }
  if (c.issues.length > before) return undefined;
  return name === 'retrain' && Object.keys(out).length === 1 ? 'retrain' : out;
}

// Known feature-vector datasets; npy data may be either, and is checked once loaded.
const VECTOR_DATASETS: readonly string[] = ['synthetic', 'csv'];

/** Augmentation, FixMatch and mean-teacher perturb images; on feature vectors they are an error, not a silent no-op. */
function checkImageOnlyMethods(c: Checker, datasets: readonly DatasetConfig[], augs: readonly AugmentationSetting[], ssls: readonly SslSetting[]): void {
  for (const d of datasets.filter((x) => VECTOR_DATASETS.includes(x.name))) {
    for (const a of augs.filter((x) => x !== 'none')) {
      c.fail('matrix.augmentation', `augmentation "${methodName(a)}" needs image data [height, width, channels]; dataset ${d.name} holds feature vectors; allowed for it: none`);
    }
    for (const m of ssls.filter((x) => methodName(x) === 'fixmatch' || methodName(x) === 'mean-teacher')) {
      c.fail('matrix.ssl', `ssl method "${methodName(m)}" perturbs images; dataset ${d.name} holds feature vectors; allowed for it: none, pseudo-label`);
    }
  }
}

const REPRESENTATION_KEYS = ['name', ...Object.keys(SELFSUP_PARAMS)];

/**
 * A representation axis entry: `raw`, `selfsup`, or `{ name: selfsup, epochs?, temperature?,
 * embeddingDim?, batchSize?, learningRate? }` (defaults filled in). `raw` comes back as the string.
 */
function representationEntry(c: Checker, value: unknown, path: string): RepresentationConfig | 'raw' | undefined {
  const obj = typeof value === 'string' ? { name: value } : c.object(value, path);
  if (!obj) return undefined;
  const name = c.oneOf(obj.name, typeof value === 'string' ? path : `${path}.name`, REPRESENTATION_NAMES, 'representation');
  if (!name) return undefined;
  const { name: _name, ...given } = obj;
  if (name === 'raw') {
    if (Object.keys(given).length) c.fail(`${path}.${Object.keys(given)[0]}`, 'unknown parameter of representation raw; "raw" takes no parameters');
    return Object.keys(given).length ? undefined : 'raw';
  }
  c.knownKeys(obj, path, REPRESENTATION_KEYS);
  const before = c.issues.length;
  const out: Record<string, number> = {};
  for (const [key, spec] of Object.entries(SELFSUP_PARAMS)) {
    const v = given[key] ?? spec.default;
    const checked = spec.integer ? c.integer(v, `${path}.${key}`, spec.min, spec.max) : c.number(v, `${path}.${key}`, spec.min, spec.max);
    if (checked !== undefined) out[key] = checked;
  }
  return c.issues.length === before ? ({ name: 'selfsup', ...out } as unknown as RepresentationConfig) : undefined;
}

/**
 * Self-supervised features are vectors [d] computed from images: the encoder needs image data,
 * and nothing downstream may treat the features as images (no cnn, no image augmentation, no
 * image-perturbing SSL). Each is an error naming what is allowed, not a silent no-op.
 */
function checkSelfsupCombination(
  c: Checker,
  datasets: readonly DatasetConfig[],
  models: readonly ModelName[],
  augs: readonly AugmentationSetting[],
  ssls: readonly SslSetting[],
): void {
  for (const d of datasets.filter((x) => VECTOR_DATASETS.includes(x.name))) {
    c.fail('matrix.representation', `representation "selfsup" pretrains an image encoder with image augmentations; dataset ${d.name} holds feature vectors; allowed for it: raw`);
  }
  if (models.includes('cnn')) {
    c.fail('model', 'model "cnn" needs images, but representation "selfsup" gives feature vectors; with selfsup use linear or mlp (or run selfsup in a separate study)');
  }
  for (const a of augs.filter((x) => x !== 'none')) {
    c.fail('matrix.augmentation', `augmentation "${methodName(a)}" needs images, but representation "selfsup" gives feature vectors; allowed with selfsup: none`);
  }
  for (const m of ssls.filter((x) => methodName(x) === 'fixmatch' || methodName(x) === 'mean-teacher')) {
    c.fail('matrix.ssl', `ssl method "${methodName(m)}" perturbs images, but representation "selfsup" gives feature vectors; allowed with selfsup: none, pseudo-label`);
  }
}
