/**
 * The report in a real browser: `albench report` (built CLI) on hand-made results, opened from
 * file:// in Debian's chromium through playwright-core. Checks that every chart rendered an
 * SVG, that the console stayed free of errors, that no network request was made, and that a
 * hostile strategy or study name stays text (no dialog, no injected element).
 *
 * CI installs chromium (`apt-get install chromium` in .ci/run). Where it is missing the suite is
 * skipped, and its title says why.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { fakeStudy } from '../analysis/fixtures.js';
import { albench, requireBuild, tempDir } from './cli.js';

const CHROMIUM = '/usr/bin/chromium';
const require = createRequire(import.meta.url);
const playwrightPath = (() => {
  try {
    return require.resolve('playwright-core');
  } catch {
    return null;
  }
})();
const skipReason = !existsSync(CHROMIUM)
  ? `${CHROMIUM} is not installed (apt-get install chromium)`
  : playwrightPath === null
    ? 'playwright-core is not installed'
    : null;

const EVIL = '</script><img src=x onerror=alert(1)>';

interface Page {
  on(event: 'request', fn: (r: { url(): string }) => void): void;
  on(event: 'console', fn: (m: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', fn: (e: Error) => void): void;
  on(event: 'dialog', fn: (d: { message(): string; dismiss(): Promise<void> }) => void): void;
  goto(url: string, options?: object): Promise<unknown>;
  waitForFunction(fn: string, arg?: unknown, options?: object): Promise<unknown>;
  evaluate<T>(fn: string): Promise<T>;
}
interface Context {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

describe.skipIf(skipReason !== null)(`the report in headless chromium${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let work: string;
  let profile: string;
  let htmlPath: string;
  beforeAll(() => {
    requireBuild();
    work = tempDir('report-browser');
    // A fresh profile: nothing cached or remembered from another run can mask a request.
    profile = mkdtempSync(join(tmpdir(), 'albench-chromium-profile-'));
    const results = join(work, 'results', 'evil');
    mkdirSync(join(results, 'cells'), { recursive: true });
    for (const r of fakeStudy()) {
      const cell = r.cell.strategy === 'entropy' ? { ...r.cell, strategy: EVIL } : r.cell;
      writeFileSync(join(results, 'cells', `${r.cell.id}.json`), JSON.stringify({ ...r, cell }));
    }
    writeFileSync(join(results, 'cells', 'corrupt.json'), '{ half a result');
    writeFileSync(join(results, 'study.json'), JSON.stringify({ name: `study ${EVIL}`, description: `Does ${EVIL} beat random?` }));
    const out = join(work, 'reports', 'evil');
    const res = albench(['report', results, '--out', out]);
    expect(res.stderr).toMatch(/skipped .*corrupt\.json: result file .* is not valid JSON/);
    expect(res.status, res.stderr).toBe(0);
    htmlPath = join(out, 'index.html');
    expect(readdirSync(join(out, 'figures')).filter((f) => f.endsWith('.png')).length).toBe(6);
  });
  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it('draws every chart as SVG from file://, with no console error and no network request', async () => {
    const { chromium } = (await import(pathToFileURL(playwrightPath!).href)) as {
      chromium: { launchPersistentContext(dir: string, o: object): Promise<Context> };
    };
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    try {
      const page = await context.newPage();
      const requests: string[] = [];
      const errors: string[] = [];
      const dialogs: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('dialog', (d) => {
        dialogs.push(d.message());
        void d.dismiss();
      });
      await page.goto(pathToFileURL(htmlPath).href, { waitUntil: 'load' });
      const charts = await page.evaluate<number>(`document.querySelectorAll('.vis').length`);
      expect(charts).toBe(6);
      await page.waitForFunction(
        `document.querySelectorAll('.vis svg.marks').length + document.querySelectorAll('.vis-error').length === ${charts}`,
        undefined,
        { timeout: 30_000 },
      );
      expect(await page.evaluate<string[]>(`[...document.querySelectorAll('.vis-error')].map((e) => e.textContent)`)).toEqual([]);
      expect(await page.evaluate<number>(`document.querySelectorAll('.vis svg.marks').length`)).toBe(charts);
      expect(errors).toEqual([]);
      // The page itself is the only request, and it is a file.
      expect(requests.some((u) => u.startsWith('file:'))).toBe(true);
      expect(requests.filter((u) => !u.startsWith('file:'))).toEqual([]);
      expect(dialogs).toEqual([]);
      expect(await page.evaluate<number>(`document.querySelectorAll('img').length`)).toBe(0);
      expect(await page.evaluate<string>(`document.title`)).toBe(`albench report: study ${EVIL}`);
      // A card per covered finding; the not-covered ones in one line.
      const findings = analyze(fakeStudy(), 'random').findings;
      const covered = findings.filter((f) => f.verdict !== 'not covered').length;
      expect(covered).toBeGreaterThan(0);
      expect(await page.evaluate<number>(`document.querySelectorAll('article.finding').length`)).toBe(covered);
      expect(await page.evaluate<string>(`document.querySelector('#findings-not-covered p').textContent`)).toMatch(
        new RegExp(`^not covered ${findings.length - covered}: this study does not vary what they are about; varying .* would cover them\\.$`),
      );
      // The first screen (1280 × 800) holds the description as text, the verdict line, the learning
      // curves and the AUBC ranking; the contents come after them.
      expect(await page.evaluate<string>(`document.querySelector('#section-answer .description').textContent`)).toBe(`Does ${EVIL} beat random?`);
      const tops = await page.evaluate<Record<string, number>>(`(() => {
        const top = (sel) => { const e = document.querySelector(sel); return e ? e.getBoundingClientRect().top : -1; };
        return { height: innerHeight, verdicts: top('#section-answer .verdict-line'), curves: top('#section-answer .vis svg.marks'),
          ranking: top('#table-aubc-ranking tbody tr:last-child'), toc: top('nav.toc') };
      })()`);
      for (const part of ['verdicts', 'curves', 'ranking'] as const) {
        expect(tops[part], part).toBeGreaterThan(0);
        expect(tops[part], `${part} is below the first screen`).toBeLessThan(tops.height);
      }
      expect(tops.toc).toBeGreaterThan(tops.ranking);
    } finally {
      await context.close();
    }
  }, 90_000);
});
