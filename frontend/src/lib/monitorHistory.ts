// The debugging monitors of the current run over steps, one series per Linear layer, as the
// columns uPlot draws. Bounded: past `capacity` samples every other one is dropped and from then
// on only every other new one is kept (the newest always shows until the next replaces it), so
// a long run keeps its whole shape, evenly sampled, at half the detail.

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
  /** Samples appended since the start (each new step counts one). */
  private arrived = 0;
  /** Every stride-th arriving sample is kept for good. */
  private stride = 1;
  /** Whether the last sample is only the newest, to be replaced by the next one. */
  private tailProvisional = false;

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
    let replace = step === lastStep;
    if (!replace) {
      // A newer step: a provisional newest sample makes room for it, a kept one stays.
      replace = this.tailProvisional;
      this.tailProvisional = this.arrived % this.stride !== 0;
      this.arrived++;
      if (replace) this.steps[this.steps.length - 1] = step;
      else this.steps.push(step);
    }
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
    this.arrived = 0;
    this.stride = 1;
    this.tailProvisional = false;
  }

  /**
   * Keeps every other kept sample (the first always) and doubles the stride; the newest stays,
   * provisionally where it is no longer on the stride.
   */
  private thin(): void {
    let end = this.tailProvisional ? this.steps.length - 1 : this.steps.length;
    if (!this.tailProvisional && (end - 1) % 2 === 1) {
      end -= 1; // the newest falls off the doubled stride: it stays, as the provisional tail
      this.tailProvisional = true;
    }
    const keep = (column: unknown[]) => {
      let kept = 0;
      for (let i = 0; i < end; i += 2) column[kept++] = column[i];
      for (let i = end; i < column.length; i++) column[kept++] = column[i];
      column.length = kept;
    };
    keep(this.steps);
    for (const metric of MONITOR_METRICS) this.values[metric].forEach(keep);
    this.stride *= 2;
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
