import { join } from 'node:path';
import type { Argv, CommandModule } from 'yargs';
import { BACKEND_NAMES, initBackend, type BackendChoice } from '../backend/index.js';
import { canonicalJson } from '../spec/canonical.js';
import { checkStudyAgainstData } from '../spec/check-data.js';
import { loadStudy } from '../spec/load.js';
import { cellCost, roundSizes } from '../runner/cost.js';
import { planDerivations } from '../runner/budget-prefix.js';
import { hasTrainingNeeds } from '../loop/training-needs.js';
import { round0Key, round0Savings } from '../loop/round0-cache.js';
import { createStrategy } from '../strategies/registry.js';
import { pendingCells } from '../runner/run-study.js';
import { measureInferenceThroughput, measurePretrainSpeed, measureQuerySeconds, measureRoundSpeed, measureTrainingThroughput } from '../runner/throughput.js';
import { estimateCellSeconds, interpolateQuery, queryTrainingsOf, studyWallSeconds, tuneSeconds, type RoundSpeed, type SharedWork } from '../runner/time-estimate.js';
import { tuneKey } from '../loop/tune-cache.js';
import type { ModelSetting, ResolvedCell } from '../spec/types.js';
import { modelLabel } from '../models/model-params.js';
import { availableParallelism } from 'node:os';
import { formatSeconds } from './progress.js';
import { resolveCacheDir } from '../selfsup/cache.js';
import { encoderConfigOf, encoderJobs, isCached, jobKey, pretrainSeconds, pretrainViews, readCachedFeatures, type EncoderJob, type PretrainSpeed } from '../selfsup/plan.js';
import type { Matrix, Strategy } from '../strategies/strategy.js';

/** `--workers` given once or repeated (yargs then hands over an array). */
function workerCounts(given: number | readonly number[]): number[] {
  const counts = (Array.isArray(given) ? given : [given]).map(Number);
  for (const n of counts) if (!Number.isInteger(n) || n < 1) throw new Error(`--workers: ${n} is not a whole number ≥ 1`);
  return counts;
}

interface PlanArgs {
  spec: string;
  results?: string;
  workers: number | number[];
  backend: BackendChoice;
  calibrate: boolean;
  'calibrate-queries': boolean;
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
      .option('workers', { type: 'number', default: availableParallelism(), describe: 'Workers the estimate assumes; repeat for one estimate each (e.g. --workers 2 --workers 64 for one machine and a Slurm array of 64 CPUs)' })
      .option('backend', { choices: BACKEND_NAMES, default: 'auto' as BackendChoice })
      .option('calibrate', { type: 'boolean', default: true, describe: 'Measure training speed here (a few seconds) to estimate time' })
      .option('calibrate-queries', { type: 'boolean', default: true, describe: 'Also time one whole query per strategy and batch size at its first and last labelled size (tens of seconds); otherwise count its trainings and forward passes only' })
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
    // One-time work: the selfsup encoders of representation cells and of strategies on self-supervised
    // features, one per dataset × encoder settings × seed, pretrained once and cached (selfsup/plan.ts).
    const strategies = new Map<string, Strategy | undefined>();
    const strategyOf = (c: ResolvedCell) => {
      if (!strategies.has(c.id)) strategies.set(c.id, c.plugin || c.command ? undefined : createStrategy(c.strategy, c.strategyParams));
      return strategies.get(c.id);
    };
    const jobs = encoderJobs(toRun, strategyOf);
    const dataOf = (job: EncoderJob) => datasets.get(canonicalJson(job.dataset))!;
    if (jobs.length) {
      const views = jobs.reduce((s, j) => s + pretrainViews(j, dataOf(j).train.n), 0);
      const users = [...new Set(toRun.filter((c) => encoderConfigOf(c, c.representation ? undefined : strategyOf(c))).map((c) => (c.representation ? 'representation selfsup' : c.strategy)))];
      out.push(
        `one-time selfsup pretraining: ${jobs.length} encoder${jobs.length === 1 ? '' : 's'} (one per dataset × encoder settings × seed, shared by ${users.join(', ')}), ` +
          `${views.toLocaleString('en')} augmented views if none is cached yet`,
      );
    }

