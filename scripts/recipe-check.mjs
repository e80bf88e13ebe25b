#!/usr/bin/env node
// The recipe check of issue 17, one command: `node scripts/recipe-check.mjs [--workers N]`.
// Runs experiments/recipe-check.{epochs,steps}.yaml (resuming whatever is done) and prints test
// accuracy (mean ± sd over the 5 seeds) of random sampling at 300 and 1000 labels, per recipe and
// augmentation, plus the mean training accuracy of the same rounds (evidence of fit).
// Needs `npx tsc -p tsconfig.build.json` first; run it under `nice` on a shared machine.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const workers = process.argv.includes('--workers') ? process.argv[process.argv.indexOf('--workers') + 1] : '2';
const studies = [
  ['recipe-check-epochs', 'experiments/recipe-check.epochs.yaml', '20 epochs, Adam 1e-3'],
  ['recipe-check-steps', 'experiments/recipe-check.steps.yaml', '3000 steps, Adam 1e-3, cosine'],
];
const mean = (v) => v.reduce((a, b) => a + b, 0) / v.length;
const sd = (v) => Math.sqrt(v.reduce((a, b) => a + (b - mean(v)) ** 2, 0) / Math.max(1, v.length - 1));
const aug = (a) => (a === 'none' ? 'none' : `${a.name} ${a.translate}`);

const rows = [];
for (const [name, spec, label] of studies) {
  if (!process.argv.includes('--table-only')) execFileSync('node', [join(root, 'dist/cli/main.js'), 'run', spec, '--workers', workers], { cwd: root, stdio: 'inherit' });
  const dir = join(root, 'results', name, 'cells');
  const groups = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json'))) {
    const r = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    if (r.status !== 'completed') continue;
    for (const round of r.rounds) {
      const key = `${aug(r.cell.augmentation)}|${round.labeled}`;
      if (!groups.has(key)) groups.set(key, { acc: [], fit: [] });
      groups.get(key).acc.push(round.accuracy);
      groups.get(key).fit.push(round.trainAccuracy);
    }
  }
  for (const a of ['none', 'standard 0.075']) {
    const cells = [300, 1000].map((n) => {
      const g = groups.get(`${a}|${n}`);
      return g ? `${mean(g.acc).toFixed(3)} ± ${sd(g.acc).toFixed(3)} (n=${g.acc.length}, train ${mean(g.fit).toFixed(3)})` : '—';
    });
    rows.push(`| ${label} | ${a} | ${cells.join(' | ')} |`);
  }
}
console.log('\n| recipe | augmentation | 300 labels | 1000 labels |\n|---|---|---|---|');
console.log(rows.join('\n'));
