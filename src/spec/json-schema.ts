/**
 * The JSON Schema (draft-07) of a study spec, for editors (`# yaml-language-server: $schema=…` at
 * the top of a spec) and other tools. It is built from the lists the validator reads (the axis
 * names in types.ts, the strategy registry with its parameter table, the augmentation, SSL, protocol
 * and self-supervised parameter tables, the validator's key lists), so a new strategy, method,
 * parameter or name appears here without an edit.
 *
 * A new spec field: add its key to the validator's key list (TOP_LEVEL_KEYS, MATRIX_KEYS,
 * TRAINING_KEYS, DATASET_KEYS, COMMAND_KEYS, PLUGIN_KEYS); the `Record<key, …>` tables below then
 * fail to compile until the field has its schema. test/spec/json-schema.test.ts checks the other
 * direction: every field the validator accepts at each place is in the schema, and the committed
 * schema/spec.schema.json is this function's output (`npm run schema:update` rewrites it).
 *
 * The schema is the structural part of validation (names, types, ranges, unknown and duplicate
 * values). Rules across fields or against the data (budget above the initial set, files that
 * exist, a budget the dataset can supply) stay with the validator, which runs anyway.
 */
import { FINDING_IDS } from '../analysis/findings/types.js';
import { AUGMENTATION_PARAMS } from '../data/augment/params.js';
import { SSL_PARAMS } from '../models/ssl/params.js';
import { SELFSUP_PARAMS } from '../selfsup/params.js';
import { PIPE_NEEDS } from '../strategies/process-strategy.js';
import { COMMON_STRATEGY_PARAMS, STRATEGIES, STRATEGY_NAMES, type ParamSpec } from '../strategies/registry.js';
import type { MethodParamTable } from './method-params.js';
import { PROTOCOL_OPTIONS } from './protocol-options.js';
import {
  AUGMENTATION_NAMES,
  DATASET_NAMES,
  MODEL_NAMES,
  NORMALIZE_NAMES,
  PROTOCOL_NAMES,
  REPRESENTATION_NAMES,
  SSL_NAMES,
} from './types.js';
import {
  COMMAND_KEYS,
  DATASET_KEYS,
  DEFAULT_TRAINING,
  FINDING_OPTION_KEYS,
  MATRIX_KEYS,
  NAME_PATTERN,
  PLUGIN_KEYS,
  SYNTHETIC_ONLY_KEYS,
  TOP_LEVEL_KEYS,
  TRAINING_KEYS,
  USER_DATA_NAMES,
} from './validate.js';

export type JsonSchema = { readonly [key: string]: unknown };

/** Where the schema file sits in the package; experiments/ reference it relatively. */
export const SCHEMA_FILE = 'schema/spec.schema.json';
export const SCHEMA_ID = 'https://albench.invalid/schema/spec.schema.json';

const MAX_SEED = 2 ** 31 - 1;
const int = (minimum: number, maximum?: number, description?: string): JsonSchema => ({
  type: 'integer',
  minimum,
  ...(maximum !== undefined ? { maximum } : {}),
  ...(description ? { description } : {}),
});
const num = (min: number, max: number, exclusiveMin: boolean, description?: string): JsonSchema => ({
  type: 'number',
  ...(exclusiveMin ? { exclusiveMinimum: min } : { minimum: min }),
  maximum: max,
  ...(description ? { description } : {}),
});
const names = (values: readonly string[], description?: string): JsonSchema => ({ type: 'string', enum: [...values], ...(description ? { description } : {}) });
const object = (properties: Readonly<Record<string, JsonSchema>>, required: readonly string[] = [], description?: string): JsonSchema => ({
  type: 'object',
  properties,
  ...(required.length ? { required: [...required] } : {}),
  additionalProperties: false,
  ...(description ? { description } : {}),
});

/** An axis: one value or a non-empty list of distinct values (validate.ts `axis`). */
function axis(item: JsonSchema, description: string): JsonSchema {
  return { description, anyOf: [item, { type: 'array', items: item, minItems: 1, uniqueItems: true }] };
}

function param(spec: ParamSpec): JsonSchema {
  return { type: spec.integer ? 'integer' : 'number', minimum: spec.min, maximum: spec.max, default: spec.default, description: spec.description };
}

