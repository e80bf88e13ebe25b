/**
 * One self-contained HTML page: the Vega libraries, the chart specs and the tables all inline,
 * so the report opens from `file://` on a machine with no network, and can be mailed as one file.
 */
import type { TopLevelSpec } from 'vega-lite';
import { loadVegaBundles, type VegaBundles } from './vega-bundles.js';

export interface ReportChart {
  /** Unique within the page; used for element ids. */
  readonly id: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
  /** Plain-text note under the chart. */
  readonly caption?: string;
}

export interface ReportTable {
  readonly id: string;
  readonly title: string;
  /** Trusted HTML fragment (a `<table>`), built with `escapeHtml` around every value. */
  readonly html: string;
  readonly caption?: string;
}

/** One piece of a section: a table, a chart or a trusted HTML fragment. */
export type ReportBlock =
  | { readonly kind: 'table'; readonly table: ReportTable }
  | { readonly kind: 'chart'; readonly chart: ReportChart }
  | { readonly kind: 'html'; readonly html: string };

/** A titled part of the page, listed in the contents. */
export interface ReportSection {
  readonly id: string;
  readonly title: string;
  /** Rendered above the contents, as the page's first screen (the answer before the detail). */
  readonly lead?: boolean;
  /** Trusted HTML shown under the title. */
  readonly intro?: string;
  readonly blocks: readonly ReportBlock[];
}

