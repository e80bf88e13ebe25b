// Looks up the numbers the discussion files quote (docs/discussion/<preset>.md), with the query
// language of src/report/discussion-numbers.ts. Needs the build (`npm run build`).
//
// Usage: node scripts/discussion-value.mjs <preset> "<query>" ["<query>" ...]
//        node scripts/discussion-value.mjs --check docs/discussion/<preset>.md [...]
//   <preset>   results are read from results/<preset>/ (or --results DIR/<preset>)
//   --check    checks every annotation of the file and lists naked numbers; exit 1 on any failure
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../dist/analysis/analyze.js';
import { checkDiscussion, evaluateQuery, QueryError } from '../dist/report/discussion-numbers.js';
import { DEFAULT_BASELINE } from '../dist/report/learning-curve-spec.js';
import { readCellResults, readStudyFindings } from '../dist/report/write-report.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { results: { type: 'string', default: 'results' }, check: { type: 'boolean', default: false } },
});

/** The same analysis scripts/findings-doc.mjs puts in docs/FINDINGS.md. */
async function load(preset) {
  const dir = join(values.results, preset);
  const { results } = await readCellResults(dir);
  const findings = await readStudyFindings(dir);
  return { results, analysis: analyze(results, DEFAULT_BASELINE, findings) };
}

const show = (v) => (typeof v === 'number' ? String(v) : typeof v === 'string' ? v : `[${v[0]}, ${v[1]}]`);

if (values.check) {
  if (!positionals.length) throw new Error('--check needs one or more docs/discussion/<preset>.md files');
  let bad = 0;
  for (const file of positionals) {
    const data = await load(basename(file, '.md'));
    const { checks, parseErrors, naked } = checkDiscussion(readFileSync(file, 'utf8'), data);
    for (const c of checks) {
      if (!c.ok) bad++;
      console.log(`${file}:${c.line}: ${c.ok ? 'ok  ' : 'FAIL'} ${c.printed} <- ${c.query}${c.ok ? ` (${c.computed})` : `: ${c.message}`}`);
    }
    for (const e of parseErrors) { bad++; console.log(`${file}:${e.line}: FAIL ${e.message}`); }
    for (const n of naked) { bad++; console.log(`${file}:${n.line}: NAKED ${n.what} '${n.text}' has no <!--= query --> after it`); }
  }
  process.exitCode = bad ? 1 : 0;
} else {
  const [preset, ...queries] = positionals;
  if (!preset || !queries.length) throw new Error('usage: node scripts/discussion-value.mjs <preset> "<query>" ... | --check docs/discussion/<preset>.md');
  const data = await load(preset);
  for (const q of queries) {
    try {
      console.log(`${q} = ${show(evaluateQuery(q, data))}`);
    } catch (err) {
      if (!(err instanceof QueryError)) throw err;
      console.log(`${q}: ${err.message}`);
      process.exitCode = 1;
    }
  }
}
