/**
 * User data as CSV: one example per row, numeric feature columns and one label column (numbers or
 * names), comma-separated, RFC 4180 quoting. An optional second file with the same columns is the
 * fixed test set; without it the data is split (stratified) by testFraction. Errors name the file,
 * the row (1-based line number) and the column.
 */
import type { DatasetConfig } from '../spec/types.js';
import { createRng } from '../rng.js';
import { recipeChecksum, sha256Hex } from './checksum.js';
import { DatasetError, type Dataset, type Split } from './dataset.js';
import { splitRows } from './split.js';
import { checkUserDataSha256, readUserFile, userDataFiles } from './user-files.js';

export const CSV_DEFAULTS = { testFraction: 0.25, splitSeed: 0 } as const;

/** A parsed row and the line it started on (1-based), for messages. */
export interface CsvRow {
  readonly line: number;
  readonly fields: string[];
}

/** RFC 4180 parsing: quoted fields may hold commas, newlines and doubled quotes. Blank lines are skipped. */
export function parseCsv(text: string, path: string): CsvRow[] {
  const rows: CsvRow[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  let fieldStarted = false;
  const endRow = () => {
    if (fieldStarted || fields.length > 0 || field !== '') {
      fields.push(field);
      if (!(fields.length === 1 && fields[0].trim() === '')) rows.push({ line: rowLine, fields });
    }
    fields = [];
    field = '';
    fieldStarted = false;
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else {
        if (ch === '\n') line++;
        field += ch;
      }
      continue;
    }
    if (ch === '"' && field.trim() === '') {
      quoted = true;
      field = '';
      fieldStarted = true;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      fieldStarted = true;
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      endRow();
      line++;
      rowLine = line;
    } else {
      if (!fieldStarted && fields.length === 0 && field === '') rowLine = line;
      field += ch;
      fieldStarted = true;
    }
  }
  if (quoted) throw new DatasetError(`${path}: row ${rowLine}: a quoted field is never closed`);
  endRow();
  return rows;
}

function isNumber(s: string): boolean {
  const t = s.trim();
  return t !== '' && Number.isFinite(Number(t));
}

interface Table {
  readonly path: string;
  readonly columns: string[] | undefined;
  readonly rows: CsvRow[];
}

function readTable(path: string, bytes: Uint8Array, header: boolean | undefined): Table {
  const rows = parseCsv(Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, ''), path);
  if (rows.length === 0) throw new DatasetError(`${path}: the CSV file has no rows`);
  // A header is a first row whose non-numeric fields sit above numbers (a column of label names
  // is non-numeric in every row, so it alone does not make a header).
  const first = rows[0].fields;
  const nonNumeric = first.map((f) => !isNumber(f));
  const hasHeader =
    header ??
    (nonNumeric.every(Boolean) ||
      (nonNumeric.some(Boolean) && (rows.length === 1 || nonNumeric.some((nn, c) => nn && isNumber(rows[1].fields[c] ?? '')))));
  return { path, columns: hasHeader ? first.map((c) => c.trim()) : undefined, rows: hasHeader ? rows.slice(1) : rows };
}

function labelColumn(table: Table, label: string | number | undefined): number {
  const width = table.columns?.length ?? table.rows[0]?.fields.length ?? 0;
  if (typeof label === 'number') {
    if (!Number.isInteger(label) || label < 0 || label >= width) {
      throw new DatasetError(`${table.path}: label column index ${label} is out of range; the file has ${width} columns (0..${width - 1})`);
    }
    return label;
  }
  if (typeof label === 'string') {
    if (!table.columns) throw new DatasetError(`${table.path}: label column "${label}" given by name, but the file has no header row`);
    const index = table.columns.indexOf(label);
    if (index < 0) throw new DatasetError(`${table.path}: no column named "${label}"; columns: ${table.columns.join(', ')}`);
    return index;
  }
  const named = table.columns?.indexOf('label') ?? -1;
  return named >= 0 ? named : width - 1;
}

function columnName(table: Table, c: number): string {
  return table.columns ? `column ${c + 1} ("${table.columns[c]}")` : `column ${c + 1}`;
}

