import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
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
    expect(svg).toContain('digits');
    expect(svg).toContain('synthetic');

    // Atomic writes leave no temp files behind.
    expect((await readdir(out)).sort()).toEqual(['curves.csv', 'index.html', 'learning-curves.svg']);
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
      /result file .*bad\.json is not valid JSON/,
    );
    const future = { ...fakeStudy()[0], schemaVersion: 99 };
    const noStatus = { ...fakeStudy()[0], status: 'done' };
    await expect(writeReport(await resultsDir([], { 'cells/s.json': JSON.stringify(noStatus) }), out)).rejects.toThrow(
      /s\.json has status "done", expected 'completed' or 'failed'/,
    );
    await expect(writeReport(await resultsDir([], { 'cells/f.json': JSON.stringify(future) }), out)).rejects.toThrow(
      /f\.json has schemaVersion 99, this albench reads 1/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('skips temp and non-JSON files by name', () => {
    expect(isResultFileName('a1b2c3.json')).toBe(true);
    expect(isResultFileName('.albench-tmp-a1b2c3.json')).toBe(false);
    expect(isResultFileName('a1b2c3.json.tmp')).toBe(false);
    expect(isResultFileName('a1b2c3.tmp.json')).toBe(false);
    expect(isResultFileName('README.md')).toBe(false);
  });
});

// A real browser, where one is installed (Debian chromium + playwright-core); never installed by the tests.
const require = createRequire(import.meta.url);
const playwrightPath = (() => {
  try {
    return require.resolve('playwright-core');
  } catch {
    return null;
  }
})();
const canBrowse = existsSync('/usr/bin/chromium') && playwrightPath !== null;

describe.skipIf(!canBrowse)('the report in headless chromium', () => {
  it('draws every chart from file:// with no network', async () => {
    const res = await writeReport(await resultsDir(fakeStudy()), join(root, 'out-browser'), { now: NOW, svg: false });
    type Browser = {
      newPage(): Promise<{
        on(event: 'request', fn: (r: { url(): string }) => void): void;
        goto(url: string): Promise<unknown>;
        waitForFunction(fn: string): Promise<unknown>;
        evaluate<T>(fn: string): Promise<T>;
      }>;
      close(): Promise<void>;
    };
    const { chromium } = (await import(pathToFileURL(playwrightPath!).href)) as {
      chromium: { launch(o: object): Promise<Browser> };
    };
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    try {
      const page = await browser.newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(pathToFileURL(res.htmlPath).href);
      await page.waitForFunction(`document.querySelectorAll('.vis svg.marks').length === 2`);
      expect(await page.evaluate<number>(`document.querySelectorAll('.vis-error').length`)).toBe(0);
      expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
      expect(basename(res.htmlPath)).toBe('index.html');
    } finally {
      await browser.close();
    }
  }, 60_000);
});
