import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HOST, sweepTempFiles, TEMP_PREFIX, writeFileAtomic } from '../../src/store/atomic.js';
import { claimPath, claimsDir, currentSlurmTask, sweepAbandoned, tryClaim, type ClaimInfo } from '../../src/store/claims.js';
import { tempDir } from '../e2e/cli.js';

const MINUTE = 60_000;
/** A pid that certainly belonged to a process that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

function plantClaim(results: string, cellId: string, info: Partial<ClaimInfo>, ageMs = 0): void {
  mkdirSync(claimsDir(results), { recursive: true });
  const path = claimPath(results, cellId);
  writeFileSync(path, JSON.stringify({ cellId, host: HOST, pid: process.pid, nonce: 'planted', claimedAt: '', ...info }));
  const t = new Date(Date.now() - ageMs);
  utimesSync(path, t, t);
}

describe('tryClaim', () => {
  it('claims a free cell once; a second claimant is refused until release', () => {
    const results = tempDir('claims');
    const a = tryClaim(results, 'cell1', { staleAfterMs: MINUTE });
    expect(a.claimed).toBe(true);
    const b = tryClaim(results, 'cell1', { staleAfterMs: MINUTE, self: { host: HOST, pid: process.ppid } });
    expect(b.claimed).toBe(false);
    if (!b.claimed) expect(b.holder?.pid).toBe(process.pid);
    if (a.claimed) a.release();
    expect(existsSync(claimPath(results, 'cell1'))).toBe(false);
    expect(tryClaim(results, 'cell1', { staleAfterMs: MINUTE }).claimed).toBe(true);
    expect(readdirSync(claimsDir(results)).filter((f) => f.startsWith(TEMP_PREFIX))).toEqual([]);
  });

  it('takes over the claim of a dead pid on this host at once', () => {
    const results = tempDir('claims');
    const pid = deadPid();
    plantClaim(results, 'c', { pid });
    const got = tryClaim(results, 'c', { staleAfterMs: MINUTE });
    expect(got.claimed).toBe(true);
    if (got.claimed) expect(got.recovered?.pid).toBe(pid);
    expect((JSON.parse(readFileSync(claimPath(results, 'c'), 'utf8')) as ClaimInfo).pid).toBe(process.pid);
  });

  it('respects a live pid on this host while its heartbeat is fresh', () => {
    const results = tempDir('claims');
    plantClaim(results, 'c', { pid: process.ppid }, 1000);
    expect(tryClaim(results, 'c', { staleAfterMs: MINUTE }).claimed).toBe(false);
  });

  it('waits for the heartbeat timeout before taking over a claim from another host', () => {
    const results = tempDir('claims');
    plantClaim(results, 'c', { host: 'other-node', pid: 1 }, 30_000);
    expect(tryClaim(results, 'c', { staleAfterMs: MINUTE }).claimed).toBe(false);
    plantClaim(results, 'c', { host: 'other-node', pid: 1 }, 2 * MINUTE);
    expect(tryClaim(results, 'c', { staleAfterMs: MINUTE }).claimed).toBe(true);
  });

  it('a requeued Slurm task takes over its previous incarnation’s claim on any node', () => {
    const results = tempDir('claims');
    plantClaim(results, 'c', { host: 'node-a', pid: 4242, slurmTask: '77_1' }, 1000);
    const other = tryClaim(results, 'c', { staleAfterMs: MINUTE, self: { host: 'node-b', pid: 9, slurmTask: '77_2' } });
    expect(other.claimed).toBe(false);
    const same = tryClaim(results, 'c', { staleAfterMs: MINUTE, self: { host: 'node-b', pid: 9, slurmTask: '77_1' } });
    expect(same.claimed).toBe(true);
  });

  it('release leaves alone a claim that someone else re-made meanwhile', () => {
    const results = tempDir('claims');
    const mine = tryClaim(results, 'c', { staleAfterMs: MINUTE });
    plantClaim(results, 'c', { host: 'x', pid: 1, nonce: 'theirs' });
    if (mine.claimed) mine.release();
    expect((JSON.parse(readFileSync(claimPath(results, 'c'), 'utf8')) as ClaimInfo).nonce).toBe('theirs');
  });

  it('the start-up sweep removes stale claims (e.g. on cells finished just before a kill) and keeps live ones', () => {
    const results = tempDir('claims');
    plantClaim(results, 'dead', { pid: deadPid() });
    plantClaim(results, 'live', { pid: process.ppid });
    plantClaim(results, 'foreign', { host: 'other-node', pid: 1 }, 1000);
    const removed = sweepAbandoned(results, MINUTE).map((p) => p.split('/').pop());
    expect(removed).toEqual(['dead.json']);
    expect(readdirSync(claimsDir(results)).sort()).toEqual(['foreign.json', 'live.json']);
  });

  it('reads the Slurm task from the environment', () => {
    expect(currentSlurmTask({ SLURM_ARRAY_JOB_ID: '12', SLURM_ARRAY_TASK_ID: '3', SLURM_JOB_ID: '15' })).toBe('12_3');
    expect(currentSlurmTask({ SLURM_JOB_ID: '15' })).toBe('15');
    expect(currentSlurmTask({})).toBeUndefined();
  });
});

describe('atomic writes and the temp-file sweep', () => {
  it('writes whole files and leaves no temp file', () => {
    const dir = tempDir('atomic');
    writeFileAtomic(join(dir, 'a.json'), '{"x":1}\n');
    expect(readdirSync(dir)).toEqual(['a.json']);
  });

  it('a failed write removes its temp file', () => {
    const dir = tempDir('atomic');
    mkdirSync(join(dir, 'target.json')); // renaming a file over a directory fails
    expect(() => writeFileAtomic(join(dir, 'target.json'), 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['target.json']);
  });

  it('sweeps temp files of dead local writers and old foreign ones, keeps live and fresh ones', () => {
    const dir = tempDir('sweep');
    const names = {
      deadLocal: `${TEMP_PREFIX}a.json~${HOST}~${deadPid()}~0001`,
      liveLocal: `${TEMP_PREFIX}b.json~${HOST}~${process.pid}~0002`,
      freshForeign: `${TEMP_PREFIX}c.json~elsewhere~1~0003`,
      oldForeign: `${TEMP_PREFIX}d.json~elsewhere~1~0004`,
    };
    for (const n of Object.values(names)) writeFileSync(join(dir, n), 'partial');
    const old = new Date(Date.now() - 2 * MINUTE);
    utimesSync(join(dir, names.oldForeign), old, old);
    writeFileSync(join(dir, 'result.json'), '{}');
    const removed = sweepTempFiles(dir, MINUTE).map((p) => p.split('/').pop());
    expect(removed.sort()).toEqual([names.deadLocal, names.oldForeign].sort());
    expect(readdirSync(dir).sort()).toEqual([names.liveLocal, names.freshForeign, 'result.json'].sort());
  });
});
