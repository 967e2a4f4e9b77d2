// The blocked, register-summing evaluator (evaluate.ts, evaluateLinear.ts) against a plain one
// written here point by point in float64 with Math.tanh: every width remainder of the 2×4
// kernel, grids of several blocks, norms, features and heads. The server's own grid is the
// other oracle (tests/server/test_page_grid_parity.py).
import { describe, expect, it } from "vitest";
import { compileNet, evaluateGrid, FEATURES } from "./evaluate";
import { fastTanh } from "./evaluateMath";
import type { NetWeights } from "./protocol.gen";

type Box = readonly [number, number, number, number];

/** Deterministic values in about [-1.5, 1.5]. */
function values(count: number, seed: number): number[] {
  return Array.from({ length: count }, (_, i) => 1.5 * Math.sin(seed * 12.9898 + i * 78.233));
}

/** A net of `ops` over `features` with deterministic weights (BatchNorm variances positive). */
function net(features: string[], ops: string[], head: NetWeights["head"], seed = 1): NetWeights {
  const data: number[] = [];
  let width = features.length;
  for (const op of ops) {
    const [kind, arg] = op.split(":");
    if (kind === "linear") {
      data.push(...values(Number(arg) * width + Number(arg), seed + data.length));
      width = Number(arg);
    } else if (kind === "batch_norm") {
      data.push(...values(3 * width, seed + data.length));
      data.push(...values(width, seed).map((v) => 0.2 + v * v));
    } else if (kind === "layer_norm") data.push(...values(2 * width, seed + data.length));
  }
  return { features, ops, head, data: new Uint8Array(new Float32Array(data).buffer) };
}

const ACT: Record<string, (z: number) => number> = {
  tanh: Math.tanh,
  relu: (z) => Math.max(0, z),
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
};

/** The head's planes at one point from the plain float64 forward pass. */
function reference(weights: NetWeights, x1: number, x2: number): number[] {
  const all = new Float32Array(new Uint8Array(weights.data).buffer);
  let at = 0;
  const take = (n: number) => Array.from(all.subarray(at, (at += n)));
  let h = weights.features.map((name) => FEATURES[name]!(x1, x2));
  for (const op of weights.ops) {
    const [kind, arg = ""] = op.split(":");
    if (kind === "linear") {
      const units = Number(arg);
      const w = take(units * h.length);
      const b = take(units);
      h = b.map((bias, o) => h.reduce((sum, v, i) => sum + w[o * h.length + i]! * v, bias));
    } else if (kind === "batch_norm") {
      const [g, b, mean, variance] = [
        take(h.length),
        take(h.length),
        take(h.length),
        take(h.length),
      ];
      h = h.map((v, i) => ((v - mean[i]!) / Math.sqrt(variance[i]! + 1e-5)) * g[i]! + b[i]!);
    } else if (kind === "layer_norm") {
      const [g, b] = [take(h.length), take(h.length)];
      const mean = h.reduce((s, v) => s + v, 0) / h.length;
      const variance = h.reduce((s, v) => s + (v - mean) ** 2, 0) / h.length;
      h = h.map((v, i) => ((v - mean) / Math.sqrt(variance + 1e-5)) * g[i]! + b[i]!);
    } else h = h.map(ACT[arg]!);
  }
  if (weights.head === "sigmoid") return [ACT["sigmoid"]!(h[0]!)];
  if (weights.head === "identity") return [h[0]!];
  const top = Math.max(...h);
  const sum = h.reduce((s, v) => s + Math.exp(v - top), 0);
  return [h.indexOf(top), 1 / sum];
}

/** Largest difference of the evaluator's grid from the reference's at the same points. */
function worstError(weights: NetWeights, box: Box, side: number): number {
  const grid = evaluateGrid(compileNet(weights), box, side);
  const [xmin, xmax, ymin, ymax] = box;
  let worst = 0;
  for (let r = 0; r < side; r++) {
    for (let c = 0; c < side; c++) {
      const x1 = xmin + ((c + 0.5) / side) * (xmax - xmin);
      const x2 = ymax - ((r + 0.5) / side) * (ymax - ymin);
      reference(weights, x1, x2).forEach((want, p) => {
        const got = grid.planes[p]![r * side + c]!;
        worst = Math.max(worst, Math.abs(got - want) / Math.max(1, Math.abs(want)));
      });
    }
  }
  return worst;
}

const BOX: Box = [-3, 3, -2, 4];

describe("the blocked evaluator", () => {
  it("matches a plain forward pass for every remainder of its 2-unit × 4-input groups", () => {
    // Widths 1 … 9 in and out: groups of 4 with 0-3 left over, an odd unit left over.
    for (const [a, b] of [
      [1, 9],
      [3, 5],
      [4, 4],
      [6, 7],
      [8, 8],
      [9, 2],
    ] as const) {
      const weights = net(
        ["x1", "x2"],
        [`linear:${a}`, "act:tanh", `linear:${b}`, "act:relu", "linear:1"],
        "identity",
        a * 10 + b,
      );
      expect(worstError(weights, BOX, 12), `${a}-${b}`).toBeLessThan(2e-6);
    }
  });

  it("matches it over grids of several blocks, with norms, features and every head", () => {
    const features = ["x1", "x2", "x1_squared", "x1_x2", "sin_x2"];
    const cases: NetWeights[] = [
      net(["x1", "x2"], ["linear:8", "act:tanh", "linear:8", "act:tanh", "linear:1"], "sigmoid"),
      net(
        features,
        ["linear:6", "batch_norm", "act:relu", "linear:3", "act:sigmoid", "linear:1"],
        "sigmoid",
        3,
      ),
      net(["x1", "x2"], ["linear:5", "layer_norm", "act:tanh", "linear:4"], "softmax", 4),
      // Every feature reads one coordinate: the first layer is summed per row and column.
      net(
        ["x2_squared", "sin_x1", "x2", "x1_squared"],
        ["linear:7", "act:tanh", "linear:1"],
        "identity",
        5,
      ),
    ];
    // 70 × 70 = 4,900 points: two whole blocks of 2,048 and a partial one.
    // float32 coordinates and layer outputs: a few ulps of each, through squares and two layers.
    for (const weights of cases) expect(worstError(weights, BOX, 70)).toBeLessThan(1e-5);
  });
});

describe("fastTanh", () => {
  it("is within 2.7e-7 of Math.tanh on the whole line, odd, and keeps NaN and the limits", () => {
    let worst = 0;
    for (let z = -12; z <= 12; z += 1e-3) {
      worst = Math.max(worst, Math.abs(fastTanh(z) - Math.tanh(z)));
      expect(fastTanh(-z)).toBe(-fastTanh(z));
    }
    expect(worst).toBeLessThan(2.7e-7);
    expect(fastTanh(0)).toBe(0);
    expect(fastTanh(1e-9)).toBeCloseTo(1e-9, 15);
    expect(Math.abs(fastTanh(Infinity) - 1)).toBeLessThan(2.7e-7);
    expect(Math.abs(fastTanh(-1e30) + 1)).toBeLessThan(2.7e-7);
    expect(fastTanh(NaN)).toBeNaN();
  });
});
