#!/usr/bin/env node
// Scaling of the runner over worker processes: one CPU-bound study run through the built CLI with
// 1 worker and with 2, wall clock each, and the speed-up. Goal on 2 cores: ≥ 1.85×, i.e. worker
// start-up and dataset loading (once per worker: src/data/registry.ts caches per process) must not
// eat the second core.
//
//   npm run bench:runner                   (builds first; or: node scripts/bench-runner.mjs)
//   npm run bench:runner -- --json         one JSON object per line
// Options: --cells-per-worker 4 (cells = 2 × this, so both runs split evenly) --epochs 600
//          --dataset digits --model mlp --workers 2 (the larger count) --backend auto
//
// The figure is only meaningful on an otherwise idle machine: the 1-minute load average before and
// after each run is printed next to it, so a run that competed with other work is easy to spot.
// Where /usr/bin/time exists, each run's CPU seconds (user + system, all processes) are recorded
// too, and two bounds follow from them:
//   CPU-time bound   wall(1) × N / cpu(N): the N-worker run cannot beat its own CPU seconds spread
//                    over N cores. This is the bound to read: one worker already keeps more than
//                    one core busy part of the time (the CLI's parent process, V8's GC and compiler
//                    threads: cpu(1) / wall(1) is printed as "cores used"), and that help is gone
//                    when every core runs a worker.
//   work bound       N × cpu(1) / cpu(N): how much extra CPU the N workers spend on the same cells
//                    (start-up, data loading once per worker, slower cores when all are busy).
// Both are ratios of this run's own measurements, so a loaded machine still shows whether extra
// workers duplicate work; the wall-clock speed-up itself needs an idle machine.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
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
    // ~6 s cells on wasm-native, like the presets' short cells: with 30 epochs a cell took ~0.6 s
    // and the CLI's own start (~1 s, importing tfjs) dominated what was meant to measure scaling.
    epochs: { type: 'string', default: '600' },
    dataset: { type: 'string', default: 'digits' },
    model: { type: 'string', default: 'mlp' },
    workers: { type: 'string', default: '2' },
    backend: { type: 'string', default: 'auto' },
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
  const args = [cli, 'run', specPath, '--workers', String(workers), '--results', results, '--force', '--backend', opts.backend];
  const timeFile = join(dir, `time-${workers}.txt`);
  const timed = existsSync('/usr/bin/time');
  const t0 = performance.now();
  const r = timed
    ? spawnSync('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, process.execPath, ...args], { encoding: 'utf8' })
    : spawnSync(process.execPath, args, { encoding: 'utf8' });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = timed ? readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number).reduce((a, b) => a + b, 0) : undefined;
  if (r.status !== 0) throw new Error(`bench-runner: 'albench run --workers ${workers}' exited ${r.status}:\n${r.stderr || r.stdout}`);
  const done = readdirSync(join(results, 'cells')).filter((f) => f.endsWith('.json')).length;
  return { workers, cells: done, seconds: Math.round(seconds * 100) / 100, cpu_seconds: cpu === undefined ? undefined : Math.round(cpu * 100) / 100, load_before: Math.round(load * 100) / 100, load_after: Math.round(loadavg()[0] * 100) / 100 };
}

try {
  log(`${seeds.length * strategies.length} cells (${opts.dataset}, ${opts.model}, ${opts.epochs} epochs, budget 100); 1 worker …`);
  const one = run(1);
  log(`${maxWorkers} workers …`);
  const many = run(maxWorkers);
  const speedup = Math.round((one.seconds / many.seconds) * 1000) / 1000;
  const round3 = (v) => Math.round(v * 1000) / 1000;
  const timed = one.cpu_seconds !== undefined && many.cpu_seconds !== undefined;
  const cpuBound = timed ? round3((maxWorkers * one.seconds) / many.cpu_seconds) : undefined;
  const workBound = timed ? round3((maxWorkers * one.cpu_seconds) / many.cpu_seconds) : undefined;
  const coresUsed = timed ? round3(one.cpu_seconds / one.seconds) : undefined;
  if (opts.json) {
    console.log(JSON.stringify(one));
    console.log(JSON.stringify(many));
    console.log(JSON.stringify({ speedup, cpu_time_bound: cpuBound, of_bound: cpuBound && round3(speedup / cpuBound), work_bound: workBound, one_worker_cores_used: coresUsed, goal: 1.85 }));
  } else {
    for (const r of [one, many]) {
      const cpu = r.cpu_seconds === undefined ? '' : `, ${r.cpu_seconds.toFixed(2)} CPU s`;
      console.log(`${String(r.workers).padStart(2)} worker(s): ${r.cells} cells in ${r.seconds.toFixed(2)} s${cpu} (load average ${r.load_before} → ${r.load_after})`);
    }
    console.log(`speed-up ${maxWorkers} vs 1 worker: ${speedup.toFixed(2)}× wall clock (goal ≥ 1.85× on 2 idle cores)`);
    if (cpuBound !== undefined) {
      console.log(`CPU-time bound: ${maxWorkers} × wall(1) / cpu(${maxWorkers}) = ${cpuBound.toFixed(2)}× (the speed-up is ${(100 * speedup / cpuBound).toFixed(1)} % of it; 1 worker used ${coresUsed.toFixed(2)} cores)`);
      console.log(`work bound: ${maxWorkers} × cpu(1) / cpu(${maxWorkers}) = ${workBound.toFixed(2)}× (below ${maxWorkers}: the extra CPU ${maxWorkers} workers spend on the same cells)`);
    }
    if (Math.max(one.load_before, many.load_before) > 0.5) console.log('warning: the machine was not idle (load average above 0.5 before a run): the wall-clock figures compete with other work');
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
