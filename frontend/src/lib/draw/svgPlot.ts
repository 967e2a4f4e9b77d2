// Small SVG plots as plain geometry: a PlotSpec in data space (lines, categorical bars, marker
// lines, linear or log axes) becomes paths, bars and ticks for one size. No DOM here.

export interface Axis {
  min: number;
  max: number;
  log: boolean;
  label: string;
}

export interface Series {
  label: string;
  color: string;
  /** (x, y) points; a null or non-finite y breaks the line. */
  points: readonly (readonly [number, number | null])[];
  dots?: boolean;
  dashed?: boolean;
}

export interface Bar {
  label: string;
  value: number;
  /** Written above the bar. */
  text: string;
}

/** A vertical marker line at x, labelled (e.g. p = n). */
export interface Marker {
  x: number;
  label: string;
}

export interface PlotSpec {
  title: string;
  x: Axis;
  y: Axis;
  series: Series[];
  /** Categorical bars along x (x is then ignored for placement). */
  bars?: Bar[];
  markers?: Marker[];
}

export interface Tick {
  at: number;
  label: string;
}

export interface PlotLayout {
  paths: { d: string; color: string; dashed: boolean; dots: [number, number][] }[];
  bars: { x: number; y: number; width: number; height: number; label: string; text: string }[];
  markers: { x: number; label: string }[];
  xTicks: Tick[];
  yTicks: Tick[];
  area: { left: number; right: number; top: number; bottom: number };
}

export const MARGIN = { left: 40, right: 8, top: 8, bottom: 30 };

/** A number as a short tick label: 0.001, 0.5, 20, 2k. */
export function tickLabel(value: number): string {
  if (Math.abs(value) >= 1000) return `${+(value / 1000).toPrecision(3)}k`;
  return String(+value.toPrecision(3));
}

/** 3–6 round linear ticks over [min, max]. */
function linearTicks(min: number, max: number): number[] {
  const rough = (max - min) / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? rough;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) {
    ticks.push(+t.toPrecision(12));
  }
  return ticks;
}

/** Every decade of a log axis, thinned to at most 5. */
function logTicks(min: number, max: number): number[] {
  const lo = Math.round(Math.log10(min));
  const hi = Math.round(Math.log10(max));
  const every = Math.ceil((hi - lo + 1) / 5);
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += every) ticks.push(10 ** e);
  return ticks;
}

/** Data to pixels along one axis, clamped to the axis's range. */
export function scaler(axis: Axis, from: number, to: number): (value: number) => number {
  const f = (v: number) => (axis.log ? Math.log10(Math.max(v, axis.min)) : v);
  const lo = f(axis.min);
  const span = f(axis.max) - lo || 1;
  return (value) => {
    const t = Math.min(1, Math.max(0, (f(value) - lo) / span));
    return from + t * (to - from);
  };
}

export function layoutPlot(spec: PlotSpec, width: number, height: number): PlotLayout {
  const area = {
    left: MARGIN.left,
    right: Math.max(MARGIN.left + 1, width - MARGIN.right),
    top: MARGIN.top,
    bottom: Math.max(MARGIN.top + 1, height - MARGIN.bottom),
  };
  const sx = scaler(spec.x, area.left, area.right);
  const sy = scaler(spec.y, area.bottom, area.top);
  const paths = spec.series.map((series) => {
    let d = "";
    let pen = false;
    const dots: [number, number][] = [];
    for (const [x, y] of series.points) {
      if (y === null || !Number.isFinite(y) || (spec.y.log && y <= 0)) {
        pen = false;
        continue;
      }
      const px = +sx(x).toFixed(1);
      const py = +sy(y).toFixed(1);
      d += `${pen ? "L" : "M"}${px},${py}`;
      pen = true;
      if (series.dots) dots.push([px, py]);
    }
    return { d, color: series.color, dashed: series.dashed ?? false, dots };
  });
  const bars = (spec.bars ?? []).map((bar, i, all) => {
    const slot = (area.right - area.left) / all.length;
    const barWidth = Math.min(36, slot * 0.6);
    const y = sy(bar.value);
    const x = area.left + slot * (i + 0.5) - barWidth / 2;
    return { x, y, width: barWidth, height: area.bottom - y, label: bar.label, text: bar.text };
  });
  const yValues = spec.y.log
    ? logTicks(spec.y.min, spec.y.max)
    : linearTicks(spec.y.min, spec.y.max);
  const xValues = spec.bars
    ? []
    : spec.x.log
      ? logTicks(spec.x.min, spec.x.max)
      : linearTicks(spec.x.min, spec.x.max).filter((v) => v >= spec.x.min && v <= spec.x.max);
  return {
    paths,
    bars,
    markers: (spec.markers ?? []).map((m) => ({ x: sx(m.x), label: m.label })),
    xTicks: xValues.map((v) => ({ at: sx(v), label: tickLabel(v) })),
    yTicks: yValues.map((v) => ({ at: sy(v), label: tickLabel(v) })),
    area,
  };
}
