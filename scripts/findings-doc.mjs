// Generates docs/FINDINGS.md from the committed results of the study presets (issue 12), with the
// report's SVG figures beside it in docs/findings/<preset>/. Needs the build (`npm run build`);
// `npm run findings:doc` builds and runs it. The Markdown itself comes from the pure builder in
// src/report/findings-doc.ts; this script only reads results and writes files.
//
// Usage: node scripts/findings-doc.mjs [--results DIR] [--experiments DIR] [--out FILE] [--preset NAME ...]
//   --results DIR       where results/<preset>/cells/ live (default: results)
//   --experiments DIR   where <preset>.yaml and <preset>.full.yaml live (default: experiments)
//   --out FILE          the doc (default: docs/FINDINGS.md); figures go to <its folder>/findings/<preset>/,
//                       and a hand-written <its folder>/discussion/<preset>.md is included when present
//   --preset NAME       a preset to include (repeatable; default: the four critique-paper presets)
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { buildReport } from '../dist/report/build-report.js';
import { describeScale, findingsDocMarkdown } from '../dist/report/findings-doc.js';
import { renderSvg } from '../dist/report/svg.js';
import { readCellResults, readStudyFindings } from '../dist/report/write-report.js';
import { loadStudy } from '../dist/spec/load.js';
import { writeFileAtomic } from '../dist/store/atomic.js';

const DEFAULT_PRESETS = ['parting-with-illusions', 'robust-reproducible', 'budget-regimes', 'effective-evaluation'];

const { values } = parseArgs({
  options: {
    results: { type: 'string', default: 'results' },
    experiments: { type: 'string', default: 'experiments' },
    out: { type: 'string', default: join('docs', 'FINDINGS.md') },
    preset: { type: 'string', multiple: true },
  },
});
const presets = values.preset?.length ? values.preset : DEFAULT_PRESETS;
const docDir = dirname(values.out);

/** The header comment's opening paragraph (before "# 1.") names the paper. */
function paperLine(specPath) {
  const lines = readFileSync(specPath, 'utf8').split('\n');
  const head = [];
  for (const l of lines) {
    // The editor's schema directive is not part of the header text.
    if (/^#\s*yaml-language-server:/.test(l)) continue;
    if (!l.startsWith('#') || /^#\s*\d\./.test(l)) break;
    head.push(l.replace(/^#\s*/, ''));
  }
  if (!head.length) throw new Error(`${specPath} has no header comment; it should open by naming the paper`);
  return head.join(' ');
}

const slash = (p) => p.split('\\').join('/');
// The vega libraries are only needed for the HTML page, which this script does not write.
const NO_BUNDLES = { vega: '', vegaLite: '', vegaEmbed: '' };

const entries = [];
for (const name of presets) {
  const specFile = join(values.experiments, `${name}.yaml`);
  if (!existsSync(specFile)) throw new Error(`preset ${name}: ${specFile} not found (presets: ${DEFAULT_PRESETS.join(', ')})`);
  const fullFile = join(values.experiments, `${name}.full.yaml`);
  const entry = {
    name,
    specPath: slash(specFile),
    ...(existsSync(fullFile) ? { fullSpecPath: slash(fullFile) } : {}),
    paper: paperLine(specFile),
  };
  const discussionFile = join(docDir, 'discussion', `${name}.md`);
  if (existsSync(discussionFile)) entry.discussion = { path: slash(discussionFile), markdown: readFileSync(discussionFile, 'utf8') };
  const resultsDir = join(values.results, name);
  const figDir = join(docDir, 'findings', name);
  if (!existsSync(join(resultsDir, 'cells'))) {
    rmSync(figDir, { recursive: true, force: true });
    entries.push(entry);
    console.log(`${name}: not run yet (no ${join(resultsDir, 'cells')})`);
    continue;
  }
  const { results, skipped } = await readCellResults(resultsDir);
  for (const s of skipped) console.warn(`${name}: skipped ${s.path}: ${s.reason}`);
  const findings = await readStudyFindings(resultsDir);
  const report = buildReport(results, { studyName: name, generatedAt: '', bundles: NO_BUNDLES, skipped, ...(findings ? { findings } : {}) });
  // Figures of an earlier run would be taken for this one's.
  rmSync(figDir, { recursive: true, force: true });
  mkdirSync(figDir, { recursive: true });
  const figures = [];
  for (const chart of report.charts) {
    const file = join(figDir, `${chart.id}.svg`);
    writeFileAtomic(file, await renderSvg(chart.spec));
    figures.push({ title: chart.title || chart.id.replace(/-/g, ' '), path: slash(relative(docDir, file)) });
  }
  const completed = results.filter((r) => r.status === 'completed');
  const sorted = (xs) => [...new Set(xs)].sort();
  entries.push({
    ...entry,
    run: {
      planned: (await loadStudy(specFile)).cells.length,
      cells: results.length,
      completed: completed.length,
      failed: results.length - completed.length,
      seedRange: report.analysis.seedRange,
      albenchVersions: sorted(results.map((r) => r.env.albench)),
      backends: sorted(results.map((r) => r.env.backend)),
      scale: describeScale(completed.map((r) => r.cell)),
      findings: report.analysis.findings,
      figures,
    },
  });
  console.log(`${name}: ${results.length} cells, ${figures.length} figures in ${figDir}`);
}

mkdirSync(docDir, { recursive: true });
writeFileAtomic(values.out, findingsDocMarkdown({ presets: entries, regenerate: 'npm run findings:doc' }));
console.log(`wrote ${values.out}`);
