/**
 * The `model` of a spec: a zoo name, or `{ name, ...params }` (`{ name: cnn, dropout: 0.5 }`,
 * `{ name: resnet18, width: 16 }`). No tfjs here: the spec validator and the report read this table.
 *
 * A parameter at its default is dropped and a model with no parameter left is the bare name, so
 * `cnn`, `{ name: cnn }` and `{ name: cnn, dropout: 0 }` are one model with one cell id, the id
 * cells had before models took parameters. The defaults are therefore part of each name's
 * meaning: changing one would need a new model name, never a new default.
 */
import type { MethodParamSpec } from '../spec/method-params.js';
import type { ModelName, ModelSetting } from '../spec/types.js';

export type { ModelSetting };

const DROPOUT: MethodParamSpec = {
  default: 0,
  min: 0,
  max: 0.9,
  integer: false,
  description: 'dropout rate p, trained with and sampled by the MC-dropout strategies (0 = no dropout layers)',
};

export const MODEL_PARAMS: Readonly<Record<ModelName, Readonly<Record<string, MethodParamSpec>>>> = {
  mlp: { dropout: DROPOUT },
  cnn: { dropout: DROPOUT },
  linear: {},
  resnet18: {
    width: { default: 64, min: 1, max: 512, integer: true, description: 'channels of the first stage (stages have width, 2×, 4×, 8×; 64 is ResNet-18)' },
    depth: { default: 2, min: 1, max: 8, integer: true, description: 'BasicBlocks per stage (2 is ResNet-18, 1 gives a ResNet-10)' },
    dropout: DROPOUT,
  },
};

export function modelName(setting: ModelSetting): ModelName {
  return typeof setting === 'string' ? setting : setting.name;
}

/** A parameter of the model, its default when the setting leaves it out. */
export function modelParam(setting: ModelSetting, param: string): number {
  const spec = MODEL_PARAMS[modelName(setting)][param];
  if (!spec) throw new Error(`model ${modelName(setting)} has no parameter "${param}"; allowed: ${Object.keys(MODEL_PARAMS[modelName(setting)]).join(', ') || '(none)'}`);
  const v = typeof setting === 'string' ? undefined : (setting as unknown as Record<string, number | undefined>)[param];
  return v ?? spec.default;
}

/** The model's dropout rate (0 when it has none). */
export function modelDropout(setting: ModelSetting): number {
  return 'dropout' in MODEL_PARAMS[modelName(setting)] ? modelParam(setting, 'dropout') : 0;
}

/** `cnn`, `cnn dropout=0.5`, `resnet18 width=16 depth=1`: for labels, logs and plans. */
export function modelLabel(setting: ModelSetting): string {
  if (typeof setting === 'string') return setting;
  const { name, ...params } = setting as unknown as Record<string, string | number>;
  return [name, ...Object.keys(params).sort().map((k) => `${k}=${params[k]}`)].join(' ');
}

export interface ModelParamIssue {
  /** The parameter's name. */
  readonly param: string;
  readonly message: string;
}

/** `{ name, ...given }` checked against the table, defaults dropped (see the header). */
export function resolveModel(name: ModelName, given: Readonly<Record<string, unknown>>): { setting?: ModelSetting; issues: ModelParamIssue[] } {
  const specs = MODEL_PARAMS[name];
  const allowed = Object.keys(specs);
  const issues: ModelParamIssue[] = [];
  const params: Record<string, number> = {};
  for (const [key, v] of Object.entries(given)) {
    const spec = specs[key];
    if (!spec) {
      issues.push({ param: key, message: `unknown parameter of model ${name}; allowed: ${allowed.length ? allowed.join(', ') : '(none)'}` });
    } else if (typeof v !== 'number' || !Number.isFinite(v) || (spec.integer && !Number.isInteger(v)) || v < spec.min || v > spec.max) {
      issues.push({ param: key, message: `must be ${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}] (${spec.description}), got ${JSON.stringify(v)}` });
    } else if (v !== spec.default) {
      params[key] = v;
    }
  }
  if (issues.length) return { issues };
  return { setting: Object.keys(params).length ? ({ name, ...params } as ModelSetting) : name, issues };
}
