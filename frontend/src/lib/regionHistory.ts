// The region counts of the current run, as the columns uPlot draws: (step, regions).

export type RegionColumns = [steps: number[], regions: number[]];

/** Keeps one count per step (a later count at the same step replaces the earlier one). */
export class RegionHistory {
  readonly columns: RegionColumns = [[], []];

  constructor(readonly capacity = 20_000) {
    if (capacity < 2) throw new Error("RegionHistory needs a capacity of at least 2");
  }

  get length(): number {
    return this.columns[0].length;
  }

  /** Adds the count at `step`; steps before the last one are ignored. */
  append(step: number, regions: number): void {
    const [steps, counts] = this.columns;
    const last = steps.length ? steps[steps.length - 1]! : -Infinity;
    if (step < last) return;
    if (step === last) {
      counts[counts.length - 1] = regions;
      return;
    }
    steps.push(step);
    counts.push(regions);
    if (steps.length > this.capacity) {
      // Drop every other sample but the newest, so long runs keep their whole shape.
      for (const column of this.columns) {
        const end = column.length - 1;
        let kept = 0;
        for (let i = 0; i < end; i += 2) column[kept++] = column[i]!;
        column[kept++] = column[end]!;
        column.length = kept;
      }
    }
  }

  /** Forgets everything (a new run starts). */
  clear(): void {
    for (const column of this.columns) column.length = 0;
  }
}
