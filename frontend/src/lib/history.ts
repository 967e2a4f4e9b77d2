// The loss history of the current run, as the columns uPlot draws.

import type { History } from "./protocol.gen";

/** uPlot's data layout: x values, then one column per series; null leaves a gap. */
export type LossColumns = [
  steps: number[],
  trainLoss: (number | null)[],
  testLoss: (number | null)[],
];

const finiteOrNull = (value: number): number | null => (Number.isFinite(value) ? value : null);

/**
 * Appends the samples each frame brings and keeps at most `capacity` of them: when full it
 * drops every other sample (the newest always stays), so long runs keep their whole shape.
 */
export class LossHistory {
  readonly columns: LossColumns = [[], [], []];

  constructor(readonly capacity = 100_000) {
    if (capacity < 2) throw new Error("LossHistory needs a capacity of at least 2");
  }

  get length(): number {
    return this.columns[0].length;
  }

  /** Adds one frame's samples; steps at or before the last kept one are ignored. */
  append(samples: History): void {
    const [steps, train, test] = this.columns;
    const last = steps.length ? steps[steps.length - 1]! : -Infinity;
    for (let i = 0; i < samples.steps.length; i++) {
      const step = samples.steps[i]!;
      if (step <= last && steps.length) continue;
      steps.push(step);
      train.push(finiteOrNull(samples.train_loss[i] ?? NaN));
      test.push(finiteOrNull(samples.test_loss[i] ?? NaN));
    }
    while (steps.length > this.capacity) {
      thin(steps);
      thin(train);
      thin(test);
    }
  }

  /** Forgets everything (a new run starts). */
  clear(): void {
    for (const column of this.columns) column.length = 0;
  }
}

/** Keeps every other element in place, and the last one. */
function thin<T>(column: T[]): void {
  const last = column.length - 1;
  let kept = 0;
  for (let i = 0; i < last; i += 2) column[kept++] = column[i]!;
  column[kept++] = column[last]!;
  column.length = kept;
}
