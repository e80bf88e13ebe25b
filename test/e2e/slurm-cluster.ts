/**
 * A throw-away single-node Slurm cluster for e2e tests (Debian's slurmctld, slurmd, slurm-client;
 * config as measured in DESIGN.md): its own config, state and spool directories and ports under a
 * temp dir, so it touches nothing system-wide. Daemons run in the foreground (-D) as children of
 * the test and are stopped by their pids.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const SLURM_BINARIES = ['slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo'] as const;

/** Why the Slurm e2e test cannot run here, or undefined when it can. */
export function slurmUnavailableReason(): string | undefined {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return 'needs root: slurmd runs jobs as SlurmUser=root with auth/none';
  }
  const missing = SLURM_BINARIES.filter((b) => spawnSync('sh', ['-c', `command -v ${b}`]).status !== 0);
  if (missing.length > 0) return `Slurm is not installed (missing ${missing.join(', ')}); apt-get install slurmctld slurmd slurm-client`;
  return undefined;
}

export interface SlurmCluster {
  /** Environment for sbatch/squeue/sacct: points them at this cluster's config. */
  readonly env: NodeJS.ProcessEnv;
  readonly pids: readonly number[];
  stop(): Promise<void>;
}

export async function startSlurmCluster(dir: string, cpus: number): Promise<SlurmCluster> {
  const state = join(dir, 'state');
  const spool = join(dir, 'spool');
  mkdirSync(state, { recursive: true });
  mkdirSync(spool, { recursive: true });
  // Ports away from Slurm's defaults (6817/6818) and different per run, so a system Slurm or a
  // parallel test run cannot collide with this one.
  const base = 20_000 + (process.pid % 20_000);
  const conf = join(dir, 'slurm.conf');
  const node = hostname();
  writeFileSync(
    conf,
    [
      'ClusterName=albenchtest',
      `SlurmctldHost=${node}`,
      `SlurmctldPort=${base}`,
      `SlurmdPort=${base + 1}`,
      'AuthType=auth/none',
      'CredType=cred/none',
      'SlurmUser=root',
      'SlurmdUser=root',
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      'MpiDefault=none',
      'ReturnToService=2',
      `StateSaveLocation=${state}`,
      `SlurmdSpoolDir=${spool}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      'JobCompType=jobcomp/none',
      'AccountingStorageType=accounting_storage/none',
      'JobAcctGatherType=jobacct_gather/none',
      'SchedulerType=sched/backfill',
      'SchedulerParameters=sched_interval=1',
      'MinJobAge=600',
      `NodeName=${node} CPUs=${cpus} State=UNKNOWN`,
      `PartitionName=test Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  const env = { ...process.env, SLURM_CONF: conf };
  const daemons: ChildProcess[] = [];
  const start = (cmd: string, args: string[]) => {
    const child = spawn(cmd, args, { env, stdio: 'ignore' });
    daemons.push(child);
    return child;
  };
  start('slurmctld', ['-D', '-i', '-f', conf]);
  start('slurmd', ['-D', '-f', conf]);
  const cluster: SlurmCluster = {
    env,
    pids: daemons.map((d) => d.pid!),
    async stop() {
      await Promise.all(
        daemons.map(
          (d) =>
            new Promise<void>((resolve) => {
              if (d.exitCode !== null || d.signalCode !== null) return resolve();
              d.once('exit', () => resolve());
              process.kill(d.pid!, 'SIGTERM');
              setTimeout(() => d.exitCode === null && d.signalCode === null && process.kill(d.pid!, 'SIGKILL'), 5000).unref();
            }),
        ),
      );
    },
  };
  // Ready when the node reports idle to the controller.
  for (let i = 0; i < 100; i++) {
    const info = spawnSync('sinfo', ['-h', '-N', '-o', '%T'], { env, encoding: 'utf8' });
    if (info.status === 0 && /idle/.test(info.stdout)) return cluster;
    if (daemons.some((d) => d.exitCode !== null)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  await cluster.stop();
  throw new Error(`single-node Slurm did not come up; see ${dir}/slurmctld.log and slurmd.log`);
}

/** Polls squeue until none of `jobIds` is pending or running. */
export async function waitForJobs(env: NodeJS.ProcessEnv, jobIds: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const q = spawnSync('squeue', ['-h', '-j', jobIds.join(','), '-o', '%i %T'], { env, encoding: 'utf8' });
    if (q.status === 0 && q.stdout.trim() === '') return;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`Slurm jobs ${jobIds.join(', ')} still queued or running after ${timeoutMs / 1000}s`);
}
