/**
 * Claim files: `<resultsDir>/claims/<cellId>.json` says "this process is running this cell", so
 * two runners on one results directory (overlapping shards, a user starting a second run, a Slurm
 * task requeued while its old incarnation lingers) never run the same cell at once.
 *
 * A claim is created with link(2) from a fully written temp file: link fails with EEXIST if the
 * claim exists, atomically, also over NFS, where O_EXCL historically was not. A reader therefore
 * never sees a half-written claim.
 *
 * Stale claims (their owner was killed) are recovered:
 * - same host: the owner pid is dead, or its heartbeat is older than the timeout (pid reused);
 * - same Slurm job and array task (a requeued task resumes its own cells at once, on any node);
 * - another host: only once its heartbeat (the file's mtime, refreshed by the owner) is older than
 *   the timeout, since we cannot see processes there.
 * Breaking a claim is serialised by a second link-created `.break` file, and the breaker re-reads
 * the claim before removing it, so two recoverers can never delete a claim a third just made.
 */
import { linkSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { HOST, removeQuietly, sweepTempFiles, tempPathFor } from './atomic.js';
import { isProcessAlive } from './process-alive.js';

/** What a claim file holds. */
export interface ClaimInfo {
  readonly cellId: string;
  readonly host: string;
  readonly pid: number;
  /** Slurm `<jobId>_<taskId>` (or plain job id) of the owner, when it runs under Slurm. */
  readonly slurmTask?: string;
  /** Unique per claim, so a breaker can tell "the claim I judged stale" from a fresh one. */
  readonly nonce: string;
  readonly claimedAt: string;
}

export interface ClaimOptions {
  /** A claim whose heartbeat is older than this is stale (ms). */
  readonly staleAfterMs: number;
  /** Who we are; defaults to this process. Tests pass other identities. */
  readonly self?: Pick<ClaimInfo, 'host' | 'pid' | 'slurmTask'>;
  readonly now?: () => number;
}

export type ClaimOutcome =
  | { readonly claimed: true; readonly release: () => void; readonly recovered?: ClaimInfo }
  | { readonly claimed: false; readonly holder: ClaimInfo | undefined };

/** A break lock older than this belongs to a breaker that died in its few-millisecond window. */
const BREAK_LOCK_STALE_MS = 60_000;

export function claimsDir(resultsDir: string): string {
  return join(resultsDir, 'claims');
}

export function claimPath(resultsDir: string, cellId: string): string {
  return join(claimsDir(resultsDir), `${cellId}.json`);
}

/** The Slurm task this process runs as, if any; a requeued task keeps its job and task ids. */
export function currentSlurmTask(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const job = env.SLURM_ARRAY_JOB_ID ?? env.SLURM_JOB_ID;
  if (!job) return undefined;
  return env.SLURM_ARRAY_TASK_ID !== undefined ? `${job}_${env.SLURM_ARRAY_TASK_ID}` : job;
}

function selfOf(options: ClaimOptions): Pick<ClaimInfo, 'host' | 'pid' | 'slurmTask'> {
  return options.self ?? { host: HOST, pid: process.pid, slurmTask: currentSlurmTask() };
}

/** Tries to claim a cell. Never blocks: a cell held by a live runner is reported, not waited for. */
export function tryClaim(resultsDir: string, cellId: string, options: ClaimOptions): ClaimOutcome {
  const dir = claimsDir(resultsDir);
  mkdirSync(dir, { recursive: true });
  const path = claimPath(resultsDir, cellId);
  const self = selfOf(options);
  const info: ClaimInfo = { cellId, ...self, nonce: randomBytes(8).toString('hex'), claimedAt: new Date().toISOString() };
  let recovered: ClaimInfo | undefined;
  // Two attempts: the second follows the removal of a stale claim.
  for (let attempt = 0; attempt < 2; attempt++) {
    if (linkNew(path, `${JSON.stringify(info)}\n`)) {
      return { claimed: true, release: () => releaseClaim(path, info.nonce), recovered };
    }
    const holder = readClaim(path);
    if (holder === 'gone') continue;
    if (!isStale(holder, path, self, options)) return { claimed: false, holder: holder ?? undefined };
    if (!breakClaim(path, holder, self)) return { claimed: false, holder: holder ?? undefined };
    recovered = holder ?? undefined;
  }
  return { claimed: false, holder: undefined };
}

/** Refreshes the heartbeat (mtime) of claims we hold; owners call this periodically. */
export function touchClaim(resultsDir: string, cellId: string, now = new Date()): void {
  try {
    utimesSync(claimPath(resultsDir, cellId), now, now);
  } catch {
    // Released meanwhile, or broken by someone who thought us dead; the result file decides anyway.
  }
}

/**
 * Removes what killed runners left behind: temp files (see `sweepTempFiles`) and stale claims. A
 * runner killed after its worker stored a result but before it released the claim leaves a claim
 * on a finished cell, which nobody would otherwise ever claim, and so never clean up.
 */
export function sweepAbandoned(resultsDir: string, staleAfterMs: number): string[] {
  const removed = [
    ...sweepTempFiles(claimsDir(resultsDir), staleAfterMs),
    ...sweepTempFiles(join(resultsDir, 'cells'), staleAfterMs),
    ...sweepTempFiles(resultsDir, staleAfterMs),
  ];
  let names: string[];
  try {
    names = readdirSync(claimsDir(resultsDir));
  } catch {
    return removed;
  }
  const self = selfOf({ staleAfterMs });
  for (const name of names.filter((n) => n.endsWith('.json') && !n.startsWith('.'))) {
    const path = join(claimsDir(resultsDir), name);
    const holder = readClaim(path);
    if (holder === 'gone' || !isStale(holder, path, self, { staleAfterMs })) continue;
    if (breakClaim(path, holder, self)) removed.push(path);
  }
  return removed;
}

/** Creates `path` with `content` iff it does not exist, atomically; false if it exists. */
function linkNew(path: string, content: string): boolean {
  const tmp = tempPathFor(path);
  try {
    writeFileSync(tmp, content);
    linkSync(tmp, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    removeQuietly(tmp);
  }
}

/** The claim's content; `null` if unparseable (judged by age alone), `'gone'` if it vanished. */
function readClaim(path: string): ClaimInfo | null | 'gone' {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 'gone';
  }
  try {
    const parsed = JSON.parse(text) as ClaimInfo;
    return typeof parsed.pid === 'number' && typeof parsed.host === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

function heartbeatAgeMs(path: string, now: number): number {
  try {
    return now - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

/** Whether a claim's owner is gone (see the file header for the rules). */
export function isStale(
  holder: ClaimInfo | null,
  path: string,
  self: Pick<ClaimInfo, 'host' | 'pid' | 'slurmTask'>,
  options: ClaimOptions,
): boolean {
  const age = heartbeatAgeMs(path, (options.now ?? Date.now)());
  if (age > options.staleAfterMs) return true;
  if (holder === null) return false; // Unreadable but recent: treat as held until it ages out.
  if (holder.slurmTask !== undefined && holder.slurmTask === self.slurmTask && holder.pid !== self.pid) return true;
  if (holder.host === self.host) return holder.pid !== self.pid && !isProcessAlive(holder.pid);
  return false;
}

/** Removes a stale claim under the break lock, after checking it is still the one judged stale. */
function breakClaim(path: string, judged: ClaimInfo | null, self: Pick<ClaimInfo, 'host' | 'pid'>): boolean {
  const lock = `${path}.break`;
  if (!linkNew(lock, `${JSON.stringify({ host: self.host, pid: self.pid })}\n`)) {
    if (heartbeatAgeMs(lock, Date.now()) > BREAK_LOCK_STALE_MS) removeQuietly(lock);
    return false;
  }
  try {
    const current = readClaim(path);
    if (current === 'gone') return true;
    const same = judged === null ? current === null : current !== null && current.nonce === judged.nonce;
    if (!same) return false;
    removeQuietly(path);
    return true;
  } finally {
    removeQuietly(lock);
  }
}

/** Removes our own claim; leaves it alone if someone broke it and claimed anew meanwhile. */
function releaseClaim(path: string, nonce: string): void {
  const current = readClaim(path);
  if (current !== 'gone' && current !== null && current.nonce === nonce) removeQuietly(path);
}
