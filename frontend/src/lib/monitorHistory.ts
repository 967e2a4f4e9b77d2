// The debugging monitors of the current run over steps, one series per Linear layer, as the
// columns uPlot draws. Bounded: past `capacity` samples every other one is dropped, so a long
// run keeps its whole shape at half the detail.

import type { LayerMonitorStats } from "./protocol.gen";

export const MONITOR_METRICS = [
  "weight_norm",
  "grad_norm",
  "update_ratio",
  "activation_mean",
  "activation_std",
  "dead_fraction",
] as const;

export type MonitorMetric = (typeof MONITOR_METRICS)[number];

/** uPlot's aligned columns: the steps, then one series per layer (null where there is none). */
export type MonitorColumns = [steps: number[], ...series: (number | null)[][]];

export interface MonitoredLayer {
  layer: number;
  name: string;
}

export class MonitorHistory {
  private steps: number[] = [];
  /** values[metric][layer position][sample] */
  private values = emptyValues(0);
  private layerList: MonitoredLayer[] = [];
  private last: LayerMonitorStats[] | null = null;

  constructor(readonly capacity = 2_000) {
    if (capacity < 2) throw new Error("MonitorHistory needs a capacity of at least 2");
  }

  get length(): number {
    return this.steps.length;
  }

  /** The layers the series belong to, in order. */
  get layers(): readonly MonitoredLayer[] {
    return this.layerList;
  }

  /** The newest sample of every layer, or null before the first. */
  get latest(): LayerMonitorStats[] | null {
    return this.last;
  }

  /**
   * Adds one inspection's monitors at `step`. A sample at the last step replaces it; older steps
   * are ignored; a different set of layers (a new architecture) starts the history over.
   */
  append(step: number, stats: readonly LayerMonitorStats[]): void {
    if (!sameLayers(this.layerList, stats)) {
      this.clear();
      this.layerList = stats.map(({ layer, name }) => ({ layer, name }));
      this.values = emptyValues(stats.length);
    }
    const lastStep = this.steps.length ? this.steps[this.steps.length - 1]! : -Infinity;
    if (step < lastStep) return;
    this.last = [...stats];
    const replace = step === lastStep;
    if (!replace) this.steps.push(step);
    for (const metric of MONITOR_METRICS) {
      stats.forEach((layer, i) => {
        const series = this.values[metric][i]!;
        const value = finiteOrNull(layer[metric]);
        if (replace) series[series.length - 1] = value;
        else series.push(value);
      });
    }
    if (this.steps.length > this.capacity) this.thin();
  }

  /**
   * The columns of one metric for uPlot. With `positive`, values ≤ 0 become gaps (a log scale
   * cannot place them).
   */
  columns(metric: MonitorMetric, positive = false): MonitorColumns {
    const series = this.values[metric].map((values) =>
      positive ? values.map((v) => (v !== null && v > 0 ? v : null)) : [...values],
    );
    return [[...this.steps], ...series];
  }

  /**
   * The activation columns: [steps, mean per layer…, mean − std per layer…, mean + std per
   * layer…], so a chart can draw each layer's mean over its ±1 std band.
   */
  spreadColumns(): MonitorColumns {
    const means = this.values.activation_mean;
    const stds = this.values.activation_std;
    const shifted = (sign: number) =>
      means.map((series, i) =>
        series.map((mean, k) => {
          const std = stds[i]![k];
          return mean === null || std === null || std === undefined ? null : mean + sign * std;
        }),
      );
    return [[...this.steps], ...means.map((s) => [...s]), ...shifted(-1), ...shifted(1)];
  }

  /** Forgets everything (a new run starts). */
  clear(): void {
    this.steps = [];
    this.values = emptyValues(this.layerList.length);
    this.last = null;
  }

  /** Keeps every other sample, and always the newest. */
  private thin(): void {
    const keep = (column: unknown[]) => {
      const end = column.length - 1;
      let kept = 0;
      for (let i = 0; i < end; i += 2) column[kept++] = column[i];
      column[kept++] = column[end];
      column.length = kept;
    };
    keep(this.steps);
    for (const metric of MONITOR_METRICS) this.values[metric].forEach(keep);
  }
}

function emptyValues(layers: number): Record<MonitorMetric, (number | null)[][]> {
  const values = {} as Record<MonitorMetric, (number | null)[][]>;
  for (const metric of MONITOR_METRICS) {
    values[metric] = Array.from({ length: layers }, () => []);
  }
  return values;
}

function sameLayers(layers: readonly MonitoredLayer[], stats: readonly LayerMonitorStats[]) {
  return (
    layers.length === stats.length &&
    layers.every((l, i) => l.layer === stats[i]!.layer && l.name === stats[i]!.name)
  );
}

function finiteOrNull(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}
