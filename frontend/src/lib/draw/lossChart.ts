// The loss chart's uPlot options: its scales (linear or log loss, linear or log steps), axes,
// and the four edges of the train and test bands.
import type uPlot from "uplot";
import { LOG_STEPS_LINEAR_BELOW, formatSteps, logStepTicks, stepRange } from "../lossAxis";
import { CHART_AXIS } from "./chartAxis";
import type { ChartOptions } from "./uplotChart.svelte";

export const TRAIN_COLOUR = "#8a94a6";
export const TEST_COLOUR = "#1c2430";

/** Pixels between step labels on the log axis: room for "100k" and a gap. */
const STEP_TICK_GAP = 44;

/**
 * Each loss is drawn as its lowest and highest value in each device-pixel column of the plot,
 * the two edges stroked and the band between filled: a noisy loss reads as a solid band, a
 * smooth one as a line, and the cost per frame follows the plot's width, not the run's length.
 */
const line = (stroke: string, width: number): uPlot.Series => ({
  stroke,
  width,
  points: { show: false },
});

/** A loss tick's label; log axes leave some ticks unlabelled (null). */
export const lossTickLabel = (t: number | null): string =>
  t === null ? "" : String(Number(t.toPrecision(2)));

/** The options for a loss axis that is `log` or linear, a step axis that is `logSteps` or linear. */
export function lossChartOptions(
  log: boolean,
  logSteps: boolean,
  onDraw: (plot: uPlot) => void,
): ChartOptions {
  return {
    // The right padding holds half the widest step label ("100k"), so none is clipped.
    padding: [8, 16, 0, 0],
    // uPlot recomputes its scales after setData returns: place the marker once it has drawn.
    hooks: { draw: [onDraw] },
    scales: {
      // The steps run, no further: a log scale would round the end up to the next power of 10.
      x: logSteps
        ? {
            time: false,
            distr: 4,
            asinh: LOG_STEPS_LINEAR_BELOW,
            range: (_u, lo, hi) => stepRange(lo, hi),
          }
        : { time: false },
      y: log ? { distr: 3 } : { range: (_u, _min, max) => [0, Math.max(max, 1e-3) * 1.08] },
    },
    axes: [
      {
        ...CHART_AXIS,
        size: 26,
        values: (_u, ticks) => ticks.map(formatSteps),
        ...(logSteps && {
          splits: (u, _axis, first, last) =>
            logStepTicks(first, last, (step) => u.valToPos(step, "x"), STEP_TICK_GAP),
          filter: (_u, splits) => splits,
        }),
      },
      { ...CHART_AXIS, size: 42, values: (_u, ticks) => ticks.map(lossTickLabel) },
    ],
    series: [
      {},
      { label: "train loss (low)", ...line(TRAIN_COLOUR, 1.5) },
      { label: "train loss (high)", ...line(TRAIN_COLOUR, 1.5) },
      { label: "test loss (low)", ...line(TEST_COLOUR, 1.75) },
      { label: "test loss (high)", ...line(TEST_COLOUR, 1.75) },
    ],
    bands: [
      { series: [2, 1], fill: TRAIN_COLOUR },
      { series: [4, 3], fill: TEST_COLOUR },
    ],
  };
}