/** `name` or `{ name, ...params }` for each method of a parameter table; `'none'` only bare. */
function methodAxis<N extends string>(allNames: readonly N[], table: MethodParamTable<N>, what: string): JsonSchema {
  const withParams = allNames
    .filter((n) => n !== 'none')
    .map((n) => {
      const params = table[n as Exclude<N, 'none'>];
      return object({ name: { const: n }, ...Object.fromEntries(Object.entries(params).map(([k, s]) => [k, param(s)])) }, ['name']);
    });
  return axis({ anyOf: [names(allNames), ...withParams] }, `${what}: a name or { name, ...parameters }; one entry per name`);
}

function strategyItem(): JsonSchema {
  const common = Object.fromEntries(Object.entries(COMMON_STRATEGY_PARAMS).map(([k, s]) => [k, param(s)]));
  const withParams = STRATEGY_NAMES.map((n) =>
    object({ name: { const: n }, ...Object.fromEntries(Object.entries(STRATEGIES[n].params).map(([k, s]) => [k, param(s)])), ...common }, ['name'], STRATEGIES[n].citation),
  );
  const plugin: Record<(typeof PLUGIN_KEYS)[number], JsonSchema> = {
    module: { type: 'string', minLength: 1, pattern: '\\.(js|mjs|cjs)$', description: 'ES module exporting a Strategy, relative to the spec file' },
    export: { type: 'string', pattern: '^[A-Za-z_$][A-Za-z0-9_$]*$', description: 'the export holding the Strategy (or "default")' },
    name: { type: 'string', pattern: NAME_PATTERN.source, description: 'results are grouped under this name [default: the export]' },
  };
  const command: Record<(typeof COMMAND_KEYS)[number], JsonSchema> = {
    name: { type: 'string', pattern: NAME_PATTERN.source, description: 'results are grouped under this name' },
    command: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, description: 'program and arguments, e.g. [python3, strategies/my_margin.py]; paths relative to the spec file' },
    needs: { type: 'array', items: names(PIPE_NEEDS), uniqueItems: true, description: 'what the loop computes and sends each round' },
    timeout: { type: 'number', exclusiveMinimum: 0, maximum: 86_400, description: 'seconds one selection may take' },
  };
  return {
    anyOf: [
      names(STRATEGY_NAMES),
      ...withParams,
      object(plugin, ['module', 'export'], 'a strategy from your ES module'),
      object(command, ['name', 'command'], 'a strategy run as another process (python/albench_strategy.py)'),
    ],
  };
}

function datasetItem(): JsonSchema {
  const properties: Record<(typeof DATASET_KEYS)[number], JsonSchema> = {
    name: names(DATASET_NAMES),
    testFraction: num(0, 0.9, true, 'fraction held out as the test set (datasets without an official test split)'),
    splitSeed: int(0, MAX_SEED, 'seed of the train/test split and the variants'),
    classes: int(2, 1000, 'synthetic only'),
    dims: int(1, 10_000, 'synthetic only'),
    samples: int(10, 10_000_000, 'synthetic only'),
    imbalance: { type: 'number', minimum: 1, maximum: 1000, description: 'long-tailed pool: largest/smallest class ratio' },
    poolSize: int(2, undefined, 'a seeded stratified subset of the training pool'),
    testSize: int(1, undefined, 'a seeded stratified subset of the test set'),
    normalize: names(NORMALIZE_NAMES),
    path: { type: 'string', minLength: 1, description: 'csv: the CSV file; npy: the folder with x.npy, y.npy (relative to the spec file)' },
    test: { type: 'string', minLength: 1, description: 'csv: a CSV file with the fixed test set' },
    label: { anyOf: [{ type: 'string', minLength: 1 }, int(0, 1_000_000)], description: 'csv: label column, by name or 0-based index' },
    sha256: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'pins the csv/npy files' },
  };
  const bare = DATASET_NAMES.filter((n) => !USER_DATA_NAMES.includes(n));
  return {
    anyOf: [
      names(bare, 'a dataset by name (csv and npy need a path: write them as a mapping)'),
      {
        ...object(properties, ['name']),
        allOf: [
          { if: { properties: { name: { not: { const: 'synthetic' } } } }, then: { properties: Object.fromEntries(SYNTHETIC_ONLY_KEYS.map((k) => [k, false])) } },
          { if: { properties: { name: { enum: USER_DATA_NAMES } } }, then: { required: ['path'] }, else: { properties: { path: false, sha256: false } } },
          { if: { properties: { name: { not: { const: 'csv' } } } }, then: { properties: { test: false, label: false } } },
        ],
      },
    ],
  };
}

