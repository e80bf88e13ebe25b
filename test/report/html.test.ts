import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { buildReport } from '../../src/report/build-report.js';
import { findingsHtml } from '../../src/report/findings-html.js';
import { escapeHtml, escapeInlineScript, jsonForScript, renderReportHtml } from '../../src/report/html.js';
import { loadVegaBundles } from '../../src/report/vega-bundles.js';
import { fakeStudy } from '../analysis/fixtures.js';

const FAKE_BUNDLES = {
  vega: 'window.vega = {s: "</script><!-- <script>"};',
  vegaLite: 'window.vegaLite = {};',
  vegaEmbed: 'window.vegaEmbed = function () {};',
};

/** Bodies of all inline <script> elements, with their opening tag. */
function scripts(html: string): { tag: string; body: string }[] {
  return [...html.matchAll(/(<script[^>]*>)([\s\S]*?)<\/script>/gi)].map((m) => ({ tag: m[1], body: m[2] }));
}

/** The markup with script bodies emptied (library code builds markup strings of its own). */
function markupOnly(html: string): string {
  return html.replace(/(<script[^>]*>)[\s\S]*?<\/script>/gi, '$1</script>');
}

/** Anything in the markup that would make the browser fetch: src/href attributes, CSS imports or urls. */
function externalReferences(html: string): string[] {
  const markup = markupOnly(html);
  // In-page anchors (#section-…) fetch nothing.
  const refs = [...markup.matchAll(/\s(?:src|href)\s*=\s*["']?([^"'\s>]*)/gi)].map((m) => m[1]).filter((r) => !r.startsWith('#'));
  const imports = [...markup.matchAll(/@import|url\(\s*["']?(?:https?:)?\/\//gi)].map((m) => m[0]);
  return [...refs, ...imports];
}

describe('escaping', () => {
  it('escapes HTML text and attributes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('keeps JavaScript meaning while hiding </script, <script and <!-- from the HTML parser', () => {
    const source = String.raw`["</script>", '<!-- x', "<SCRIPT>", /<\/script>/u.test("</script>"), /<script/i.test("<SCRIPT")]`;
    const escaped = escapeInlineScript(source);
    expect(escaped).not.toMatch(/<\/script|<script|<!--/i);
    expect(new Function(`return ${escaped}`)()).toEqual(new Function(`return ${source}`)());
  });

  it('writes JSON that cannot close its script element and parses back unchanged', () => {
    const value = { title: '</script><script>alert(1)</script>', n: [1, 2] };
    const text = jsonForScript(value);
    expect(text).not.toContain('<');
    expect(JSON.parse(text)).toEqual(value);
  });
});

describe('renderReportHtml', () => {
  const html = renderReportHtml(
    {
      title: 'Report <b>x</b>',
      studyName: 'quick & dirty',
      generatedAt: '2025-01-01T00:00:00.000Z',
      sections: [
        { id: 'overview', title: 'Overview <i>', blocks: [{ kind: 'table', table: { id: 'summary', title: 'Summary', html: '<table><tr><td>1</td></tr></table>' } }] },
        {
          id: 'curves',
          title: 'Curves',
          blocks: [{ kind: 'chart', chart: { id: 'Accuracy Curve', title: 'Curves', spec: { data: { values: [] }, mark: 'point', title: '</script>' }, caption: 'c' } }],
        },
      ],
      notes: ['note <code>x</code>'],
    },
    FAKE_BUNDLES,
  );

  it('is one page whose every script element closes where it should', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    const opened = html.match(/<script\b/gi)!.length;
    expect(html.match(/<\/script>/gi)!.length).toBe(opened);
    // 3 libraries + 1 spec + bootstrap
    expect(scripts(html)).toHaveLength(5);
    expect(html).toContain('window.vega = {s: "\\x3C/script>\\x3C!-- \\x3Cscript>"};');
  });

  it('escapes titles and names, lays out sections in order and lists them in the contents', () => {
    expect(html).toContain('<title>Report &lt;b&gt;x&lt;/b&gt;</title>');
    expect(html).toContain('<a href="#section-overview">Overview &lt;i&gt;</a>');
    expect(html).toContain('<h2>Overview &lt;i&gt;</h2>');
    expect(html).toContain('quick &amp; dirty');
    expect(html.indexOf('id="table-summary"')).toBeLessThan(html.indexOf('id="chart-accuracy-curve"'));
    expect(html).toContain('id="vis-accuracy-curve"');
    expect(html).toContain('data-vega-target="vis-accuracy-curve"');
  });

  it('references nothing outside the page', () => {
    expect(externalReferences(html)).toEqual([]);
    expect(html).not.toMatch(/<link\b/i);
  });

  it('refuses two charts with one id (the second would never be drawn)', () => {
    const chart = { id: 'a', title: 'A', spec: { data: { values: [] }, mark: 'point' as const } };
    expect(() =>
      renderReportHtml(
        { title: 't', studyName: 's', generatedAt: 'g', sections: [{ id: 'x', title: 'X', blocks: [{ kind: 'chart', chart }, { kind: 'chart', chart }] }] },
        FAKE_BUNDLES,
      ),
    ).toThrow(/Duplicate element id 'vis-a'/);
  });
});

/** The markup of one section of the page. */
function sectionOf(page: string, id: string): string {
  const start = page.search(new RegExp(`<section id="section-${id}"[ >]`));
  return page.slice(start, page.indexOf('</section>', start));
}

describe('the full report page', () => {
  const bundles = loadVegaBundles();
  const { html, analysis } = buildReport(fakeStudy(), { studyName: 'fake', generatedAt: '2025-01-01T00:00:00.000Z' });

  it('inlines vega, vega-lite and vega-embed and nothing external', () => {
    // The shipped builds contain none of the escaped sequences, so they appear verbatim.
    for (const lib of [bundles.vega, bundles.vegaLite, bundles.vegaEmbed]) {
      expect(lib.length).toBeGreaterThan(50_000);
      expect(html).toContain(lib);
    }
    expect(html.length).toBeGreaterThan(800_000);
    expect(html.length).toBeLessThan(1_200_000);
    expect(externalReferences(html)).toEqual([]);
    for (const { tag } of scripts(html)) expect(tag).not.toMatch(/\bsrc\s*=/i);
    // Our own parts (markup, specs, bootstrap) name no URL at all; only the libraries' code does.
    const libs = [bundles.vega, bundles.vegaLite, bundles.vegaEmbed];
    const ours = [markupOnly(html), ...scripts(html).filter((s) => !libs.includes(s.body)).map((s) => s.body)];
    // markup, the charts' specs (accuracy for each of 2 datasets, macro-F1, penalty, CD, variance), bootstrap
    expect(ours).toHaveLength(1 + 6 + 1);
    expect(ours.join('\n').match(/.{0,40}(?:https?|file):.{0,40}/g)).toBeNull();
  });

  it('opens on the answer, then findings, then the detail sections, and the study table', () => {
    const order = ['answer', 'findings', 'study', 'curves', 'aubc', 'label-efficiency', 'paired', 'penalty', 'cd', 'variance', 'cost', 'failed'];
    const at = order.map((id) => html.search(new RegExp(`<section id="section-${id}"[ >]`)));
    expect(at.every((i) => i > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    // The first screen sits above the contents.
    const lead = html.indexOf('<section id="section-answer" class="lead">');
    expect(lead).toBeGreaterThan(0);
    expect(lead).toBeLessThan(html.indexOf('<nav class="toc">'));
    expect(html).toContain('13: 12 completed, 1 failed');
    expect(html).toMatch(/<td>Backends<\/td><td>wasm<\/td>/);
    expect(html).toMatch(/<td>albench<\/td><td>0\.1\.0<\/td>/);
    // digits, entropy: AUBC 0.65 ± 0.248 (3 seeds, std 0.1), rank 1 in bold, in the first screen's ranking and the full table.
    expect(sectionOf(html, 'answer')).toMatch(/<tr><td>entropy<\/td><td class="num best">0\.650 ± 0\.248 <span class="rank">\(1\)<\/span><\/td>/);
    expect(sectionOf(html, 'aubc')).toMatch(/<td>entropy<\/td><td class="num">1\.0<\/td><td class="num best">0\.650<\/td><td class="num">0\.248<\/td>/);
    // The failed cell's error is shown, escaped.
    expect(html).toContain('boom &lt;/script&gt; &lt;b&gt;');
    // Covered findings get cards; not-covered ones only a mention in one line.
    const findings = sectionOf(html, 'findings');
    for (const f of analysis.findings) {
      if (f.verdict === 'not covered') expect(findings).not.toContain(`id="finding-${f.id.toLowerCase()}"`);
      else expect(findings).toContain(`id="finding-${f.id.toLowerCase()}"`);
    }
    expect(analysis.findings.some((f) => f.verdict === 'not covered')).toBe(true);
    expect(html).toContain('<span class="verdict v-not-covered">not covered</span>');
    // A contested claim shows the other paper's view on its card (F4 made covered if this study does not cover it).
    const covered = findingsHtml(analysis.findings.map((f) => (f.id === 'F4' && f.verdict === 'not covered' ? { ...f, verdict: 'inconclusive' as const } : f)), analysis.seedRange);
    expect(covered).toMatch(/id="finding-f4">[^]*?<p><strong>Contested\.<\/strong> Beck et al\. 2021[^]*?<\/article>/);
    expect(covered.match(/<strong>Contested\.<\/strong>/g)).toHaveLength(1);
  });

  it('shows the description (escaped), the curves, the AUBC ranking and a one-line verdict summary first', () => {
    const withText = buildReport(fakeStudy(), { studyName: 'fake', description: 'Does <margin> beat random & co?', generatedAt: '2025-01-01T00:00:00.000Z' }).html;
    const answer = sectionOf(withText, 'answer');
    expect(answer).toContain('<p class="description">Does &lt;margin&gt; beat random &amp; co?</p>');
    expect(answer).toMatch(/<figure id="chart-learning-curves[^"]*">/);
    expect(answer).toContain('<div class="table ranking" id="table-aubc-ranking"><h3>AUBC ranking</h3>');
    const counts = (v: string) => analysis.findings.filter((f) => f.verdict === v).length;
    const covered = analysis.findings.length - counts('not covered');
    expect(answer).toContain(`<strong>Verdicts on the ${covered} finding${covered === 1 ? '' : 's'} this study covers:</strong>`);
    expect(answer).toContain(`; ${counts('not covered')} not covered (<a href="#findings-not-covered">`);
    expect(sectionOf(html, 'answer')).toContain('No description: add <code>description:</code>');
  });

  it('collapses the not-covered findings into one line naming the axes that would cover them', () => {
    const line = /<div class="not-covered" id="findings-not-covered">[^]*?<\/div>/.exec(html)![0];
    const missing = analysis.findings.filter((f) => f.verdict === 'not covered');
    expect(line).toContain(`not covered</span> ${missing.length}: this study does not vary what they are about`);
    // The fake study varies only the dataset: augmentation (F3 …), ssl, protocol … are named as axes.
    expect(line).toMatch(/varying .*<strong>augmentation<\/strong> \(F\d+/);
    expect(line).toMatch(/<strong>protocol<\/strong> \(F9\)/);
    for (const f of missing) expect(line).toContain(`<li>${f.id}. `);
  });

  it('has scripts that parse, and libraries that draw every chart from the page alone', async () => {
    // Run the page's own scripts in a bare context: the UMD builds must find each other as
    // globals (vega-embed reads `vega` and `vegaLite`), and the embedded specs must render.
    const context = vm.createContext({
      console,
      structuredClone,
      setTimeout,
      clearTimeout,
      setInterval,
      clearInterval,
      queueMicrotask,
      TextEncoder,
      TextDecoder,
      URL,
    });
    const all = scripts(html);
    const code = all.filter((s) => !/type="application\/json"/.test(s.tag));
    const specs = all.filter((s) => /type="application\/json"/.test(s.tag)).map((s) => JSON.parse(s.body) as unknown);
    expect(code).toHaveLength(4);
    expect(specs).toHaveLength(6);
    for (const s of code) new vm.Script(s.body); // syntax check, bootstrap included
    for (const s of code.slice(0, 3)) vm.runInContext(s.body, context);
    expect(vm.runInContext('typeof vega.View + typeof vegaLite.compile + typeof vegaEmbed', context)).toBe(
      'functionfunctionfunction',
    );
    for (const spec of specs) {
      context.spec = spec;
      const svg = (await vm.runInContext(
        `new vega.View(vega.parse(vegaLite.compile(spec).spec), { renderer: 'none' }).toSVG()`,
        context,
      )) as string;
      expect(svg).toMatch(/^<svg/);
      expect(svg).toMatch(/Labelled examples|penalty|Critical-difference|Seed variance/);
    }
  });
});
