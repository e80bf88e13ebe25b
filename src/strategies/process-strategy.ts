/**
 * Strategies written in another language, run as a child process and spoken to over a pipe:
 * `{ name: my-margin, command: [python3, strategies/my_margin.py], needs: [probs] }` in a spec.
 *
 * It is one more `Strategy`: the loop computes the declared needs as for any strategy, and
 * `select` sends them (pipe-protocol.ts) and reads back the chosen training-set indices, which the
 * loop checks like any other selection. One process serves a whole cell and is stopped by
 * `dispose` when the cell ends. A process that dies, writes anything but response frames to
 * stdout, or does not answer within the timeout fails the cell with a `StrategyProcessError` that
 * says which of the three happened and shows the end of its stderr.
 *
 * Relative paths in `command` resolve against the spec file's folder (like data paths). The first
 * argument that names a file is the script: its SHA-256 is recorded in the cell with the command
 * and the needs, so editing the script gives new cell ids, and a worker refuses to run a script
 * that changed since the study was expanded. Only that file is hashed (as for JS plugins).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { delimiter, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StrategyCommand } from '../spec/types.js';
import { encodeRequest, ProtocolError, ResponseReader, type WireArray } from './pipe-protocol.js';
import { fileSha256 } from './plugin.js';
import { checkBatch, NEED_NAMES, required, type Need, type SelectionContext, type Strategy } from './strategy.js';

/** Needs whose values can cross a pipe (trainModel and jointTraining are callbacks into albench). */
export const PIPE_NEEDS = ['probs', 'labeledProbs', 'mcProbs', 'committeeProbs', 'embeddings', 'gradEmbeddings', 'inputs', 'epochProbs'] as const satisfies readonly Need[];

/** Seconds a process may take for one selection unless the spec sets `timeout`. */
export const DEFAULT_TIMEOUT_SECONDS = 600;

/** The folder of python/albench_strategy.py, put on PYTHONPATH so `from albench_strategy import serve` works uninstalled. */
export const PYTHON_HELPER_DIR = fileURLToPath(new URL('../../python', import.meta.url));

/** A spec's command entry before resolution. */
export interface CommandEntry {
  readonly command: unknown;
  readonly needs?: unknown;
  readonly timeout?: unknown;
}

/** A problem with one field of a command entry. */
export class CommandEntryError extends Error {
  constructor(
    readonly field: 'command' | 'needs' | 'timeout',
    message: string,
  ) {
    super(message);
    this.name = 'CommandEntryError';
  }
}

const looksLikePath = (arg: string) => arg.includes('/') || arg.includes('\\') || /\.(py|r|jl|sh|js|mjs|pl|rb)$/i.test(arg);

/**
 * Resolves a command entry against `baseDir`: path arguments become absolute, the script is
 * hashed, the needs are checked and put in canonical order (so `[embeddings, probs]` and
 * `[probs, embeddings]` are the same cell).
 */
export function resolveCommand(entry: CommandEntry, baseDir: string, baseName = "the spec's directory"): StrategyCommand {
  const { command } = entry;
  if (!Array.isArray(command) || command.length === 0 || !command.every((a) => typeof a === 'string' && a !== '')) {
    throw new CommandEntryError('command', `must be a non-empty list of strings, the program and its arguments (e.g. [python3, my_strategy.py]), got ${JSON.stringify(command)}`);
  }
  let script: string | undefined;
  const argv = (command as string[]).map((arg) => {
    const abs = isAbsolute(arg) ? arg : resolve(baseDir, arg);
    if (existsSync(abs) && statSync(abs).isFile()) {
      script ??= abs;
      return abs;
    }
    if (looksLikePath(arg)) throw new CommandEntryError('command', `${JSON.stringify(arg)} not found (resolved against ${baseName} to ${abs})`);
    return arg;
  });
  if (!script) {
    throw new CommandEntryError('command', `names no script file: give the script's path (relative to the spec file), e.g. [python3, my_strategy.py]; got ${JSON.stringify(command)}`);
  }
  const given = entry.needs === undefined ? [] : entry.needs;
  if (!Array.isArray(given)) throw new CommandEntryError('needs', `must be a list of need names (allowed: ${PIPE_NEEDS.join(', ')}), got ${JSON.stringify(given)}`);
  for (const need of given) {
    if (!(PIPE_NEEDS as readonly unknown[]).includes(need)) {
      const why = (NEED_NAMES as readonly unknown[]).includes(need) ? ' (it is a callback into albench and cannot cross a pipe)' : '';
      throw new CommandEntryError('needs', `unknown need ${JSON.stringify(need)}${why}; allowed: ${PIPE_NEEDS.join(', ')}`);
    }
  }
  const needs = PIPE_NEEDS.filter((n) => given.includes(n));
  let timeout: number | undefined;
  if (entry.timeout !== undefined) {
    const t = entry.timeout;
    if (typeof t !== 'number' || !Number.isFinite(t) || t <= 0 || t > 86_400) {
      throw new CommandEntryError('timeout', `must be the seconds one selection may take, a number > 0 and ≤ 86400, got ${JSON.stringify(t)}`);
    }
    timeout = t;
  }
  return { argv, script, sha256: fileSha256(script), needs, ...(timeout !== undefined ? { timeout } : {}) };
}