    if (args.calibrate && pending.length > 0) {
      const backend = await initBackend(args.backend);
      const total = { train: 0, queryTraining: 0, scoring: 0, query: 0 };
      const cellSeconds: number[] = [];
      const jobCells = new Map<string, number[]>(jobs.map((j) => [jobKey(j), []]));
      // `training.tune`: one choice per seed and setting (loop/tune-cache.ts), one-time work like an encoder.
      const tunes = new Map<string, { seconds: number; cells: number[] }>();
      const querySpeeds = new Map<string, { first: number; last: number }>();
      const roundSpeeds = new Map<string, RoundSpeed>();
      const trainSpeeds = new Map<string, number>();
      const inferSpeeds = new Map<string, number>();
      const measured: string[] = [];
      const memo = async <T>(map: Map<string, T>, key: string, measure: () => Promise<T>, describe: (v: T) => string) => {
        if (!map.has(key)) {
          map.set(key, await measure());
          measured.push(describe(map.get(key)!));
        }
        return map.get(key)!;
      };
      // The encoders first: cached ones cost 0 and lend their features to the query timings; the
      // others are estimated from a short pretraining per dataset and encoder settings, whose
      // encoder embeds the pool as stand-in features (a query's cost does not hinge on the seed).
      const cacheDir = resolveCacheDir(resultsDir);
      const setting = (j: EncoderJob) => canonicalJson({ dataset: j.dataset, config: j.config });
      const cached = new Set(jobs.filter((j) => isCached(j, dataOf(j), backend, cacheDir)).map(jobKey));
      const timesQueries = (c: ResolvedCell) => args['calibrate-queries'] && !c.representation && encoderConfigOf(c, strategyOf(c)) !== undefined;
      const pretrainSpeeds = new Map<string, { speed: PretrainSpeed; features?: Matrix }>();
      const queryFeatures = new Map<string, Matrix>();
      for (const job of jobs) {
        const key = setting(job);
        if (queryFeatures.has(key) && cached.has(jobKey(job))) continue;
        const standIn = !queryFeatures.has(key) && toRun.some((c) => timesQueries(c) && setting({ dataset: c.dataset, config: encoderConfigOf(c, strategyOf(c))!, seed: c.seed }) === key);
        const fromCache = standIn && cached.has(jobKey(job)) ? readCachedFeatures(job, dataOf(job), backend, cacheDir) : undefined;
        if (fromCache) queryFeatures.set(key, fromCache);
        if (cached.has(jobKey(job)) || pretrainSpeeds.has(key)) continue;
        const m = await measurePretrainSpeed(dataOf(job), job.config, standIn && !queryFeatures.has(key));
        pretrainSpeeds.set(key, m);
        if (m.features && !queryFeatures.has(key)) queryFeatures.set(key, m.features);
        measured.push(
          `selfsup pretraining (${job.config.epochs} epochs, batch ${job.config.batchSize}, d ${job.config.embeddingDim}) on ${job.dataset.name}: ` +
            `${Math.round(m.speed.viewsPerSecond).toLocaleString('en')} views/s (two steps on the pool's images), embedding ${Math.round(m.speed.embedRowsPerSecond).toLocaleString('en')} images/s`,
        );
      }
      // Which cells load a shared round-0 model instead of training it: all but the first of each key.
      const round0Seen = new Set<string>();
      for (const cell of toRun) {
        const data = datasets.get(canonicalJson(cell.dataset))!;
        const strategy = cell.plugin ? undefined : strategyOf(cell) ?? createStrategy(cell.strategy, cell.strategyParams);
        const encoder = encoderConfigOf(cell, cell.representation ? undefined : strategy);
        if (encoder) jobCells.get(jobKey({ dataset: cell.dataset, config: encoder, seed: cell.seed }))!.push(cellSeconds.length);
        const features = encoder && !cell.representation ? queryFeatures.get(canonicalJson({ dataset: cell.dataset, config: encoder })) : undefined;
        const selfsup = features && (async () => features);
        const shares = strategy !== undefined && !hasTrainingNeeds(strategy);
        const key0 = round0Key(cell);
        const round0Loaded = shares && round0Seen.has(key0);
        if (shares) round0Seen.add(key0);
        // selfsup heads train on [d] embeddings, not on the images: plain training of that shape.
        const shape = cell.representation ? [cell.representation.embeddingDim] : data.shape;
        const dataKey = `${canonicalJson(cell.dataset)}|${shape.join('x')}`;
        const trainSpeed = async (model: ModelSetting) =>
          memo(trainSpeeds, `${modelLabel(model)}|${dataKey}|${cell.training.batchSize}`, () => measureTrainingThroughput(model, shape, data.numClasses, cell.training),
            (v) => `${modelLabel(model)} plain training: ${Math.round(v).toLocaleString('en')} examples/s`);
        const inferSpeed = async (model: ModelSetting) =>
          memo(inferSpeeds, `${modelLabel(model)}|${dataKey}`, () => measureInferenceThroughput(model, shape, data.numClasses),
            (v) => `${modelLabel(model)} forward passes: ${Math.round(v).toLocaleString('en')} rows/s`);
        const { id: _id, strategy: _s, strategyParams: _p, plugin: _pl, seed: _seed, budget: _b, initialSize: _i, batchSize: _bs, ...setup } = cell;
        const round = cell.representation
          ? { fixed: 0, perStep: 0, perExampleEpoch: 1 / (await trainSpeed(cell.model)) }
          : await memo(roundSpeeds, canonicalJson({ ...setup, training: { ...cell.training, epochs: 0 } }), () => measureRoundSpeed(cell, data),
              (v) => `${modelLabel(cell.model)} round (aug ${canonicalJson(cell.augmentation)}, ssl ${canonicalJson(cell.ssl)}${cell.protocol ? `, protocol ${canonicalJson(cell.protocol)}` : ''}): ${v.fixed.toFixed(2)} s + per epoch ${(v.perStep * 1e3).toFixed(1)} ms a step + ${(v.perExampleEpoch * 1e6).toFixed(0)} µs a labelled example`);
        if (cell.training.tune) {
          const key = tuneKey(cell);
          if (!tunes.has(key)) tunes.set(key, { seconds: tuneSeconds(cell, round), cells: [] });
          tunes.get(key)!.cells.push(cellSeconds.length);
        }
        // Models by label: a model with parameters is an object, and equal settings must share one speed.
        const models = new Map<string, ModelSetting>([cell.model, ...(strategy ? queryTrainingsOf(cell, strategy).map((t) => t.model) : [])].map((m) => [modelLabel(m), m]));
        const train = new Map<string, number>();
        const infer = new Map<string, number>();
        for (const [label, m] of models) {
          train.set(label, await trainSpeed(m));
          infer.set(label, await inferSpeed(m));
        }
        // A whole query, measured at the first and the last querying size, for strategies whose
        // context the loop builds outside training (random's query is free: nothing to measure).
        const sizes = roundSizes(cell);
        // A strategy on selfsup features is timed only with features at hand (cached or stand-in): the
        // default provider would pretrain the encoder inside the timer, a one-time cost counted above.
        const measurable = args['calibrate-queries'] && strategy && !cell.representation && !hasTrainingNeeds(strategy) && strategy.needs.size > 0 && sizes.length > 1 && (!encoder || selfsup);
        const from = sizes[0];
        const to = sizes[sizes.length - 2];
        const measuredQuery = measurable
          ? await memo(querySpeeds, canonicalJson({ dataset: cell.dataset, model: cell.model, training: cell.training, strategy: cell.strategy, strategyParams: cell.strategyParams, batchSize: cell.batchSize, from, to }),
              async () => ({ first: await measureQuerySeconds(cell, data, strategy, from, selfsup), last: await measureQuerySeconds(cell, data, strategy, to, selfsup) }),
              (q) => `${cell.strategy} query (batch ${cell.batchSize}${selfsup ? ', encoder features ready' : ''}): ${q.first.toFixed(2)} s at ${from} labels, ${q.last.toFixed(2)} s at ${to}`)
          : undefined;
        const query = measuredQuery && interpolateQuery([from, measuredQuery.first], [to, measuredQuery.last]);
        // A plugin's needs are only known once its module loads in a worker: count it as a plain strategy.
        const e = estimateCellSeconds(cell, strategy ?? { name: cell.strategy, needs: new Set(['probs']), select: () => Promise.reject(new Error('not run')) },
          { trainRows: data.train.n, testRows: data.test.n },
          { round, train: (m) => train.get(modelLabel(m))!, infer: (m) => infer.get(modelLabel(m))!, query }, round0Loaded);
        total.train += e.train;
        total.queryTraining += e.queryTraining;
        total.scoring += e.scoring;
        total.query += e.query;
        cellSeconds.push(e.total);
      }
      for (const line of measured) out.push(`  measured on ${backend}: ${line}`);
      // One-time work, each encoder once: 0 when cached, else estimated from its setting's measured speeds.
      const shared = jobs.map((job) => {
        const m = pretrainSpeeds.get(setting(job));
        const seconds = cached.has(jobKey(job)) || !m ? 0 : pretrainSeconds(job, { trainRows: dataOf(job).train.n, testRows: dataOf(job).test.n }, m.speed);
        return { job, seconds, cells: jobCells.get(jobKey(job))! };
      });
      const oneTime = shared.reduce((s, w) => s + w.seconds, 0);
      const tuning = [...tunes.values()].reduce((s, w) => s + w.seconds, 0);
      if (tunes.size) {
        const t = toRun.find((c) => c.training.tune)!.training.tune!;
        out.push(
          `one-time tuning (training.tune): ${tunes.size} choice${tunes.size === 1 ? '' : 's'} (one per seed and setting, shared by its strategies), ` +
            `${t.learningRate.length * t.weightDecay.length * t.folds} fits each at the measured round speed: about ${formatSeconds(tuning)} CPU in all`,
        );
      }
      const sharedWork: SharedWork[] = [...shared, ...tunes.values()];
      if (jobs.length) {
        const todo = shared.filter((w) => !cached.has(jobKey(w.job)));
        const each = [...new Set(todo.map((w) => formatSeconds(w.seconds)))].join(' / ');
        out.push(
          `selfsup encoders: ${jobs.length - todo.length} cached in ${cacheDir}${todo.length < jobs.length ? ' (cost 0)' : ''}, ${todo.length} to pretrain: about ${formatSeconds(oneTime)} CPU in all` +
            (todo.length ? ` (${each} each, estimated: epochs × pool size × 2 views at the measured pretraining speed, then the pool and test set embedded once)` : ''),
        );
      }
      // One line per worker count asked for: one machine and a cluster array from the same measurements.
      for (const workers of workerCounts(args.workers)) {
        const parallel = Math.max(1, Math.min(workers, cellSeconds.length));
        const wall = studyWallSeconds(cellSeconds, sharedWork, workers);
        const share = (x: number) => `${formatSeconds(x / parallel)}`;
        out.push(
          `estimated time: ${formatSeconds(wall.seconds)} on ${workers} workers ` +
            `(training and evaluation ${share(total.train)}, measured queries ${share(total.query)}, counted queries: models trained at query time ${share(total.queryTraining)} and pool scoring ${share(total.scoring)}` +
            `${jobs.length ? `; one-time selfsup pretraining ${share(oneTime)}` : ''}${tunes.size ? `; one-time tuning ${share(tuning)}` : ''}; ` +
            `CPU time per worker, assuming a core each; start-up not counted` +
            `${wall.bound === 'chain' ? '; bound by the longest chain of one-time work (an encoder, a tuning) and the longest cell that needs it, or the longest cell' : ''})`,
        );
      }
    }
    if (args.cells) for (const c of study.cells) out.push(`  ${c.id} ${c.strategy} ${c.dataset.name}/${c.model} budget=${c.budget} batch=${c.batchSize} init=${c.initialSize} seed=${c.seed}`);
    process.stdout.write(`${out.join('\n')}\n`);
  },
};
