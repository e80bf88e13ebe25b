import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BACKEND_NAMES, initBackend, type BackendChoice } from '../backend/index.js';
import { canonicalJson } from '../spec/canonical.js';
import { checkStudyAgainstData } from '../spec/check-data.js';
import { loadStudy } from '../spec/load.js';
import { cellCost, roundSizes } from '../runner/cost.js';
import { planDerivations } from '../runner/budget-prefix.js';
import { hasTrainingNeeds } from '../loop/training-needs.js';
import { round0Savings } from '../loop/round0-cache.js';
import { createStrategy } from '../strategies/registry.js';
import { pendingCells } from '../runner/run-study.js';
import { measureTrainingThroughput } from '../runner/throughput.js';
import { availableParallelism } from 'node:os';
import { formatSeconds } from './progress.js';
import { resolveCacheDir } from '../selfsup/cache.js';
import { encoderJobs, isCached, measurePretrainThroughput, pretrainCost } from '../selfsup/plan.js';
import { modelLabel } from '../models/model-params.js';

interface PlanArgs {
  spec: string;
  results?: string;
  workers: number;
  backend: BackendChoice;
  calibrate: boolean;
  'data-dir'?: string;
  cells: boolean;
}

export const planCommand: CommandModule<object, PlanArgs> = {
  command: 'plan <spec>',
  describe: 'Show the cells a spec expands to, what is already done, and an estimate of the run time',
  builder: (y: Argv) =>
    y
      .positional('spec', { type: 'string', demandOption: true })
      .option('results', { type: 'string', describe: 'Results directory [default: results/<study name>]' })
      .option('workers', { type: 'number', default: availableParallelism(), describe: 'Workers the estimate assumes' })
      .option('backend', { choices: BACKEND_NAMES, default: 'auto' as BackendChoice })
      .option('calibrate', { type: 'boolean', default: true, describe: 'Measure training speed here (a few seconds) to estimate time' })
      .option('cells', { type: 'boolean', default: false, describe: 'List every cell' })
      .option('data-dir', { type: 'string' }) as Argv<PlanArgs>,
  handler: async (args) => {
    const study = await loadStudy(args.spec);
    const datasets = await checkStudyAgainstData(study, args.spec, args['data-dir']);
    const resultsDir = args.results ?? join('results', study.name);
    const { pending, skipped, keptFailed } = pendingCells(study, { resultsDir });
    const out: string[] = [`study ${study.name}: ${study.cells.length} cells (${skipped} done, ${keptFailed} failed, ${pending.length} pending) in ${resultsDir}`];
    for (const [axis, values] of Object.entries(study.axes)) {
      out.push(`  ${axis.padEnd(14)} ${values.map((v) => (v !== null && typeof v === 'object' ? canonicalJson(v) : String(v))).join(', ')}`);
    }
    // Smaller-budget cells are cut from larger ones (runner/budget-prefix.ts): they cost nothing.
    const derivable = planDerivations(study.cells);
    const toRun = pending.filter((c) => !derivable.has(c.id));
    const rounds = toRun.reduce((s, c) => s + roundSizes(c).length, 0);
    const work = (cells: readonly typeof pending[number][]) => cells.reduce((s, c) => s + cellCost(c), 0);
    out.push(`pending work: ${rounds} AL rounds, ${work(toRun).toLocaleString('en')} training example-passes`);
    if (toRun.length < pending.length) {
      const saved = 1 - work(toRun) / work(pending);
      out.push(`  ${pending.length - toRun.length} smaller-budget cells are cut from larger ones: ${(100 * saved).toFixed(1)} % of training saved (--no-reuse runs them)`);
    }
    // Strategies without training-time needs load the round-0 model of the first cell with their key.
    const round0Saved = round0Savings(toRun, (c) => !c.plugin && !c.command && !hasTrainingNeeds(createStrategy(c.strategy, c.strategyParams)));
    if (round0Saved > 0) {
      out.push(`  round-0 models trained once per seed and setting: a further ${(100 * round0Saved / work(pending)).toFixed(1)} % of training saved (--no-reuse trains each)`);
    }
    // selfsup cells share one encoder per (dataset, encoder config, seed), pretrained once and cached.
    const jobs = encoderJobs(pending);
    const trainRows = (job: (typeof jobs)[number]) => datasets.get(canonicalJson(job.dataset))!.train.n;
    if (jobs.length) {
      const views = jobs.reduce((s, j) => s + pretrainCost(j, trainRows(j)), 0);
      out.push(`one-off selfsup pretraining: ${jobs.length} encoder${jobs.length === 1 ? '' : 's'} (one per dataset, encoder config and seed), ${views.toLocaleString('en')} augmented views if none is cached yet`);
    }

    if (args.calibrate && pending.length > 0) {
      const backend = await initBackend(args.backend);
      let seconds = 0;
      const speeds = new Map<string, number>();
      for (const cell of toRun) {
        const data = datasets.get(canonicalJson(cell.dataset))!;
        // selfsup heads train on [d] embeddings, not on the images.
        const shape = cell.representation ? [cell.representation.embeddingDim] : data.shape;
        const key = `${modelLabel(cell.model)}|${canonicalJson(cell.dataset)}|${cell.training.batchSize}|${shape.join('x')}`;
        if (!speeds.has(key)) speeds.set(key, await measureTrainingThroughput(cell.model, shape, data.numClasses, cell.training));
        seconds += cellCost(cell) / speeds.get(key)!;
      }
      // Shared round-0 models are loaded, not trained (an average over models is close enough here).
      seconds *= 1 - round0Saved / Math.max(1, work(toRun));
      for (const [key, speed] of speeds) out.push(`  measured ${key.split('|')[0]} training on ${backend}: ${Math.round(speed).toLocaleString('en')} examples/s`);
      if (jobs.length) {
        const cacheDir = resolveCacheDir(resultsDir);
        const todo = jobs.filter((j) => !isCached(j, datasets.get(canonicalJson(j.dataset))!, backend, cacheDir));
        let pretrainSeconds = 0;
        const pretrainSpeeds = new Map<string, number>();
        for (const job of todo) {
          const data = datasets.get(canonicalJson(job.dataset))!;
          const key = `${data.shape.join('x')}|${canonicalJson(job.config)}`;
          if (!pretrainSpeeds.has(key)) pretrainSpeeds.set(key, await measurePretrainThroughput(data.shape, job.config));
          pretrainSeconds += pretrainCost(job, data.train.n) / pretrainSpeeds.get(key)!;
        }
        for (const speed of pretrainSpeeds.values()) out.push(`  measured selfsup pretraining on ${backend}: ${Math.round(speed).toLocaleString('en')} views/s`);
        // Different encoders pretrain in parallel on different workers; one encoder runs on one.
        const wall = todo.length ? pretrainSeconds / Math.min(args.workers, todo.length) : 0;
        out.push(`selfsup encoders: ${jobs.length - todo.length} cached in ${cacheDir}, ${todo.length} to pretrain: about ${formatSeconds(wall)} on ${args.workers} workers`);
        seconds += wall * Math.min(args.workers, pending.length);
      }
      out.push(`estimated time: ${formatSeconds(seconds / Math.min(args.workers, pending.length))} on ${args.workers} workers (training only; scoring and start-up add a little)`);
    }
    if (args.cells) for (const c of study.cells) out.push(`  ${c.id} ${c.strategy} ${c.dataset.name}/${modelLabel(c.model)} budget=${c.budget} batch=${c.batchSize} init=${c.initialSize} seed=${c.seed}`);
    process.stdout.write(`${out.join('\n')}\n`);
  },
};
