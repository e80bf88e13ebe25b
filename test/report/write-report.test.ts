import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CellResult } from '../../src/store/schema.js';
import { isResultFileName, writeReport } from '../../src/report/write-report.js';
import { fakeStudy } from '../analysis/fixtures.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'albench-report-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

let counter = 0;
/** A results directory named `name` holding the given cells, plus optional extra files. */
async function resultsDir(results: readonly CellResult[], extra: Record<string, string> = {}, name = 'study'): Promise<string> {
  const dir = join(root, `${counter++}`, name);
  await mkdir(join(dir, 'cells'), { recursive: true });
  for (const r of results) await writeFile(join(dir, 'cells', `${r.cell.id}.json`), JSON.stringify(r));
  for (const [file, content] of Object.entries(extra)) await writeFile(join(dir, file), content);
  return dir;
}

const NOW = new Date('2025-02-03T04:05:06.000Z');

describe('writeReport', () => {
  it('writes index.html, curves.csv and learning-curves.svg from cells/*.json', async () => {
    const dir = await resultsDir(fakeStudy(), {
      'cells/notes.txt': 'not a result',
      'cells/.albench-tmp-abc.json': '{ half written',
      'cells/abc.json.tmp': '{ half written',
    }, 'quick');
    const out = join(root, 'out-full');
    const res = await writeReport(dir, out, { now: NOW });

    expect(res).toMatchObject({ htmlPath: join(out, 'index.html'), cells: 13, completed: 12, studyName: 'quick' });
    const html = await readFile(res.htmlPath, 'utf8');
    expect(html).toContain('albench report: quick');
    expect(html).toContain('generated 2025-02-03T04:05:06.000Z');
    expect(html.length).toBeGreaterThan(800_000);

    const csv = (await readFile(res.csvPath, 'utf8')).trimEnd().split('\n');
    expect(csv).toHaveLength(1 + 12);
    expect(csv[0]).toBe(
      'setting,dataset.name,strategy,labeled,n_seeds,accuracy_mean,accuracy_std,accuracy_ci95,' +
        'macro_f1_mean,macro_f1_std,macro_f1_ci95,seeds,setting_key',
    );
    const first = csv[1].split(',');
    expect(first.slice(0, 5)).toEqual(['digits', 'digits', 'entropy', '20', '3']);
    // Same numbers as test/analysis/curves.test.ts: mean 0.55, std 0.1, half-width 0.248414.
    expect(first.slice(5, 8).map(Number)).toEqual([expect.closeTo(0.55, 12), expect.closeTo(0.1, 12), expect.closeTo(0.248414, 6)]);
    expect(csv[1]).toMatch(/,0 1 2,"\{""augmentation"":""none"",/); // JSON key quoted per RFC 4180

    const svg = await readFile(res.svgPath!, 'utf8');
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('stroke-dasharray="6,4"');
    // The first learning-curve chart: one per dataset here, digits sorts first.
    expect(svg).toContain('digits');
    expect(svg).not.toContain('synthetic');

    // Atomic writes leave no temp files behind.
    expect((await readdir(out)).sort()).toEqual(['curves.csv', 'figures', 'index.html', 'learning-curves.svg', 'summary.md', 'tables']);
    for (const sub of ['figures', 'tables']) {
      expect((await readdir(join(out, sub))).filter((f) => f.startsWith('.') || f.includes('tmp'))).toEqual([]);
    }
  });

  it('takes the study name from study.json when present', async () => {
    const dir = await resultsDir(fakeStudy(), { 'study.json': JSON.stringify({ name: 'paper-2025' }) });
    const res = await writeReport(dir, join(root, 'out-named'), { now: NOW, svg: false });
    expect(res.studyName).toBe('paper-2025');
    expect(res.svgPath).toBeUndefined();
    expect(await readFile(res.htmlPath, 'utf8')).toContain('Study <strong>paper-2025</strong>');
  });

  it('still reports a study where every cell failed, without charts', async () => {
    const failed = fakeStudy().filter((r) => r.status === 'failed');
    const out = join(root, 'out-failed');
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'learning-curves.svg'), '<svg>stale</svg>');
    const res = await writeReport(await resultsDir(failed), out, { now: NOW });
    expect(res).toMatchObject({ cells: 1, completed: 0 });
    expect(res.svgPath).toBeUndefined();
    expect(existsSync(join(out, 'learning-curves.svg'))).toBe(false);
    const html = await readFile(res.htmlPath, 'utf8');
    expect(html).toContain('No completed cells');
    expect(html).toContain('Failed cells');
  });

  it('fails with a message naming what is missing or wrong', async () => {
    const out = join(root, 'out-never');
    await expect(writeReport(join(root, 'nope'), out)).rejects.toThrow(/Results directory not found: .*nope/);
    const noCells = join(root, 'no-cells');
    await mkdir(noCells, { recursive: true });
    await expect(writeReport(noCells, out)).rejects.toThrow(/No cells\/ directory in .*no-cells/);
    await expect(writeReport(await resultsDir([], { 'cells/readme.txt': 'x' }), out)).rejects.toThrow(/No cell results in/);
    await expect(writeReport(await resultsDir([], { 'cells/bad.json': '{ nope' }), out)).rejects.toThrow(
      /No cell results in .*unreadable: result file .*bad\.json is not valid JSON/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('names and skips unreadable result files instead of failing the report', async () => {
    const future = { ...fakeStudy()[0], schemaVersion: 99 };
    const noStatus = { ...fakeStudy()[0], status: 'done' };
    const dir = await resultsDir(fakeStudy(), {
      'cells/bad.json': '{ nope',
      'cells/f.json': JSON.stringify(future),
      'cells/s.json': JSON.stringify(noStatus),
    });
    const skipped: string[] = [];
    const res = await writeReport(dir, join(root, 'out-corrupt'), { now: NOW, figures: false, onSkip: (x) => skipped.push(x.path) });
    expect(res.cells).toBe(13);
    expect(res.skipped.map((x) => basename(x.path))).toEqual(['bad.json', 'f.json', 's.json']);
    expect(skipped).toHaveLength(3);
    expect(res.skipped[0].reason).toMatch(/bad\.json is not valid JSON/);
    expect(res.skipped[1].reason).toMatch(/f\.json has schemaVersion 99, this albench reads 1/);
    expect(res.skipped[2].reason).toMatch(/s\.json has status "done", expected 'completed' or 'failed'/);
    const html = await readFile(res.htmlPath, 'utf8');
    expect(html).toContain('3 unreadable files skipped');
    expect(html).toMatch(/bad\.json<\/td>.*skipped: result file/);
  });

  it('writes every chart as SVG and PNG, every table as CSV and JSON, and summary.md', async () => {
    const res = await writeReport(await resultsDir(fakeStudy(), {}, 'full'), join(root, 'out-files'), { now: NOW });
    const figures = await readdir(join(root, 'out-files', 'figures'));
    expect(figures.sort()).toEqual(
      ['cd-diagram', 'learning-curves-1', 'learning-curves-2', 'macro-f1', 'penalty-matrix', 'seed-variance'].flatMap((f) => [`${f}.png`, `${f}.svg`]),
    );
    const png = await readFile(join(root, 'out-files', 'figures', 'penalty-matrix.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(png.length).toBeGreaterThan(5_000);
    const tables = await readdir(join(root, 'out-files', 'tables'));
    for (const t of ['findings', 'study', 'aubc', 'label-efficiency', 'label-efficiency-points', 'paired-vs-random', 'penalty-matrix', 'cd-ranks', 'cd-pairwise', 'seed-variance', 'cost', 'failed-cells']) {
      expect(tables).toContain(`${t}.csv`);
      expect(tables).toContain(`${t}.json`);
    }
    const aubc = JSON.parse(await readFile(join(root, 'out-files', 'tables', 'aubc.json'), 'utf8')) as { rows: Record<string, unknown>[] };
    expect(aubc.rows.find((r) => r.setting === 'digits' && r.strategy === 'entropy')).toMatchObject({ rank: 1, n_seeds: 3 });
    const aubcCsv = (await readFile(join(root, 'out-files', 'tables', 'aubc.csv'), 'utf8')).split('\n');
    expect(aubcCsv[0]).toBe('setting,dataset.name,strategy,rank,aubc_mean,aubc_ci95,aubc_std,final_labeled,final_accuracy_mean,final_accuracy_ci95,n_seeds');
    const summary = await readFile(res.summaryPath, 'utf8');
    expect(summary).toMatch(/^# albench: full/);
    expect(summary).toContain('| F1 | Augmentation narrows the differences between strategies | not covered |');
    expect(summary).toContain('## AUBC');
  });

  it('escapes a hostile study or strategy name everywhere it appears', async () => {
    const evil = '</script><img src=x onerror=alert(1)>';
    const results = fakeStudy().map((r) => (r.cell.strategy === 'entropy' ? { ...r, cell: { ...r.cell, strategy: evil } } : r));
    const dir = await resultsDir(results, { 'study.json': JSON.stringify({ name: evil }) }, 'evil');
    const res = await writeReport(dir, join(root, 'out-evil'), { now: NOW, figures: false });
    const html = await readFile(res.htmlPath, 'utf8');
    const markup = html.replace(/(<script[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>');
    expect(markup).not.toContain('<img');
    expect(markup).toContain('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    // Inside the JSON spec scripts '<' is \u003c, so the element cannot be closed early.
    expect(html.match(/<\/script>/gi)!.length).toBe(html.match(/<script\b/gi)!.length);
  });

  it('skips temp and non-JSON files by name', () => {
    expect(isResultFileName('a1b2c3.json')).toBe(true);
    expect(isResultFileName('.albench-tmp-a1b2c3.json')).toBe(false);
    expect(isResultFileName('a1b2c3.json.tmp')).toBe(false);
    expect(isResultFileName('a1b2c3.tmp.json')).toBe(false);
    expect(isResultFileName('README.md')).toBe(false);
  });
});
