import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { SpecError } from './errors.js';

/** Reads a YAML or JSON spec file into a plain document (JSON is valid YAML, but gets JSON's errors). */
export async function readSpecDocument(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new SpecError(file, [{ path: '(file)', message: `cannot read spec file: ${(err as Error).message}` }]);
  }
  return parseSpecText(text, file);
}

export function parseSpecText(text: string, source: string): unknown {
  try {
    return source.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (err) {
    throw new SpecError(source, [{ path: '(syntax)', message: (err as Error).message.split('\n')[0] }]);
  }
}
