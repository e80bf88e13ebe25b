#!/usr/bin/env node
// A whole AL study in albench against the same study written directly in PyTorch
// (scripts/bench_study_torch.py), on the same machine in the same run, compared by CPU seconds:
// ratio = PyTorch CPU s / albench CPU s, so above 1 means albench is cheaper (target ≥ 1.0×).
// Both sides run as child processes and are measured the same way, from outside: the CPU time of
// waited-for children (/proc/self/stat cutime + cstime), which covers albench's worker process,
// data loading and start-up, and PyTorch's imports. CPU time rather than wall time keeps other
// jobs on a shared machine out of the figure (mostly: caches and memory bandwidth are shared).
//
// Protocols (issue 21):
//   mlp  Fashion-MNIST (full pool, 10k test), MLP 784-256-128-10; random, entropy, margin × 5
//        seeds; 100 → 1000 labels by 100; 30 epochs a round (Adam 1e-3, batch 32); the whole pool
//        scored every round (entropy, margin).
//   cnn  the same with albench's small CNN on a 5,000-image pool and a 2,000-image test set,
//        3 seeds, 100 → 500 labels by 100, trained for a fixed 500 optimiser steps a round
//        (`training.steps`, batch 32, Adam 1e-3), the presets' steps-based recipe;
//        `--cnn-epochs N` trains N epochs a round instead (the protocol before steps existed).
// `--quick`: a smoke-sized version of both (1 seed, 2 strategies, small pool, few epochs).
//
//   npm run bench:study                 both protocols, full size (minutes to an hour: idle machine)
//   npm run bench:study -- --quick      smoke run, under a minute
// Options: --protocols mlp,cnn --backend auto --no-torch --json --cnn-steps 500 | --cnn-epochs N
//          --python /usr/bin/python3 --keep (keep the temporary results directory)
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    protocols: { type: 'string', default: 'mlp,cnn' },
    backend: { type: 'string', default: 'auto' },
    'no-torch': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    'cnn-steps': { type: 'string', default: '500' },
    'cnn-epochs': { type: 'string' },
    python: { type: 'string', default: '/usr/bin/python3' },
    keep: { type: 'boolean', default: false },
  },
});
const log = opts.json ? () => {} : (...a) => console.error(...a);

/** The protocols, in albench's spec shape; the twin reads the same object. */
function protocols(quick, cnnSteps, cnnEpochs) {
  const full = {
    mlp: {
      name: 'study-mlp',
      model: 'mlp',
      dataset: { name: 'fashion-mnist' },
      strategies: ['random', 'entropy', 'margin'],
      seeds: [0, 1, 2, 3, 4],
      initialSize: 100,
      batchSize: 100,
      budget: 1000,
      training: { epochs: 30, batchSize: 32, learningRate: 0.001 },
    },
    cnn: {
      name: 'study-cnn',
      model: 'cnn',
      dataset: { name: 'fashion-mnist', poolSize: 5000, testSize: 2000 },
      strategies: ['random', 'entropy', 'margin'],
      seeds: [0, 1, 2],
      initialSize: 100,
      batchSize: 100,
      budget: 500,
      training: { epochs: 20, batchSize: 32, learningRate: 0.001 },
    },
  };
  const small = {
    mlp: { ...full.mlp, name: 'study-mlp-quick', dataset: { name: 'fashion-mnist', poolSize: 5000, testSize: 1000 }, strategies: ['random', 'entropy'], seeds: [0], budget: 300, training: { ...full.mlp.training, epochs: 5 } },
    cnn: { ...full.cnn, name: 'study-cnn-quick', dataset: { name: 'fashion-mnist', poolSize: 2000, testSize: 500 }, strategies: ['random', 'margin'], seeds: [0], initialSize: 50, batchSize: 50, budget: 150, training: { ...full.cnn.training, epochs: 3 } },
  };
  const chosen = quick ? small : full;
  if (cnnEpochs !== undefined) {
    chosen.cnn = { ...chosen.cnn, training: { ...chosen.cnn.training, epochs: Number(cnnEpochs) } };
  } else {
    // Steps-based: the same number of optimiser steps every round, whatever the labelled count.
    const { epochs: _epochs, ...rest } = chosen.cnn.training;
    chosen.cnn = { ...chosen.cnn, name: `${chosen.cnn.name}-steps`, training: { ...rest, steps: quick ? Math.min(50, Number(cnnSteps)) : Number(cnnSteps) } };
  }
  return chosen;
}

