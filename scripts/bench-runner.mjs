#!/usr/bin/env node
// Scaling of the runner over worker processes: one CPU-bound study run through the built CLI with
// 1 worker and with 2, wall clock each, and the speed-up. Goal on 2 cores: ≥ 1.85×, i.e. worker
// start-up and dataset loading (once per worker: src/data/registry.ts caches per process) must not
// eat the second core.
//
//   npm run bench:runner                   (builds first; or: node scripts/bench-runner.mjs)
//   npm run bench:runner -- --json         one JSON object per line
// Options: --cells-per-worker 4 (cells = 2 × this, so both runs split evenly) --epochs 30
//          --dataset digits --model mlp --workers 2 (the larger count)
//
// The figure is only meaningful on an otherwise idle machine: the 1-minute load average before and
// after each run is printed next to it, so a run that competed with other work is easy to spot.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const cli = resolve(here, '../dist/cli/main.js');
const { values: opts } = parseArgs({
  options: {
    json: { type: 'boolean', default: false },
    'cells-per-worker': { type: 'string', default: '4' },
    epochs: { type: 'string', default: '30' },
    dataset: { type: 'string', default: 'digits' },
    model: { type: 'string', default: 'mlp' },
    workers: { type: 'string', default: '2' },
  },
});
const maxWorkers = Number(opts.workers);
const cells = maxWorkers * Number(opts['cells-per-worker']);
const log = opts.json ? () => {} : (...a) => console.error(...a);

// Four strategies × as many seeds as needed: every cell costs about the same (same budget).
const strategies = ['random', 'entropy', 'margin', 'least-confidence'];
const seeds = Array.from({ length: Math.ceil(cells / strategies.length) }, (_, i) => i);
const spec = [
  'name: bench-runner',
  `dataset: ${opts.dataset}`,
  `model: ${opts.model}`,
  'matrix:',
  `  strategy: [${strategies.join(', ')}]`,
  '  budget: 100',
  '  batchSize: 20',
  '  initialSize: 20',
  `  seed: [${seeds.join(', ')}]`,
  `training: { epochs: ${Number(opts.epochs)}, batchSize: 32, learningRate: 0.001 }`,
  '',
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'albench-bench-runner-'));
const specPath = join(dir, 'bench-runner.yaml');
writeFileSync(specPath, spec);

function run(workers) {
  const results = join(dir, `results-${workers}`);
  const load = loadavg()[0];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, 'run', specPath, '--workers', String(workers), '--results', results, '--force'], { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`bench-runner: 'albench run --workers ${workers}' exited ${r.status}:\n${r.stderr || r.stdout}`);
  const done = readdirSync(join(results, 'cells')).filter((f) => f.endsWith('.json')).length;
  return { workers, cells: done, seconds: Math.round(seconds * 100) / 100, load_before: Math.round(load * 100) / 100, load_after: Math.round(loadavg()[0] * 100) / 100 };
}

try {
  log(`${seeds.length * strategies.length} cells (${opts.dataset}, ${opts.model}, ${opts.epochs} epochs, budget 100); 1 worker …`);
  const one = run(1);
  log(`${maxWorkers} workers …`);
  const many = run(maxWorkers);
  const speedup = Math.round((one.seconds / many.seconds) * 1000) / 1000;
  if (opts.json) {
    console.log(JSON.stringify(one));
    console.log(JSON.stringify(many));
    console.log(JSON.stringify({ speedup, goal: 1.85 }));
  } else {
    for (const r of [one, many]) {
      console.log(`${String(r.workers).padStart(2)} worker(s): ${r.cells} cells in ${r.seconds.toFixed(2)} s (load average ${r.load_before} → ${r.load_after})`);
    }
    console.log(`speed-up ${maxWorkers} vs 1 worker: ${speedup.toFixed(2)}× (goal ≥ 1.85× on 2 idle cores)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
