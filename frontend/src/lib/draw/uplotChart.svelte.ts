import { untrack } from "svelte";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { guardScales } from "./chartAxis";

/** A chart's own options; `UplotChart` adds the size and, unless given, no legend or cursor. */
export type ChartOptions = Omit<uPlot.Options, "width" | "height">;

/** What one chart component says about its uPlot; `UplotChart` does the rest. */
export interface UplotChartConfig {
  /**
   * The chart's scales, axes, series and hooks. Reactive values read here rebuild the chart when
   * they change (a log scale, other series); a new size only resizes it.
   */
  options: () => ChartOptions;
  /** The plot's height in CSS pixels. */
  height: () => number;
  /** The columns to plot for a plot `pixels` device pixels wide; called at most once a frame. */
  data: (pixels: number) => uPlot.AlignedData;
  /** Reactive values read here bring new data on the next frame when they change. */
  revision: () => unknown;
  /** Runs after each new data has been handed to the plot. */
  afterData?: (plot: uPlot) => void;
}

/**
 * A uPlot chart living in one element: built when the element mounts and again when its options
 * change, resized with the element, given new data at most once per animation frame, destroyed
 * with the component. Construct it while the component initialises and bind the element:
 * `<div bind:this={chart.host} bind:clientWidth={chart.width}></div>`.
 */
export class UplotChart {
  host = $state<HTMLElement>();
  /** The host's width in CSS pixels. */
  width = $state(0);
  /** The live chart, or null before mounting and between rebuilds. */
  plot: uPlot | null = null;
  /**
   * Whether the host has a width: a chart in a hidden tab (0 px wide) is built when it shows,
   * not sized and split into ticks for an axis 0 px long.
   */
  private sized = $derived(this.width > 0);

  constructor(config: UplotChartConfig) {
    $effect(() => {
      const host = this.host;
      if (!host || !this.sized) return;
      const width = untrack(() => this.width);
      // Every range goes through safeRange: uPlot's tick loops never see one they cannot end.
      const options: uPlot.Options = guardScales({
        // Each component draws its own legend, and no chart reads out values under the pointer.
        legend: { show: false },
        cursor: { show: false },
        ...config.options(),
        width,
        height: untrack(config.height),
      });
      // untrack: uPlot calls the chart's hooks, whose reads must not rebuild it.
      const created = untrack(
        () => new uPlot(options, config.data(width * devicePixelRatio), host),
      );
      this.plot = created;
      return () => {
        created.destroy();
        this.plot = null;
      };
    });

    $effect(() => {
      const width = this.width;
      const height = config.height();
      if (width > 0) untrack(() => this.plot?.setSize({ width, height }));
    });

    $effect(() => {
      config.revision();
      void this.width; // the data is reduced to the plot's width
      const id = requestAnimationFrame(() => {
        if (!this.plot) return;
        this.plot.setData(config.data(this.plot.bbox.width));
        config.afterData?.(this.plot);
      });
      return () => cancelAnimationFrame(id);
    });
  }
}