/** albench's spec for a protocol. */
function specOf(p) {
  return {
    name: p.name,
    description: `bench:study protocol ${p.name}`,
    dataset: p.dataset,
    model: p.model,
    matrix: { strategy: p.strategies, budget: p.budget, batchSize: p.batchSize, initialSize: p.initialSize, seed: p.seeds },
    training: p.training,
  };
}

/** CPU seconds of this process's waited-for children (Linux /proc; utime of children + stime). */
function childrenCpuSeconds() {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ", field 3 (state) is index 0: cutime is field 16, cstime field 17.
  const ticks = Number(fields[13]) + Number(fields[14]);
  const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
  return ticks / hz;
}

// One thread for PyTorch's OpenMP and BLAS pools too: torch.set_num_threads(1) alone left a helper
// pool spinning, and PyTorch's CPU seconds came out ~2× its wall time (measured: quick cnn 26.7 s
// CPU for 13.8 s wall; 13.7 s CPU with these set). albench runs one worker per core the same way.
const SINGLE_THREAD = { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

function measure(command, args, label) {
  const before = childrenCpuSeconds();
  const start = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...SINGLE_THREAD } });
  const wall = (performance.now() - start) / 1000;
  const cpu = childrenCpuSeconds() - before;
  if (r.status !== 0) {
    throw new Error(`${label} failed (exit ${r.status}):\n${(r.stderr || r.stdout || '').split('\n').slice(-20).join('\n')}`);
  }
  return { cpu, wall, stdout: r.stdout };
}

function torchAvailable(python) {
  const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const chosen = protocols(opts.quick, opts['cnn-steps'], opts['cnn-epochs']);
const names = opts.protocols.split(',');
for (const n of names) if (!(n in chosen)) throw new Error(`bench-study: unknown protocol '${n}'; allowed: ${Object.keys(chosen).join(', ')}`);
const torch = opts['no-torch'] ? undefined : torchAvailable(opts.python);
if (!opts['no-torch'] && !torch) log(`bench-study: no PyTorch at ${opts.python} (apt-get install -y python3-torch): albench only`);
const cli = resolve(here, '../dist/cli/main.js');
const rows = [];
for (const name of names) {
  const p = chosen[name];
  const dir = mkdtempSync(join(tmpdir(), 'albench-bench-study-'));
  try {
    const spec = join(dir, `${p.name}.json`);
    writeFileSync(spec, JSON.stringify(specOf(p), null, 2));
    log(`${p.name}: albench (1 worker, backend ${opts.backend}) …`);
    const a = measure(process.execPath, [cli, 'run', spec, '--workers', '1', '--backend', opts.backend, '--results', join(dir, 'results')], `albench run ${spec}`);
    const row = { protocol: p.name, albench_cpu_s: +a.cpu.toFixed(2), albench_wall_s: +a.wall.toFixed(2) };
    if (torch) {
      log(`${p.name}: PyTorch ${torch} (1 thread) …`);
      const t = measure(opts.python, [join(here, 'bench_study_torch.py'), '--protocol', JSON.stringify(p)], `bench_study_torch.py ${p.name}`);
      const out = JSON.parse(t.stdout.trim().split('\n').pop());
      Object.assign(row, { torch_cpu_s: +t.cpu.toFixed(2), torch_wall_s: +t.wall.toFixed(2), torch_rounds: out.rounds, ratio: +(t.cpu / a.cpu).toFixed(3) });
    }
    rows.push(row);
  } finally {
    if (opts.keep) log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
if (opts.json) {
  for (const r of rows) console.log(JSON.stringify(r));
} else {
  console.log('protocol              albench CPU s (wall)  PyTorch CPU s (wall)  ratio of CPU s (PyTorch / albench; ≥ 1 = albench cheaper)');
  for (const r of rows) {
    const a = `${r.albench_cpu_s} (${r.albench_wall_s})`;
    const t = r.torch_cpu_s === undefined ? '—' : `${r.torch_cpu_s} (${r.torch_wall_s})`;
    console.log(`${r.protocol.padEnd(22)}${a.padStart(20)}  ${t.padStart(20)}  ${r.ratio === undefined ? '—' : `${r.ratio.toFixed(2)}×`}`);
  }
}
