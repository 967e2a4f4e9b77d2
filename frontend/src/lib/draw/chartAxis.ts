import type uPlot from "uplot";

/** The axis look every uPlot chart on the page shares: quiet grey, light grid, no tick marks. */
export const CHART_AXIS: uPlot.Axis = {
  stroke: "#94a0b0",
  grid: { stroke: "#eef0f3", width: 1 },
  ticks: { show: false },
  // A whole number of pixels: uPlot scales only the integer part of a size by the pixel ratio.
  font: "11px system-ui, sans-serif",
};
