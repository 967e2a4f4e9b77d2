// The depth-vs-width plot: where each depth's counts go on a log axis. The component only
// turns this layout into SVG.

import type { DepthCounts } from "../protocol.gen";
import { log10Big, montufarLowerBound } from "../regionBounds";

export interface PlotSize {
  width: number;
  height: number;
  /** Space for the axis labels: left, right, top, bottom. */
  margin: { left: number; right: number; top: number; bottom: number };
}

export interface PlotColumn {
  depth: number;
  width: number;
  x: number;
  mean: number;
  min: number;
  max: number;
  /** Montúfar et al.'s construction for this shape (an achievable count), when it applies. */
  achievable: { y: number; value: bigint } | null;
}

export interface PlotLayout {
  columns: PlotColumn[];
  yTicks: { y: number; label: string }[];
  /** The plot area, inside the margins. */
  area: { left: number; right: number; top: number; bottom: number };
}

/** 1, 10, 100, 1k, 10k, 100k, 1M, ... 1e12 beyond. */
export function decadeLabel(exponent: number): string {
  if (exponent < 3) return String(10 ** exponent);
  if (exponent < 6) return `${10 ** (exponent - 3)}k`;
  if (exponent < 9) return `${10 ** (exponent - 6)}M`;
  if (exponent < 12) return `${10 ** (exponent - 9)}G`;
  return `1e${exponent}`;
}

/** Lays out one column per depth on a log10 y axis spanning whole decades. */
export function layoutExplorePlot(rows: readonly DepthCounts[], size: PlotSize): PlotLayout {
  const { margin } = size;
  const area = {
    left: margin.left,
    right: size.width - margin.right,
    top: margin.top,
    bottom: size.height - margin.bottom,
  };
  const achievable = rows.map((row) => montufarLowerBound(Array(row.depth).fill(row.width)));
  const logs = rows.flatMap((row, i) => {
    const values = [Math.log10(Math.max(1, row.min)), Math.log10(Math.max(1, row.max))];
    const reference = achievable[i];
    return reference ? [...values, log10Big(reference)] : values;
  });
  const lo = logs.length ? Math.floor(Math.min(...logs)) : 0;
  const hi = Math.max(lo + 1, logs.length ? Math.ceil(Math.max(...logs)) : 1);
  const y = (log: number) => area.bottom - ((log - lo) / (hi - lo)) * (area.bottom - area.top);
  const yOf = (value: number) => y(Math.log10(Math.max(1, value)));
  const band = (area.right - area.left) / Math.max(1, rows.length);
  const columns = rows.map((row, i) => {
    const reference = achievable[i] ?? null;
    return {
      depth: row.depth,
      width: row.width,
      x: area.left + band * (i + 0.5),
      mean: yOf(row.mean),
      min: yOf(row.min),
      max: yOf(row.max),
      achievable: reference ? { y: y(log10Big(reference)), value: reference } : null,
    };
  });
  const yTicks = [];
  for (let k = lo; k <= hi; k++) yTicks.push({ y: y(k), label: decadeLabel(k) });
  return { columns, yTicks, area };
}
