/**
 * Chaos test of kill-and-resume: runs a study once uninterrupted (the reference), then again while
 * SIGKILLing the whole process tree (scheduler and workers, one process group) at seeded random
 * moments, N times, resuming after each kill; then lets it finish. It checks that
 *   - after every kill, every result file is complete JSON (atomic writes: no partial files);
 *   - the final results equal the reference cell by cell, apart from timing fields;
 *   - no temp file or claim is left behind, and no cell is missing ("cells lost" must be 0).
 * Prints a human summary and, last, one JSON line with the figures. Exit 0 only if all checks pass.
 *
 * Usage: node scripts/chaos-kill.mjs <spec> [--kills N] [--seed S] [--workers W] [--dir DIR]
 *   --kills   kills to deliver (default 8)    --seed  seeds the kill moments (default 1)
 *   --workers worker processes (default 2)   --dir   working directory (default: a new temp dir)
 * Needs the built CLI (npm run build).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const CLI = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
/**
 * Fields that legitimately differ between runs: src/store/schema.ts TIMING_FIELDS, and
 * `reusedRound0`, which says whether this cell or a concurrent one trained the shared round-0
 * model (src/loop/round0-cache.ts; the weights are the same bits either way).
 */
const TIMING_FIELDS = new Set(['trainMs', 'queryMs', 'startedAt', 'finishedAt', 'reusedRound0']);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { kills: { type: 'string', default: '8' }, seed: { type: 'string', default: '1' }, workers: { type: 'string', default: '2' }, dir: { type: 'string' } },
});
if (positionals.length !== 1) {
  console.error('usage: scripts/chaos-kill <spec> [--kills N] [--seed S] [--workers W] [--dir DIR]');
  process.exit(2);
}
if (!existsSync(CLI)) {
  console.error(`${CLI} is missing: run "npm run build" first`);
  process.exit(2);
}
const spec = positionals[0];
const kills = Number(values.kills);
const workers = values.workers;
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'albench-chaos-'));

/** mulberry32: a tiny seeded PRNG, so the kill moments are reproducible from --seed. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(Number(values.seed));

const runArgs = (results) => ['run', spec, '--results', results, '--workers', workers];

function resultFiles(results) {
  const cells = join(results, 'cells');
  return existsSync(cells) ? readdirSync(cells).filter((f) => f.endsWith('.json') && !f.startsWith('.')) : [];
}

/** Temp files and claims anywhere in the results directory. */
function debris(results) {
  const found = [];
  for (const sub of ['', 'cells', 'claims']) {
    const d = join(results, sub);
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) {
      if (f.startsWith('.albench-tmp-') || (sub === 'claims' && f !== '')) found.push(join(d, f));
    }
  }
  return found;
}

function strip(value) {
  if (Array.isArray(value)) return value.map(strip);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !TIMING_FIELDS.has(k)).map(([k, v]) => [k, strip(v)]));
  }
  return value;
}

/** Resolves when `results` holds more than `count` result files (polling), or when `exited` settles. */
async function moreResults(results, count, exited) {
  let done = false;
  exited.then(() => (done = true));
  while (!done && resultFiles(results).length <= count) await new Promise((r) => setTimeout(r, 25));
}

// 1. The reference: one uninterrupted run. Its time to the first result (start-up) and the rest
// (the working phase) scale the kill moments.
const reference = join(dir, 'reference');
const t0 = Date.now();
const refChild = spawn(process.execPath, [CLI, ...runArgs(reference)], { stdio: ['ignore', 'ignore', 'pipe'] });
let refStderr = '';
refChild.stderr.on('data', (d) => (refStderr += d));
const refExit = new Promise((resolve) => refChild.once('exit', (code) => resolve(code)));
await moreResults(reference, 0, refExit);
const firstResultMs = Date.now() - t0;
const refCode = await refExit;
const referenceMs = Date.now() - t0;
if (refCode !== 0) {
  console.error(`reference run failed (exit ${refCode}):\n${refStderr}`);
  process.exit(1);
}
const workingMs = Math.max(200, referenceMs - firstResultMs);
const expected = resultFiles(reference);
console.log(`reference: ${expected.length} cells in ${(referenceMs / 1000).toFixed(1)}s (first result after ${(firstResultMs / 1000).toFixed(1)}s)`);

