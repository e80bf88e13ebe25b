/**
 * Numeric parameters of the methods on the augmentation and SSL axes: one table per method, so
 * validation, defaults and `albench list axes` read the same source. (Strategies keep their own,
 * older table in the strategy registry.)
 */
import type { MethodSetting } from './types.js';

/** One numeric parameter: its default, its allowed range and what it means. */
export interface MethodParamSpec {
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly integer: boolean;
  readonly description: string;
}

export type MethodParamTable<N extends string> = Readonly<Record<Exclude<N, 'none'>, Readonly<Record<string, MethodParamSpec>>>>;

export interface ParamIssue {
  /** The parameter's name ('' for the entry as a whole). */
  readonly param: string;
  readonly message: string;
}

/**
 * An axis entry, `name` or `{ name, ...params }`, resolved against `table` with defaults filled in.
 * `'none'` takes no parameters and stays a bare string.
 */
export function resolveMethod<N extends string>(
  what: string,
  name: N,
  given: Readonly<Record<string, unknown>>,
  table: MethodParamTable<N>,
): { setting?: MethodSetting<N>; issues: ParamIssue[] } {
  const issues: ParamIssue[] = [];
  if (name === 'none') {
    const extra = Object.keys(given);
    if (extra.length) issues.push({ param: extra[0], message: `unknown parameter of ${what} none; "none" takes no parameters` });
    return issues.length ? { issues } : { setting: 'none', issues };
  }
  const specs = table[name as Exclude<N, 'none'>];
  const allowed = Object.keys(specs);
  for (const key of Object.keys(given)) {
    if (!(key in specs)) issues.push({ param: key, message: `unknown parameter of ${what} ${name}; allowed: ${allowed.length ? allowed.join(', ') : '(none)'}` });
  }
  const params: Record<string, number> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const v = given[key] ?? spec.default;
    if (typeof v !== 'number' || !Number.isFinite(v) || (spec.integer && !Number.isInteger(v)) || v < spec.min || v > spec.max) {
      issues.push({ param: key, message: `must be ${spec.integer ? 'an integer' : 'a number'} in [${spec.min}, ${spec.max}] (${spec.description}), got ${JSON.stringify(v)}` });
    } else {
      params[key] = v;
    }
  }
  if (issues.length) return { issues };
  return { setting: { name: name as Exclude<N, 'none'>, ...params } as MethodSetting<N>, issues };
}

/** The method's name, whether the setting is the bare `'none'` or a `{ name, … }` object. */
export function methodName<N extends string>(setting: MethodSetting<N>): N | 'none' {
  return typeof setting === 'string' ? 'none' : setting.name;
}

/** A parameter of a resolved setting (always present: defaults are filled in at validation). */
export function methodParam<N extends string>(setting: MethodSetting<N>, param: string): number {
  const v = typeof setting === 'string' ? undefined : setting[param];
  if (typeof v !== 'number') throw new Error(`setting ${JSON.stringify(setting)} has no numeric parameter "${param}"`);
  return v;
}
