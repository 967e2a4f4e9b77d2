import type uPlot from "uplot";

/** The axis look every uPlot chart on the page shares: quiet grey, light grid, no tick marks. */
export const CHART_AXIS: uPlot.Axis = {
  stroke: "#94a0b0",
  grid: { stroke: "#eef0f3", width: 1 },
  ticks: { show: false },
  // A whole number of pixels: uPlot scales only the integer part of a size by the pixel ratio.
  font: "11px system-ui, sans-serif",
};

/** Log ranges are clamped to these, so a diverging value cannot make a range of ±Infinity
 * (and uPlot's decimal rounding of log ticks holds: it fails below about 1e-20). */
const LOG_FLOOR = 1e-15;
const LOG_CEILING = 1e15;

/**
 * A scale range uPlot can always split into ticks. uPlot's tick loops only end for a finite,
 * increasing range, and its log splits only for one that starts on a power of the base: from a
 * range like [0.00095, 0.02] its loop rounds a step to 0 and pushes ticks until the array
 * overflows ("RangeError: Invalid array length"). So a log range is widened to whole decades,
 * and a linear one made finite, increasing and wide enough that adding a tick step to its
 * minimum changes it.
 */
export function safeRange(min: number | null, max: number | null, log: boolean): [number, number] {
  let lo = min !== null && Number.isFinite(min) ? min : null;
  let hi = max !== null && Number.isFinite(max) ? max : null;
  if (log) {
    lo = lo !== null && lo > 0 ? lo : null;
    hi = hi !== null && hi > 0 ? hi : null;
    lo ??= hi !== null ? hi / 10 : 0.1;
    hi ??= lo * 10;
    if (hi < lo) [lo, hi] = [hi, lo];
    const bottom = Math.max(LOG_FLOOR, 10 ** Math.floor(Math.log10(Math.max(lo, LOG_FLOOR))));
    let top = Math.min(LOG_CEILING, 10 ** Math.ceil(Math.log10(Math.min(hi, LOG_CEILING))));
    if (top <= bottom) top = bottom * 10;
    return [decade(bottom), decade(top)];
  }
  lo ??= hi ?? 0;
  hi ??= lo;
  if (hi < lo) [lo, hi] = [hi, lo];
  // uPlot's tick steps go down to 1e-32, and its rounding of ticks to 1e-15 or so.
  const room = Math.max(Math.abs(lo) * 1e-9, Math.abs(hi) * 1e-9, 1e-12);
  if (hi - lo <= room) {
    const pad = Math.max(room, Math.abs(lo) * 0.05, 1e-3);
    return [lo - pad, hi + pad];
  }
  return [lo, hi];
}

/** 10^k exactly as uPlot's tick table writes it (10 ** -5 is 0.000009999999999999999). */
function decade(value: number): number {
  return Number(value.toPrecision(1));
}

/**
 * The chart's options with every explicit scale range passed through `safeRange`: the one place
 * all charts go through (UplotChart applies it), so no chart can hand uPlot a range it loops on.
 */
export function guardScales(options: uPlot.Options): uPlot.Options {
  const scales: Record<string, uPlot.Scale> = {};
  for (const [key, scale] of Object.entries(options.scales ?? {})) {
    const log = scale.distr === 3;
    const range = scale.range;
    if (typeof range === "function") {
      scales[key] = {
        ...scale,
        range: (self, min, max, k) => {
          const [lo, hi] = range(self, min, max, k);
          return safeRange(lo, hi, log);
        },
      };
    } else if (Array.isArray(range)) {
      const [lo, hi] = range as [number | null, number | null];
      scales[key] = { ...scale, range: safeRange(lo, hi, log) };
    } else if (log) {
      // uPlot's own log range snaps to decades but keeps NaN and ±Infinity; clamp those too.
      scales[key] = { ...scale, range: (_self, min, max) => safeRange(min, max, true) };
    } else {
      scales[key] = scale;
    }
  }
  return { ...options, scales };
}

/**
 * Tick labels short enough for a small chart: 100k, 2.5M, 1e-5; never cut by the chart's edge
 * the way "100,000" was cut to "100,0".
 */
export function compactTick(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return "";
  const a = Math.abs(value);
  if (a === 0) return "0";
  if (a >= 1e9) return value.toExponential(0).replace("+", "");
  if (a >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (a >= 1e4) return `${Number((value / 1e3).toPrecision(3))}k`;
  if (a < 1e-2) return value.toExponential(0).replace("+", "");
  return String(Number(value.toPrecision(3)));
}

/** Average glyph width of the axis font in CSS pixels, per pixel of font size (digits, "k"). */
const GLYPH_WIDTH = 0.62;

/**
 * A y axis's width that fits its widest tick label (uPlot axis `size`), at least `minimum`:
 * labels are never cut on the left.
 */
export function fitLabelWidth(minimum: number, fontSize: number): uPlot.Axis.Size {
  return (_self, values) => {
    const longest = Math.max(0, ...(values ?? []).map((label) => String(label ?? "").length));
    return Math.max(minimum, Math.ceil(longest * fontSize * GLYPH_WIDTH) + 12);
  };
}
