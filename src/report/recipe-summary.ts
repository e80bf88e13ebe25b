import type { TrainingConfig } from '../spec/types.js';

/** One phrase for the training length of a set of cells: "30 epochs per round", "3000 steps per round (cosine)". */
export function recipeSummary(trainings: readonly TrainingConfig[], range: (values: readonly number[]) => string): string {
  const parts: string[] = [];
  const epochs = trainings.filter((t) => t.epochs !== undefined).map((t) => t.epochs!);
  const steps = trainings.filter((t) => t.steps !== undefined).map((t) => t.steps!);
  const until = trainings.filter((t) => t.until !== undefined).map((t) => t.until!);
  if (epochs.length) parts.push(`${range(epochs)} epochs per round`);
  if (steps.length) parts.push(`${range(steps)} steps per round`);
  if (until.length) parts.push(`epochs until ${range(until.map((u) => u.trainAccuracy))} training accuracy (≤ ${range(until.map((u) => u.maxEpochs))})`);
  const extras = [...new Set(trainings.flatMap((t) => [t.optimizer ? `sgd${t.optimizer.nesterov ? ' nesterov' : ''}` : '', t.schedule ?? '', t.weightDecay ? `wd ${t.weightDecay}` : ''].filter(Boolean)))];
  return `${parts.join(' or ')}${extras.length ? ` (${extras.join(', ')})` : ''}`;
}
