/**
 * sbatch scripts for running a study as a Slurm job array: task i of N runs
 * `albench run <spec> --shard i/N`, and a report job waits for the whole array (afterany, so the
 * report also covers an array in which some cells failed). Pure: strings in, strings out.
 *
 * Tasks are marked `--requeue` and write to one results directory on the shared filesystem; a
 * requeued or preempted task starts `albench run` again, which skips finished cells and takes over
 * the claims of its previous incarnation (same job and task id) at once.
 */

export interface SlurmScriptOptions {
  readonly studyName: string;
  /** Absolute paths: the scripts run on compute nodes from Slurm's own working directory. */
  readonly specPath: string;
  readonly resultsDir: string;
  readonly reportDir: string;
  readonly workDir: string;
  readonly nodePath: string;
  readonly cliPath: string;
  readonly arrayTasks: number;
  readonly cpusPerTask: number;
  /** Slurm time limit per array task, e.g. `2:00:00`; omitted → the partition's default. */
  readonly time?: string;
  readonly partition?: string;
  readonly backend?: string;
  readonly dataDir?: string;
}

export interface SlurmScripts {
  readonly array: string;
  readonly report: string;
  /** Submits both, chaining the report on the array; prints the job ids. */
  readonly submit: string;
}

/** Slurm's accepted --time forms: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM, D-HH:MM:SS. */
export const SLURM_TIME_PATTERN = /^(\d+|\d+:\d{2}|\d+:\d{2}:\d{2}|\d+-\d+|\d+-\d+:\d{2}|\d+-\d+:\d{2}:\d{2})$/;

/** Quotes a string for POSIX sh: single quotes, with embedded ones closed, escaped and reopened. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function buildSlurmScripts(o: SlurmScriptOptions): SlurmScripts {
  const logs = `${o.resultsDir}/slurm/logs`;
  const common = [
    ...(o.time ? [`#SBATCH --time=${o.time}`] : []),
    ...(o.partition ? [`#SBATCH --partition=${o.partition}`] : []),
  ];
  const albench = `${shQuote(o.nodePath)} ${shQuote(o.cliPath)}`;
  const passThrough = [
    ...(o.backend ? ['--backend', o.backend] : []),
    ...(o.dataDir ? ['--data-dir', shQuote(o.dataDir)] : []),
  ];
  const array = [
    '#!/bin/bash',
    `# albench study ${o.studyName}: ${o.arrayTasks} array tasks, each running one shard of the cells.`,
    '# Written by `albench slurm`; safe to edit (memory, account, QOS). Resubmitting resumes the study.',
    `#SBATCH --job-name=albench-${o.studyName}`,
    `#SBATCH --array=0-${o.arrayTasks - 1}`,
    '#SBATCH --ntasks=1',
    `#SBATCH --cpus-per-task=${o.cpusPerTask}`,
    ...common,
    // Preempted or failed-node tasks go back to the queue and resume from the results on disk.
    '#SBATCH --requeue',
    '#SBATCH --open-mode=append',
    `#SBATCH --output=${logs}/%A_%a.out`,
    'set -euo pipefail',
    `cd ${shQuote(o.workDir)}`,
    `exec ${albench} run ${shQuote(o.specPath)} --shard "$SLURM_ARRAY_TASK_ID/${o.arrayTasks}" --workers "\${SLURM_CPUS_PER_TASK:-1}" --results ${shQuote(o.resultsDir)}${passThrough.length ? ` ${passThrough.join(' ')}` : ''}`,
    '',
  ].join('\n');
  const report = [
    '#!/bin/bash',
    `# albench study ${o.studyName}: the report, submitted with --dependency=afterany on the array.`,
    `#SBATCH --job-name=albench-${o.studyName}-report`,
    '#SBATCH --ntasks=1',
    '#SBATCH --cpus-per-task=1',
    ...common,
    `#SBATCH --output=${logs}/report_%j.out`,
    'set -euo pipefail',
    `cd ${shQuote(o.workDir)}`,
    `exec ${albench} report ${shQuote(o.resultsDir)} --out ${shQuote(o.reportDir)}`,
    '',
  ].join('\n');
  const dir = `${o.resultsDir}/slurm`;
  const submit = [
    '#!/bin/bash',
    `# Submits the ${o.studyName} array and its report job. Written by \`albench slurm\`.`,
    'set -euo pipefail',
    `mkdir -p ${shQuote(logs)}`,
    `array=$(sbatch --parsable ${shQuote(`${dir}/array.sbatch`)})`,
    'array=${array%%;*}',
    `report=$(sbatch --parsable --dependency=afterany:$array ${shQuote(`${dir}/report.sbatch`)})`,
    'report=${report%%;*}',
    'echo "array job $array, report job $report"',
    '',
  ].join('\n');
  return { array, report, submit };
}
