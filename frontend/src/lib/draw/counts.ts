// How many times each view has drawn. The render benchmark (#bench) tells a drawn frame from a
// skipped one by these; they are plain numbers, not state, so changing them redraws nothing.
// `heatmapSide` is the side of the grid the heatmap drew last, `evaluator` what computed the
// page's own grids ("webgl" or "js", pageGrid.ts). Browser tests and the live
// boundary bench (bench/browser.py) read them as window.__drawCounts.

export const drawCounts = { heatmap: 0, lossChart: 0, heatmapSide: 0, evaluator: "" };

if (typeof window !== "undefined") {
  (window as unknown as { __drawCounts: typeof drawCounts }).__drawCounts = drawCounts;
}