/** Features as floats, labels as raw strings; every row checked for width and numbers. */
function decode(table: Table, labelCol: number, width: number): { x: Float32Array; labels: string[] } {
  if (table.rows.length === 0) throw new DatasetError(`${table.path}: the CSV file has a header but no data rows`);
  const d = width - 1;
  const x = new Float32Array(table.rows.length * d);
  const labels: string[] = [];
  table.rows.forEach((row, r) => {
    if (row.fields.length !== width) {
      throw new DatasetError(`${table.path}: row ${row.line} has ${row.fields.length} fields, expected ${width}${table.columns ? ' (as in the header)' : ' (as in the first row)'}`);
    }
    let j = 0;
    for (let c = 0; c < width; c++) {
      const raw = row.fields[c];
      if (c === labelCol) {
        if (raw.trim() === '') throw new DatasetError(`${table.path}: row ${row.line}, ${columnName(table, c)}: the label is empty`);
        labels.push(raw.trim());
        continue;
      }
      if (!isNumber(raw)) {
        throw new DatasetError(`${table.path}: row ${row.line}, ${columnName(table, c)}: ${JSON.stringify(raw)} is not a finite number`);
      }
      x[r * d + j++] = Number(raw.trim());
    }
  });
  return { x, labels };
}

/**
 * Class ids: labels sorted numerically when all are numbers, else lexicographically, then 0..K−1.
 * The test file may only use labels seen in training.
 */
function classIds(trainLabels: readonly string[]): string[] {
  const distinct = [...new Set(trainLabels)];
  return distinct.every(isNumber) ? distinct.sort((a, b) => Number(a) - Number(b)) : distinct.sort();
}

function toY(labels: readonly string[], classes: readonly string[], table: Table, labelCol: number): Int32Array {
  const id = new Map(classes.map((c, i) => [c, i]));
  return Int32Array.from(labels, (l, r) => {
    const k = id.get(l);
    if (k === undefined) {
      throw new DatasetError(`${table.path}: row ${table.rows[r].line}, ${columnName(table, labelCol)}: label ${JSON.stringify(l)} does not occur in the training file; known: ${classes.join(', ')}`);
    }
    return k;
  });
}

export function loadCsv(config: DatasetConfig): Dataset {
  const files = userDataFiles(config);
  const bytes = files.map(readUserFile);
  const sha = checkUserDataSha256(config, files, bytes.map((b) => sha256Hex(b)));
  const train = readTable(files[0], bytes[0], typeof config.label === 'string' ? true : undefined);
  const labelCol = labelColumn(train, config.label);
  const width = train.columns?.length ?? train.rows[0].fields.length;
  if (width < 2) throw new DatasetError(`${files[0]}: needs at least one feature column and a label column, found ${width} column(s)`);
  const decoded = decode(train, labelCol, width);
  const classes = classIds(decoded.labels);
  if (classes.length < 2) throw new DatasetError(`${files[0]}: ${columnName(train, labelCol)} holds a single class (${classes[0]}); classification needs at least 2`);
  const y = toY(decoded.labels, classes, train, labelCol);
  const d = width - 1;

  let trainSplit: Split;
  let testSplit: Split;
  let recipe: Record<string, unknown>;
  if (files.length === 2) {
    const test = readTable(files[1], bytes[1], train.columns !== undefined);
    if (train.columns && test.columns && test.columns.join(',') !== train.columns.join(',')) {
      throw new DatasetError(`${files[1]}: header ${test.columns.join(',')} differs from the training file's ${train.columns.join(',')}`);
    }
    const t = decode(test, labelCol, width);
    trainSplit = { x: decoded.x, y, n: y.length };
    testSplit = { x: t.x, y: toY(t.labels, classes, test, labelCol), n: t.labels.length };
    recipe = { split: 'fixed-test-file' };
  } else {
    const testFraction = config.testFraction ?? CSV_DEFAULTS.testFraction;
    const splitSeed = config.splitSeed ?? CSV_DEFAULTS.splitSeed;
    ({ train: trainSplit, test: testSplit } = splitRows(decoded.x, y, d, testFraction, createRng(splitSeed).fork('dataset-split', 'csv')));
    recipe = { split: 'stratified', testFraction, splitSeed };
  }
  const identity = classes.every((c, i) => c === String(i));
  return {
    name: 'csv',
    shape: [d],
    numClasses: classes.length,
    train: trainSplit,
    test: testSplit,
    checksum: recipeChecksum(sha, { ...recipe, labelColumn: labelCol, classes }),
    source:
      `CSV ${files.join(' + ')} (sha256 ${sha}); ${d} features, label ${columnName(train, labelCol)}, ` +
      `${classes.length} classes${identity ? '' : ` (ids 0..${classes.length - 1} = ${classes.join(', ')})`}; ` +
      `${files.length === 2 ? 'fixed test file' : `stratified split testFraction=${recipe.testFraction} splitSeed=${recipe.splitSeed}`} → ${trainSplit.n} train / ${testSplit.n} test`,
    flipPreservesLabel: false,
  };
}
