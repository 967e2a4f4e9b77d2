// How many times each view has drawn. The render benchmark (#bench) tells a drawn frame from a
// skipped one by these; they are plain numbers, not state, so changing them redraws nothing.
// `heatmapSide` is the side of the grid the heatmap drew last. Browser tests and the live
// boundary bench (bench/browser.py) read them as window.__drawCounts.

export const drawCounts = { heatmap: 0, lossChart: 0, heatmapSide: 0 };

if (typeof window !== "undefined") {
  (window as unknown as { __drawCounts: typeof drawCounts }).__drawCounts = drawCounts;
}
