// The inputs of the page's evaluator (evaluate.ts) over a grid: each point's features, and the
// grid's shortcut through the first linear layer. When every feature depends on x1 alone or on
// x2 alone (all but x1_x2), unit o at the point in row r, column c is
// (bias + Σ w·f(x1 of c)) + Σ w·f(x2 of r): one sum per column and one per row, then one
// addition per point and unit instead of a multiply-add per feature — summed in float64 in the
// same order as the layer itself sums two features.

import type { CompiledNet } from "./evaluate";

type Box = readonly [number, number, number, number];

/** Which coordinate each feature reads (models/features.py); x1_x2 reads both. */
const AXIS: Record<string, "x" | "y"> = {
  x1: "x",
  x2: "y",
  x1_squared: "x",
  x2_squared: "y",
  sin_x1: "x",
  sin_x2: "y",
};

/** Value i of torch.linspace(start, end, steps), which counts the second half from `end`. */
function linspace(start: number, end: number, steps: number, i: number): number {
  const step = (end - start) / Math.max(1, steps - 1);
  return Math.fround(i < Math.floor(steps / 2) ? start + step * i : end - step * (steps - 1 - i));
}

/**
 * The grid's coordinates (models/analysis/grid.py): the x of each column and the y of each row
 * of a side×side grid of cell centres, row 0 at the top; for 1D data (`line`) one row of `side`
 * samples from xmin to xmax, both ends included, at y = 0.
 */
function axes(box: Box, side: number, line: boolean): [Float64Array, Float64Array] {
  const [xmin, xmax, ymin, ymax] = box;
  if (line) {
    const xs = Float64Array.from({ length: side }, (_, i) => linspace(xmin, xmax, side, i));
    return [xs, new Float64Array(1)];
  }
  const hx = (xmax - xmin) / (2 * side);
  const hy = (ymax - ymin) / (2 * side);
  const xs = Float64Array.from({ length: side }, (_, c) => linspace(xmin + hx, xmax - hx, side, c));
  const ys = Float64Array.from({ length: side }, (_, r) => linspace(ymax - hy, ymin + hy, side, r));
  return [xs, ys];
}

/** The points of a grid, fed to a net block by block. */
export class GridInput {
  private readonly xs: Float64Array;
  private readonly ys: Float64Array;
  /** Per unit of the first layer, its sum over the x features at each column (with the bias)
   * and over the y features at each row; null where a feature reads both. */
  private readonly columnSums: Float64Array | null = null;
  private readonly rowSums: Float64Array | null = null;

  constructor(
    private readonly net: CompiledNet,
    box: Box,
    private readonly side: number,
    line: boolean,
  ) {
    [this.xs, this.ys] = axes(box, side, line);
    const first = net.ops[0];
    const axis = net.featureNames.map((name) => AXIS[name]);
    if (first?.kind !== "linear" || axis.some((a) => a === undefined)) return;
    const width = axis.length;
    this.columnSums = new Float64Array(first.units * this.xs.length);
    this.rowSums = new Float64Array(first.units * this.ys.length);
    for (let o = 0; o < first.units; o++) {
      const w = first.weight.subarray(o * width, (o + 1) * width);
      this.xs.forEach((x, c) => {
        let sum = first.bias[o]!;
        axis.forEach((a, f) => (sum += a === "x" ? w[f]! * net.features[f]!(x, 0) : 0));
        this.columnSums![o * this.xs.length + c] = sum;
      });
      this.ys.forEach((y, r) => {
        let sum = 0;
        axis.forEach((a, f) => (sum += a === "y" ? w[f]! * net.features[f]!(0, y) : 0));
        this.rowSums![o * this.ys.length + r] = sum;
      });
    }
  }

  /** Whether firstLayer() stands for the features and the first op. */
  get separable(): boolean {
    return this.columnSums !== null;
  }

  /** Writes the features of points [at, at + m), column f at [f·block, …). */
  features(at: number, m: number, input: Float32Array, block: number): void {
    const { xs, ys, side } = this;
    this.net.features.forEach((fn, f) => {
      const column = input.subarray(f * block, f * block + m);
      const name = this.net.featureNames[f];
      if (name === "x1") {
        for (let k = 0; k < m; k++) column[k] = xs[(at + k) % side]!;
      } else if (name === "x2") {
        for (let k = 0; k < m; k++) column[k] = ys[((at + k) / side) | 0]!;
      } else {
        for (let k = 0; k < m; k++)
          column[k] = fn(xs[(at + k) % side]!, ys[((at + k) / side) | 0]!);
      }
    });
  }

  /** The first linear layer's outputs at points [at, at + m) (when separable). */
  firstLayer(at: number, m: number, out: Float32Array, block: number): void {
    const { side } = this;
    const columnSums = this.columnSums!;
    const rowSums = this.rowSums!;
    const rows = this.ys.length;
    for (let o = 0; o * side < columnSums.length; o++) {
      const target = out.subarray(o * block, o * block + m);
      let c = at % side;
      let r = (at / side) | 0;
      const columnBase = o * side;
      const rowBase = o * rows;
      for (let k = 0; k < m; k++) {
        target[k] = columnSums[columnBase + c]! + rowSums[rowBase + r]!;
        if (++c === side) {
          c = 0;
          r++;
        }
      }
    }
  }
}