/** Why a strategy process failed: it exited, broke the framing, or did not answer in time. */
export type StrategyProcessFailure = 'exited' | 'protocol' | 'timeout' | 'spawn';

/** A strategy process that failed; `kind` says how, the message what it printed to stderr last. */
export class StrategyProcessError extends Error {
  constructor(
    readonly kind: StrategyProcessFailure,
    message: string,
  ) {
    super(message);
    this.name = 'StrategyProcessError';
  }
}

const STDERR_TAIL = 4000;

/** The arrays of one request: the indices, the revealed labels and each declared need. */
export function requestArrays(ctx: SelectionContext, needs: readonly Need[], name: string, withInputs: boolean): WireArray[] {
  const c = ctx.numClasses;
  const n = ctx.pool.length;
  const arrays: WireArray[] = [
    { name: 'pool', shape: [n], data: ctx.pool },
    { name: 'labeled', shape: [ctx.labeled.length], data: ctx.labeled },
    { name: 'labeled_y', shape: [ctx.labeled.length], data: labelsOf(ctx, name) },
  ];
  for (const need of needs) {
    switch (need) {
      case 'probs':
        arrays.push({ name: 'probs', shape: [n, c], data: required(ctx.probs, name, need) });
        break;
      case 'labeledProbs':
        arrays.push({ name: 'labeled_probs', shape: [ctx.labeled.length, c], data: required(ctx.labeledProbs, name, need) });
        break;
      case 'mcProbs': {
        const v = required(ctx.mcProbs, name, need);
        arrays.push({ name: 'mc_probs', shape: [v.passes, n, c], data: v.data });
        break;
      }
      case 'committeeProbs': {
        const v = required(ctx.committeeProbs, name, need);
        arrays.push({ name: 'committee_probs', shape: [v.members, n, c], data: v.data });
        break;
      }
      case 'embeddings': {
        const e = required(ctx.embeddings, name, need);
        const l = required(ctx.labeledEmbeddings, name, need);
        arrays.push({ name: 'embeddings', shape: [e.rows, e.dim], data: e.data }, { name: 'labeled_embeddings', shape: [l.rows, l.dim], data: l.data });
        break;
      }
      case 'gradEmbeddings': {
        const g = required(ctx.gradEmbeddings, name, need);
        arrays.push(
          { name: 'grad_scale', shape: [g.scale.rows, g.scale.dim], data: g.scale.data },
          { name: 'grad_features', shape: [g.features.rows, g.features.dim], data: g.features.data },
        );
        break;
      }
      case 'inputs': {
        // The training inputs do not change between rounds: sent once, kept by the helper.
        if (!withInputs) break;
        const x = required(ctx.inputs, name, need);
        arrays.push({ name: 'inputs', shape: [x.rows, x.dim], data: x.data });
        break;
      }
      case 'epochProbs': {
        const v = required(ctx.epochProbs, name, need);
        arrays.push({ name: 'epoch_probs', shape: [v.epochs, n, c], data: v.data });
        break;
      }
      default:
        throw new Error(`need ${need} cannot be sent to a strategy process`);
    }
  }
  return arrays;
}

function labelsOf(ctx: SelectionContext, name: string): Int32Array {
  if (!ctx.labeledY) throw new Error(`strategy ${name}: the context holds no revealed labels (labeledY) to send`);
  return ctx.labeledY;
}

