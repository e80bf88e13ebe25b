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
    const line = errorLine(err, text);
    throw new SpecError(source, [{ path: line === undefined ? '(syntax)' : `(syntax) line ${line}`, message: (err as Error).message.split('\n')[0] }]);
  }
}

/** The 1-based line of a parse error: yaml reports it; JSON.parse gives a character position. */
function errorLine(err: unknown, text: string): number | undefined {
  const linePos = (err as { linePos?: readonly { line: number }[] }).linePos;
  if (linePos?.[0]) return linePos[0].line;
  const position = /at position (\d+)/.exec((err as Error).message);
  if (position) return text.slice(0, Number(position[1])).split('\n').length;
  return undefined;
}