// 2. The chaos run: kill at seeded moments within the reference's wall time, resume, repeat.
const chaos = join(dir, 'chaos');
const problems = [];
let delivered = 0;
let finishedBeforeKill = 0;
for (let k = 0; k < kills; k++) {
  // One kill in five lands at a random moment of start-up (spec check, worker spawn, backend init);
  // the others at a random moment of the working phase, counted from this attempt's first new result,
  // so that every such attempt makes progress and the kill hits cells in flight and writes under way.
  // Each such attempt stores at least one cell, so a study needs more cells than kills.
  // The working-phase delay is the work left shared among the kills left, so that N kills fit in one study.
  const duringStartup = random() < 0.2;
  const before = resultFiles(chaos).length;
  const left = (expected.length - before) / expected.length;
  const delay = Math.round(random() * (duringStartup ? firstResultMs : (workingMs * left) / (kills - k)));
  const child = spawn(process.execPath, [CLI, ...runArgs(chaos)], { detached: true, stdio: 'ignore' });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  if (!duringStartup) await moreResults(chaos, before, exited);
  const timer = new Promise((resolve) => setTimeout(() => resolve('timer'), delay));
  const first = await Promise.race([exited, timer]);
  if (first === 'timer') {
    try {
      process.kill(-child.pid, 'SIGKILL'); // the whole process group: scheduler and its workers
      delivered++;
    } catch {
      // Exited in the same instant.
    }
    await exited;
  } else {
    finishedBeforeKill++;
    if (first.code !== 0) problems.push(`run ${k} exited with ${first.code ?? first.signal} before its kill`);
  }
  // Wait until the killed workers are gone too (they are in the same group).
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(-child.pid, 0);
      await new Promise((r) => setTimeout(r, 20));
    } catch {
      break;
    }
  }
  const done = resultFiles(chaos);
  for (const f of done) {
    try {
      JSON.parse(readFileSync(join(chaos, 'cells', f), 'utf8'));
    } catch (err) {
      problems.push(`after kill ${k}: partial or corrupt result ${f}: ${err.message}`);
    }
  }
  const when = duringStartup ? `${delay}ms after start` : `${delay}ms after its first new result`;
  console.log(`kill ${k + 1}/${kills}: ${first === 'timer' ? `SIGKILL ${when}` : 'run finished first'}; ${done.length}/${expected.length} cells stored`);
  if (done.length === expected.length && first !== 'timer') break;
}

// 3. Let it finish, then compare with the reference.
const final = spawnSync(process.execPath, [CLI, ...runArgs(chaos)], { encoding: 'utf8' });
if (final.status !== 0) problems.push(`final resume exited with ${final.status}: ${final.stderr.trim()}`);
const got = new Set(resultFiles(chaos));
let lost = 0;
let differing = 0;
for (const f of expected) {
  if (!got.has(f)) {
    lost++;
    problems.push(`cell ${f} is missing after resume`);
    continue;
  }
  const a = JSON.stringify(strip(JSON.parse(readFileSync(join(reference, 'cells', f), 'utf8'))));
  const b = JSON.stringify(strip(JSON.parse(readFileSync(join(chaos, 'cells', f), 'utf8'))));
  if (a !== b) {
    differing++;
    problems.push(`cell ${f} differs from the reference beyond timing fields`);
  }
}
for (const f of got) if (!expected.includes(f)) problems.push(`unexpected result ${f}`);
const left = debris(chaos);
for (const f of left) problems.push(`left behind: ${f}`);

const figures = {
  cells: expected.length,
  killsDelivered: delivered,
  killsSurvived: problems.length === 0 ? delivered : 0,
  finishedBeforeKill,
  cellsLost: lost,
  cellsDiffering: differing,
  tempFilesLeft: left.length,
  referenceSeconds: referenceMs / 1000,
  dir,
};
for (const p of problems) console.error(`PROBLEM: ${p}`);
console.log(`${problems.length === 0 ? 'OK' : 'FAILED'}: ${delivered} kills delivered, ${lost} cells lost, ${differing} differing, ${left.length} temp files/claims left`);
console.log(JSON.stringify(figures));
process.exit(problems.length === 0 ? 0 : 1);