/** The child process of one cell, with its pending answer. */
class StrategyProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly reader = new ResponseReader();
  private stderr = '';
  private pending?: { resolve: (v: unknown) => void; reject: (e: Error) => void };
  private failure?: StrategyProcessError;
  private exited = false;
  private readonly exit: Promise<void>;

  constructor(
    private readonly label: string,
    argv: readonly string[],
  ) {
    const env = { ...process.env, PYTHONPATH: [PYTHON_HELPER_DIR, process.env.PYTHONPATH].filter(Boolean).join(delimiter), PYTHONUNBUFFERED: '1' };
    this.child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString('utf8')).slice(-STDERR_TAIL);
    });
    this.child.stdout.on('data', (chunk: Buffer) => this.onStdout(chunk));
    // A process that died mid-write gives EPIPE here; the exit handler reports it.
    this.child.stdin.on('error', () => {});
    this.exit = new Promise((done) => {
      this.child.on('error', (err) => {
        this.exited = true;
        this.fail(new StrategyProcessError('spawn', `${this.label}: could not start ${JSON.stringify(argv[0])}: ${err.message}`));
        done();
      });
      this.child.on('close', (code, signal) => {
        this.exited = true;
        const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
        this.fail(new StrategyProcessError('exited', `${this.label} ${how} before answering${this.stderrTail()}`));
        done();
      });
    });
  }

  private stderrTail(): string {
    const text = this.stderr.trim();
    return text ? `; its stderr ends:\n${text.split('\n').slice(-12).join('\n')}` : ' (nothing on stderr)';
  }

  private fail(err: StrategyProcessError): void {
    this.failure ??= err;
    const p = this.pending;
    this.pending = undefined;
    p?.reject(this.failure);
  }

  private onStdout(chunk: Buffer): void {
    this.reader.push(chunk);
    try {
      for (let body = this.reader.next(); body !== undefined; body = this.reader.next()) {
        const p = this.pending;
        if (!p) throw new ProtocolError('answered when nothing was asked');
        this.pending = undefined;
        p.resolve(body);
      }
    } catch (err) {
      const hint = 'print diagnostics to stderr (the albench_strategy helper redirects print() there)';
      this.fail(new StrategyProcessError('protocol', `${this.label} wrote to stdout outside the protocol: ${(err as Error).message}; ${hint}`));
      this.child.kill('SIGKILL');
    }
  }

  /** Sends one request and waits for its answer, at most `timeoutSeconds`. */
  async ask(request: Buffer, timeoutSeconds: number, round: number): Promise<unknown> {
    if (this.failure) throw this.failure;
    const answer = new Promise<unknown>((resolveAnswer, reject) => {
      this.pending = { resolve: resolveAnswer, reject };
    });
    const timer = setTimeout(() => {
      this.fail(new StrategyProcessError('timeout', `${this.label} did not answer round ${round} within ${timeoutSeconds} s (the entry's timeout) and was killed${this.stderrTail()}`));
      this.child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    this.child.stdin.write(request);
    try {
      return await answer;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes stdin (the helper's serve loop ends on EOF) and kills the process if it lingers. */
  async close(): Promise<void> {
    if (this.exited) return;
    this.pending = undefined;
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await this.exit;
    clearTimeout(timer);
  }
}

/** rank[i] = position of pool row i in the permutation (select.ts's tie order). */
function tieRanks(perm: Int32Array): Int32Array {
  const rank = new Int32Array(perm.length);
  for (let p = 0; p < perm.length; p++) rank[perm[p]] = p;
  return rank;
}

/** A `Strategy` whose `select` is answered by the command's process. */
export function processStrategy(name: string, command: StrategyCommand): Strategy {
  const label = `strategy process ${name} (${command.argv.join(' ')})`;
  const needs = command.needs as readonly Need[];
  let proc: StrategyProcess | undefined;
  let sentInputs = false;
  return {
    name,
    needs: new Set(needs),
    async select(ctx, batchSize, rng) {
      checkBatch(ctx, batchSize);
      proc ??= new StrategyProcess(label, command.argv);
      // The stream's first draw is the permutation selectTopK breaks ties with, so a script that
      // sorts by (score, tie_rank) picks exactly what a built-in top-k strategy picks.
      const tieRank = tieRanks(rng.permutation(ctx.pool.length));
      const request = encodeRequest(
        { round: ctx.round, batch_size: batchSize, seed: rng.tfSeed(), num_classes: ctx.numClasses },
        [...requestArrays(ctx, needs, name, !sentInputs), { name: 'tie_rank', shape: [ctx.pool.length], data: tieRank }],
      );
      sentInputs = true;
      const body = await proc.ask(request, command.timeout ?? DEFAULT_TIMEOUT_SECONDS, ctx.round);
      const indices = (body as { indices?: unknown } | null)?.indices;
      if (!Array.isArray(indices)) {
        throw new StrategyProcessError('protocol', `${label} answered ${JSON.stringify(body).slice(0, 200)}; expected {"indices": [training-set indices]}`);
      }
      // The loop checks the batch itself (size, distinct, unlabelled), as for every strategy.
      return { indices: indices as number[] };
    },
    async dispose() {
      const p = proc;
      proc = undefined;
      sentInputs = false;
      await p?.close();
    },
  };
}

/** A cell's process strategy, after checking the script still has the recorded SHA-256. */
export function processStrategyForCell(name: string, command: StrategyCommand): Strategy {
  if (!existsSync(command.script)) throw new Error(`strategy script ${command.script} no longer exists; the cell was expanded from it`);
  const now = fileSha256(command.script);
  if (now !== command.sha256) {
    throw new Error(
      `strategy script ${command.script} changed since the study was expanded (SHA-256 ${now.slice(0, 12)}…, recorded ${command.sha256.slice(0, 12)}…); ` +
        're-run "albench run <spec>" so the changed script gets new cell ids',
    );
  }
  return processStrategy(name, command);
}
