/** Every finding, in report order. Adding a finding: one file beside this one and one line here. */
import { F1 } from './f1.js';
import { F2 } from './f2.js';
import { F3 } from './f3.js';
import { F4 } from './f4.js';
import { F5 } from './f5.js';
import { F6 } from './f6.js';
import { F7 } from './f7.js';
import { F8 } from './f8.js';
import { F9 } from './f9.js';
import { F10 } from './f10.js';
import { F11 } from './f11.js';
import { F12 } from './f12.js';
import type { Finding, FindingDefinition, FindingsInput, ResolvedDefinition } from './types.js';

export const FINDINGS: readonly FindingDefinition[] = [F1, F2, F3, F4, F5, F6, F7, F8, F9, F10, F11, F12];

/** A definition with the study's `findings` overrides applied (only minEffect today). */
export function resolveDefinition(def: FindingDefinition, input: FindingsInput): ResolvedDefinition {
  const { compute: _compute, ...rest } = def;
  const minEffect = input.options?.[def.id]?.minEffect;
  return minEffect === undefined ? rest : { ...rest, minEffect };
}

/** F1–F12 in order. */
export function computeFindings(input: FindingsInput): Finding[] {
  return FINDINGS.map((def) => def.compute(input, resolveDefinition(def, input)));
}
