// How many times each view has drawn. The render benchmark (#bench) tells a drawn frame from a
// skipped one by these; they are plain numbers, not state, so changing them redraws nothing.

export const drawCounts = { heatmap: 0, lossChart: 0 };
