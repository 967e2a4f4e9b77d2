// The loss history of the current run, kept whole in typed arrays, drawn as per-pixel envelopes.

import { envelope, linearEdge, MinMaxIndex, type ColumnEdge } from "./decimate";
import type { History } from "./protocol.gen";

/** uPlot's data layout: x values, then one column per series; null leaves a gap. */
export type LossColumns = [
  steps: number[],
  trainLoss: (number | null)[],
  testLoss: (number | null)[],
];

/** What the chart draws: each loss as its lowest and highest value per pixel column. */
export type LossBands = [
  steps: number[],
  trainLow: (number | null)[],
  trainHigh: (number | null)[],
  testLow: (number | null)[],
  testHigh: (number | null)[],
];

const orNull = (value: number): number | null => (Number.isNaN(value) ? null : value);

/**
 * Appends the samples each frame brings and keeps at most `capacity` of them: when full it
 * drops every other sample (the newest always stays), so long runs keep their whole shape.
 * Non-finite losses are kept as NaN and drawn as gaps. `bands(buckets)` gives what a chart
 * `buckets` pixels wide draws, in time that does not grow with the number of samples.
 */
export class LossHistory {
  private steps = new Float64Array(1024);
  private train = new Float64Array(1024);
  private test = new Float64Array(1024);
  private count = 0;
  private readonly trainIndex = new MinMaxIndex();
  private readonly testIndex = new MinMaxIndex();

  constructor(readonly capacity = 1_000_000) {
    if (capacity < 2) throw new Error("LossHistory needs a capacity of at least 2");
  }

  get length(): number {
    return this.count;
  }

  /** Adds one frame's samples; steps at or before the last kept one are ignored. */
  append(samples: History): void {
    for (let i = 0; i < samples.steps.length; i++) {
      const step = samples.steps[i]!;
      if (this.count && step <= this.steps[this.count - 1]!) continue;
      if (this.count === this.steps.length) this.grow();
      const train = samples.train_loss[i] ?? NaN;
      const test = samples.test_loss[i] ?? NaN;
      this.steps[this.count] = step;
      this.train[this.count] = Number.isFinite(train) ? train : NaN;
      this.test[this.count] = Number.isFinite(test) ? test : NaN;
      this.count++;
      this.trainIndex.push(this.train);
      this.testIndex.push(this.test);
    }
    if (this.count > this.capacity) {
      while (this.count > this.capacity) this.thin();
      this.trainIndex.rebuild(this.train, this.count);
      this.testIndex.rebuild(this.test, this.count);
    }
  }

  /** Forgets everything (a new run starts). */
  clear(): void {
    this.count = 0;
    this.trainIndex.clear();
    this.testIndex.clear();
  }

  /** Every sample kept, as columns. */
  samples(): LossColumns {
    const all = Array.from({ length: this.count }, (_, i) => i);
    return [
      all.map((i) => this.steps[i]!),
      all.map((i) => orNull(this.train[i]!)),
      all.map((i) => orNull(this.test[i]!)),
    ];
  }

  /** The losses' lowest and highest values in each of `buckets` columns (see `envelope`). */
  bands(buckets: number, edge: ColumnEdge = linearEdge): LossBands {
    const { x, lo, hi } = envelope(
      this.steps,
      this.count,
      [
        { values: this.train, index: this.trainIndex },
        { values: this.test, index: this.testIndex },
      ],
      Math.max(1, Math.floor(buckets)),
      edge,
    );
    return [x, lo[0]!, hi[0]!, lo[1]!, hi[1]!];
  }

  private grow(): void {
    const size = this.steps.length * 2;
    for (const name of ["steps", "train", "test"] as const) {
      const next = new Float64Array(size);
      next.set(this[name]);
      this[name] = next;
    }
  }

  /** Keeps every other sample in place, and the last one. */
  private thin(): void {
    const last = this.count - 1;
    let kept = 0;
    for (let i = 0; i < last; i += 2) {
      this.steps[kept] = this.steps[i]!;
      this.train[kept] = this.train[i]!;
      this.test[kept] = this.test[i]!;
      kept++;
    }
    this.steps[kept] = this.steps[last]!;
    this.train[kept] = this.train[last]!;
    this.test[kept] = this.test[last]!;
    this.count = kept + 1;
  }
}
