/** Result files on disk: `<resultsDir>/cells/<cellId>.json`, one per cell, written atomically. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from './atomic.js';
import { SCHEMA_VERSION, type CellResult } from './schema.js';

export function cellsDir(resultsDir: string): string {
  return join(resultsDir, 'cells');
}

export function cellPath(resultsDir: string, cellId: string): string {
  return join(cellsDir(resultsDir), `${cellId}.json`);
}

export function writeCellResult(resultsDir: string, result: CellResult): void {
  writeFileAtomic(cellPath(resultsDir, result.cell.id), `${JSON.stringify(result, null, 1)}\n`);
}

/** The stored result of one cell, or `undefined` when there is none or it is not a result we can read. */
export function readCellResult(resultsDir: string, cellId: string): CellResult | undefined {
  const path = cellPath(resultsDir, cellId);
  if (!existsSync(path)) return undefined;
  return parseCellResult(readFileSync(path, 'utf8'), path);
}

export function parseCellResult(text: string, path: string): CellResult {
  let parsed: CellResult;
  try {
    parsed = JSON.parse(text) as CellResult;
  } catch (err) {
    throw new Error(`result file ${path} is not valid JSON (${(err as Error).message}); delete it to re-run the cell`, {
      cause: err,
    });
  }
  if (parsed.schemaVersion !== SCHEMA_VERSION) {
    throw new Error(`result file ${path} has schemaVersion ${String(parsed.schemaVersion)}, this albench reads ${SCHEMA_VERSION}`);
  }
  return parsed;
}

/** Every cell result in a results directory, in file-name order. Temp files are skipped. */
export function readAllCellResults(resultsDir: string): CellResult[] {
  const dir = cellsDir(resultsDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
    .sort()
    .map((f) => parseCellResult(readFileSync(join(dir, f), 'utf8'), join(dir, f)));
}
