// The plot of an own activation and its derivative (POST /api/expression's answer) as SVG
// paths, and the caret line under an expression's error. Pure functions; ExpressionEditor draws.

export interface PlotFrame {
  width: number;
  height: number;
  /** Space kept free around the curves, in pixels. */
  pad: number;
}

export interface PlotPaths {
  f: string;
  df: string;
  /** The y range shown, after clipping far values so a steep curve leaves the rest readable. */
  yMin: number;
  yMax: number;
  /** Pixel positions of the axes (x = 0, y = 0), or null when outside the plot. */
  axisX: number | null;
  axisY: number | null;
}

/** The y range is at most this far from 0: exp(x) would otherwise flatten everything else. */
export const Y_CLIP = 8;

/** SVG path data for f and f' over x, broken where a value is null (not finite). */
export function plotPaths(
  x: readonly number[],
  f: readonly (number | null)[],
  df: readonly (number | null)[],
  frame: PlotFrame,
): PlotPaths {
  const finite = [...f, ...df].filter((v): v is number => v !== null);
  let yMin = Math.max(-Y_CLIP, Math.min(-1, ...finite));
  let yMax = Math.min(Y_CLIP, Math.max(1, ...finite));
  const margin = (yMax - yMin) * 0.05;
  yMin -= margin;
  yMax += margin;
  const xMin = x[0] ?? -4;
  const xMax = x.at(-1) ?? 4;
  const { width, height, pad } = frame;
  const px = (v: number) => pad + ((v - xMin) / (xMax - xMin || 1)) * (width - 2 * pad);
  const py = (v: number) => pad + ((yMax - v) / (yMax - yMin)) * (height - 2 * pad);
  const path = (ys: readonly (number | null)[]) => {
    let d = "";
    let drawing = false;
    ys.forEach((y, i) => {
      const at = x[i];
      if (y === null || at === undefined) {
        drawing = false;
        return;
      }
      const clipped = Math.min(yMax, Math.max(yMin, y));
      d += `${drawing ? "L" : "M"}${px(at).toFixed(1)},${py(clipped).toFixed(1)}`;
      drawing = true;
    });
    return d;
  };
  return {
    f: path(f),
    df: path(df),
    yMin,
    yMax,
    axisX: xMin <= 0 && 0 <= xMax ? px(0) : null,
    axisY: yMin <= 0 && 0 <= yMax ? py(0) : null,
  };
}

/** The line under an expression that points at `position`: spaces, then "^". */
export function caretLine(position: number): string {
  return `${" ".repeat(Math.max(0, position))}^`;
}