function protocolItem(): JsonSchema {
  const options = Object.fromEntries(
    Object.entries(PROTOCOL_OPTIONS).map(([k, s]) => {
      const range = s.integer ? int(s.min, s.max, s.description) : num(s.min, s.max, s.exclusiveMin, s.description);
      // An option whose range excludes 0 because 0 means "off" may still be written as 0 (validate.ts).
      return [k, k === 'weightDecay' ? { anyOf: [{ const: 0 }, range], description: s.description } : range];
    }),
  );
  return {
    anyOf: [names(PROTOCOL_NAMES), { ...object({ name: names(PROTOCOL_NAMES), ...options }, ['name']), dependencies: { patience: ['validationFraction'] } }],
  };
}

function representationItem(): JsonSchema {
  const params = Object.fromEntries(Object.entries(SELFSUP_PARAMS).map(([k, s]) => [k, param(s)]));
  return { anyOf: [names(REPRESENTATION_NAMES), object({ name: { const: 'raw' } }, ['name']), object({ name: { const: 'selfsup' }, ...params }, ['name'])] };
}

/** The schema of a study spec. Deterministic: the same albench gives the same bytes. */
export function specJsonSchema(): JsonSchema {
  const matrix: Record<(typeof MATRIX_KEYS)[number], JsonSchema> = {
    strategy: axis(strategyItem(), 'query strategies: a name, { name, ...parameters }, { module, export } or { name, command, needs }'),
    budget: axis(int(2), 'labelled-set size at which the loop ends'),
    batchSize: axis(int(1), 'labels acquired per round'),
    initialSize: axis(int(1), 'labelled-set size before the first query [default: batchSize]'),
    augmentation: methodAxis(AUGMENTATION_NAMES, AUGMENTATION_PARAMS, 'training-input augmentation'),
    ssl: methodAxis(SSL_NAMES, SSL_PARAMS, 'semi-supervised training on the pool'),
    protocol: axis(protocolItem(), 'per-round training protocol: a name or { name, ...options }'),
    representation: axis(representationItem(), 'inputs the models and strategies see'),
    seed: axis(int(0, MAX_SEED), 'seeds; each pairs every strategy on the same initial set and weights'),
  };
  const training: Record<(typeof TRAINING_KEYS)[number], JsonSchema> = {
    epochs: { ...int(1, 10_000), default: DEFAULT_TRAINING.epochs },
    batchSize: { ...int(1, 65_536), default: DEFAULT_TRAINING.batchSize },
    learningRate: { ...num(0, 10, true), default: DEFAULT_TRAINING.learningRate },
  };
  const findingOption: Record<(typeof FINDING_OPTION_KEYS)[number], JsonSchema> = {
    minEffect: num(0, 1, true, 'smallest effect of interest on the finding\'s own scale'),
  };
  const root: Record<(typeof TOP_LEVEL_KEYS)[number], JsonSchema> = {
    name: { type: 'string', pattern: NAME_PATTERN.source, description: 'study name; names the results folder' },
    description: { type: 'string', description: 'shown at the top of the report' },
    dataset: axis(datasetItem(), 'datasets: a name or { name, ...options }'),
    model: axis(names(MODEL_NAMES), 'models'),
    matrix: object(matrix, ['strategy', 'budget', 'batchSize', 'seed'], 'the axes crossed into cells'),
    training: object(training, [], 'task-model training of every round'),
    findings: object(
      Object.fromEntries(FINDING_IDS.map((id) => [id, object(findingOption, [], `${id}: overrides of the verdict procedure`)])),
      [],
      'per-finding overrides of the analysis (never part of a cell id)',
    ),
  };
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'albench study spec',
    description: 'A study: dataset × model × strategy × budget × batch size × augmentation × SSL × protocol × representation × seed. Generated by `albench schema`.',
    ...object(root, ['name', 'dataset', 'model', 'matrix']),
  };
}

/** The schema file's text (what `albench schema` prints and schema/spec.schema.json holds). */
export function specJsonSchemaText(): string {
  return `${JSON.stringify(specJsonSchema(), null, 2)}\n`;
}
