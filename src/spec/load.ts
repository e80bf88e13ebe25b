import { expandStudy } from './expand.js';
import { readSpecDocument } from './parse.js';
import type { Study } from './types.js';
import { validateSpec } from './validate.js';

/** Reads, validates and expands a spec file. Throws `SpecError` on any problem. */
export async function loadStudy(file: string): Promise<Study> {
  return expandStudy(validateSpec(await readSpecDocument(file), file));
}