export interface ReportHtmlInput {
  readonly title: string;
  readonly studyName: string;
  /** ISO timestamp, shown as given. */
  readonly generatedAt: string;
  /** Rendered in order, each listed in the contents. */
  readonly sections: readonly ReportSection[];
  /** Trusted HTML paragraphs for the "How to read this" section at the end. */
  readonly notes?: readonly string[];
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text or attribute value → safe HTML. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/**
 * JavaScript source → safe inside `<script>…</script>`. The HTML parser ends a script at
 * `</script` and changes state at `<!--` and `<script`, whatever JS thinks. Those sequences can
 * only occur inside JS strings, templates, regexes or comments, and in all of those `\x3C` means
 * `<` (in regexes with and without the `u` flag, unlike `<\/`), so the code is unchanged.
 */
export function escapeInlineScript(js: string): string {
  return js.replace(/<(\/?script|!--)/gi, '\\x3C$1');
}

/** Value → JSON safe inside `<script type="application/json">`: `\u003c` is `<` to JSON.parse. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Element id from a free-form id: letters, digits and dashes only. */
function domId(prefix: string, id: string): string {
  return `${prefix}-${id.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

const CSS = `
:root { --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --band: #f6f8fa; --accent: #0969da; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
header { border-bottom: 1px solid var(--line); margin-bottom: 8px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 19px; margin: 36px 0 10px; }
.meta { color: var(--muted); margin: 0 0 16px; }
table { border-collapse: collapse; margin: 8px 0; font-variant-numeric: tabular-nums; }
th, td { border: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
thead th { background: var(--band); }
td.num, th.num { text-align: right; white-space: nowrap; }
td.best { font-weight: 700; }
tbody tr:nth-child(even) td { background: #fbfcfd; }
.caption, figcaption { color: var(--muted); font-size: 13px; margin: 4px 0 0; }
figure { margin: 0; }
.vis { overflow-x: auto; min-height: 60px; }
.vis-error { color: #b3261e; }
.scroll { overflow-x: auto; }
h3 { font-size: 16px; margin: 20px 0 6px; }
nav.toc { background: var(--band); border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; margin: 12px 0; font-size: 14px; }
nav.toc ol { margin: 4px 0; padding-left: 22px; columns: 2; }
nav.toc a { color: var(--accent); text-decoration: none; }
.verdict { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 13px; font-weight: 600; white-space: nowrap; }
.v-supported { background: #dafbe1; color: #116329; }
.v-not-supported { background: #ffebe9; color: #a40e26; }
.v-inconclusive { background: #fff8c5; color: #7d4e00; }
.v-not-covered { background: #eaeef2; color: #424a53; }
.finding { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 12px 0; }
.finding h3 { margin: 0 0 4px; }
.finding p { margin: 4px 0; }
.finding details { margin-top: 6px; }
.warn { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 8px 12px; }
td.never { color: var(--muted); font-style: italic; }
code { font-size: 13px; background: var(--band); padding: 1px 4px; border-radius: 4px; }
.lead h2 { margin-top: 12px; }
.lead .description { font-size: 16px; margin: 6px 0; }
.lead .verdict-line { margin: 6px 0 10px; }
.lead .charts { display: flex; flex-wrap: wrap; gap: 4px 20px; align-items: flex-start; }
.lead .charts > figure { flex: 0 0 auto; width: 540px; }
.lead .charts > .ranking { flex: 1 1 320px; }
.lead .charts figure h3 { margin-top: 4px; }
.lead .ranking td { white-space: nowrap; }
.rank { color: var(--muted); font-size: 13px; }
.lead p { margin: 4px 0; }
.not-covered { color: var(--muted); }
.not-covered p { margin: 6px 0 2px; }
footer { margin-top: 40px; border-top: 1px solid var(--line); color: var(--muted); font-size: 13px; }
`;

// Runs after the libraries. Chart failures are written into the page: a blank box explains nothing.
const BOOTSTRAP = `
(function () {
  var targets = document.querySelectorAll('script[data-vega-target]');
  for (var i = 0; i < targets.length; i++) {
    var el = targets[i];
    var target = document.getElementById(el.getAttribute('data-vega-target'));
    var fail = function (target) {
      return function (err) {
        target.className += ' vis-error';
        target.textContent = 'Could not draw this chart: ' + (err && err.message ? err.message : String(err));
      };
    }(target);
    if (typeof vegaEmbed !== 'function') { fail(new Error('vega-embed did not load')); continue; }
    try {
      // "editor" would open vega.github.io; the page stays offline, so only local exports remain.
      vegaEmbed(target, JSON.parse(el.textContent), {
        mode: 'vega-lite',
        renderer: 'svg',
        actions: { export: true, source: false, compiled: false, editor: false }
      }).catch(fail);
    } catch (err) { fail(err); }
  }
})();
`;

function tableHtml(t: ReportTable): string {
  return `<div class="table" id="${domId('table', t.id)}">
${t.title ? `<h3>${escapeHtml(t.title)}</h3>` : ''}
<div class="scroll">${t.html}</div>
${t.caption ? `<p class="caption">${escapeHtml(t.caption)}</p>` : ''}
</div>`;
}

function chartHtml(c: ReportChart): string {
  const visId = domId('vis', c.id);
  return `<figure id="${domId('chart', c.id)}">
${c.title ? `<h3>${escapeHtml(c.title)}</h3>` : ''}
<div class="vis" id="${visId}"><noscript>Charts need JavaScript; the numbers are in the tables and in tables/*.csv.</noscript></div>
${c.caption ? `<figcaption>${escapeHtml(c.caption)}</figcaption>` : ''}
<script type="application/json" data-vega-target="${visId}">${jsonForScript(c.spec)}</script>
</figure>`;
}

export function renderReportHtml(input: ReportHtmlInput, bundles: VegaBundles = loadVegaBundles()): string {
  const ids = new Set<string>();
  for (const s of input.sections) {
    for (const b of s.blocks) {
      const id = b.kind === 'chart' ? domId('vis', b.chart.id) : b.kind === 'table' ? domId('table', b.table.id) : null;
      if (id && ids.has(id)) throw new Error(`Duplicate element id '${id}' in the report: chart and table ids must be unique`);
      if (id) ids.add(id);
    }
  }
  const toc = `<nav class="toc"><strong>Contents</strong><ol>${input.sections
    .map((s) => `<li><a href="#${domId('section', s.id)}">${escapeHtml(s.title)}</a></li>`)
    .join('')}</ol></nav>`;
  const sectionHtml = (s: ReportSection) => `<section id="${domId('section', s.id)}"${s.lead ? ' class="lead"' : ''}>
<h2>${escapeHtml(s.title)}</h2>
${s.intro ?? ''}
${s.blocks.map((b) => (b.kind === 'table' ? tableHtml(b.table) : b.kind === 'chart' ? chartHtml(b.chart) : b.html)).join('\n')}
</section>`;
  const lead = input.sections.filter((s) => s.lead).map(sectionHtml).join('\n');
  const sections = input.sections.filter((s) => !s.lead).map(sectionHtml).join('\n');

  const notes = input.notes?.length
    ? `<section id="notes"><h2>How to read this report</h2>\n${input.notes.map((n) => `<p>${n}</p>`).join('\n')}\n</section>`
    : '';

  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="albench">
<title>${escapeHtml(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<header>
<h1>${escapeHtml(input.title)}</h1>
<p class="meta">Study <strong>${escapeHtml(input.studyName)}</strong> · generated ${escapeHtml(input.generatedAt)}</p>
</header>
${lead}
${toc}
${sections}
${notes}
<footer><p>Generated by albench. Self-contained: this file needs no network.</p></footer>
</main>
<script>${escapeInlineScript(bundles.vega)}</script>
<script>${escapeInlineScript(bundles.vegaLite)}</script>
<script>${escapeInlineScript(bundles.vegaEmbed)}</script>
<script>${escapeInlineScript(BOOTSTRAP)}</script>
</body>
</html>
`;
}
