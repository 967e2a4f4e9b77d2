// The page's own evaluator: a frame's `weights` (server/page_grid.py) turned into the same output
// grid the server would send, at a resolution of the page's choice. Layer by layer over columns
// of points (one Float32Array per unit), so each inner loop is a plain multiply-add the JIT
// vectorises. tests/server/test_page_grid_parity.py holds it to the server's own grid.

import type { DecodedGrid, GridKind } from "./grid";
import type { NetWeights } from "./protocol.gen";

type Box = readonly [number, number, number, number];
type Column = Float32Array;

/** The page's activations, by catalog name: each torch module with the options its record builds. */
const SQRT_HALF = Math.SQRT1_2;
export const ACTIVATIONS: Record<string, (z: number) => number> = {
  relu: (z) => (z < 0 ? 0 : z),
  leaky_relu: (z) => (z > 0 ? z : 0.01 * z),
  elu: (z) => (z > 0 ? z : Math.expm1(z)),
  gelu: (z) => 0.5 * z * (1 + erf(z * SQRT_HALF)),
  hardtanh: (z) => (z < -1 ? -1 : z > 1 ? 1 : z),
  tanh: Math.tanh,
  sigmoid,
  softplus,
  silu: (z) => z * sigmoid(z),
  mish: (z) => z * Math.tanh(softplus(z)),
  sin: Math.sin,
  linear: (z) => z,
};

/** The input features by name (models/features.py), from the point (x1, x2). */
export const FEATURES: Record<string, (x1: number, x2: number) => number> = {
  x1: (x1) => x1,
  x2: (_, x2) => x2,
  x1_squared: (x1) => x1 * x1,
  x2_squared: (_, x2) => x2 * x2,
  x1_x2: (x1, x2) => x1 * x2,
  sin_x1: (x1) => Math.sin(x1),
  sin_x2: (_, x2) => Math.sin(x2),
};

const EPS = 1e-5;
const VALUE_CLAMP = 6e4;

function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** torch's softplus with beta 1 and threshold 20: linear above the threshold. */
function softplus(z: number): number {
  return z > 20 ? z : Math.log1p(Math.exp(z));
}

/** The error function to ~1e-13: its Taylor series below 2.5, erfc's continued fraction above. */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 2.5) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  const r = a > 6 ? 1 : 1 - erfcContinued(a);
  return x < 0 ? -r : r;
}

/** erfc(a) for a ≥ 2.5 by Lentz's continued fraction. */
function erfcContinued(a: number): number {
  // erfc(a) = exp(-a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + 2/(a + ...)))))
  const tiny = 1e-300;
  let f = a;
  let c = a;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = a + an * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = a + an / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
}

export type Op =
  | { kind: "linear"; units: number; weight: Float32Array; bias: Float32Array }
  | { kind: "batch_norm"; scale: Float32Array; shift: Float32Array }
  | { kind: "layer_norm"; weight: Float32Array; bias: Float32Array }
  | { kind: "act"; fn: (z: number) => number; name: string };

/** A network read from a frame's weights, checked against its own sizes. */
export interface CompiledNet {
  features: ((x1: number, x2: number) => number)[];
  ops: Op[];
  head: NetWeights["head"];
  /** The features' names, in order. */
  featureNames: string[];
  /** Outputs of the last op. */
  outputs: number;
}

/** Reads `weights` into a CompiledNet; throws a readable error when they do not fit together. */
export function compileNet(weights: NetWeights): CompiledNet {
  const bytes = weights.data;
  if (bytes.byteLength % 4 !== 0) throw new Error(`${bytes.byteLength} bytes is not float32s`);
  const all = new Float32Array(bytes.byteLength / 4);
  new Uint8Array(all.buffer).set(bytes); // copy: the bytes may sit unaligned in the message
  let at = 0;
  const take = (n: number): Float32Array => {
    if (at + n > all.length) throw new Error(`the weights end early (${all.length} values)`);
    at += n;
    return all.subarray(at - n, at);
  };
  const features = weights.features.map((name) => {
    const fn = FEATURES[name];
    if (!fn) throw new Error(`unknown feature ${name}`);
    return fn;
  });
  let width = features.length;
  const ops: Op[] = weights.ops.map((text): Op => {
    const [kind, arg = ""] = text.split(":");
    if (kind === "linear") {
      const units = Number(arg);
      if (!Number.isInteger(units) || units < 1) throw new Error(`bad op ${text}`);
      const weight = take(units * width);
      const bias = take(units);
      width = units;
      return { kind, units, weight, bias };
    }
    if (kind === "batch_norm") {
      const [w, b, mean, variance] = [take(width), take(width), take(width), take(width)];
      // Eval mode: (z - mean) / sqrt(var + eps) * w + b, folded into one scale and shift.
      const scale = new Float32Array(width);
      const shift = new Float32Array(width);
      for (let i = 0; i < width; i++) {
        scale[i] = w[i]! / Math.sqrt(variance[i]! + EPS);
        shift[i] = b[i]! - mean[i]! * scale[i]!;
      }
      return { kind, scale, shift };
    }
    if (kind === "layer_norm") return { kind, weight: take(width), bias: take(width) };
    const fn = kind === "act" ? ACTIVATIONS[arg] : undefined;
    if (!fn) throw new Error(`unknown op ${text}`);
    return { kind: "act", fn, name: arg };
  });
  if (at !== all.length) throw new Error(`${all.length - at} weights left over`);
  if (weights.head === "softmax" ? width < 2 : width !== 1) {
    throw new Error(`a ${weights.head} head cannot read ${width} outputs`);
  }
  return { features, featureNames: weights.features, ops, head: weights.head, outputs: width };
}

/** Value i of torch.linspace(start, end, steps), which counts the second half from `end`. */
function linspace(start: number, end: number, steps: number, i: number): number {
  const step = (end - start) / Math.max(1, steps - 1);
  return Math.fround(i < Math.floor(steps / 2) ? start + step * i : end - step * (steps - 1 - i));
}

/** The points of a grid (models/analysis/grid.py): cell centres of a side×side grid, row 0 at
 * the top, or for 1D data `side` samples from xmin to xmax, both ends included. */
function points(box: Box, side: number, line: boolean): [Float64Array, Float64Array] {
  const [xmin, xmax, ymin, ymax] = box;
  if (line) {
    const xs = Float64Array.from({ length: side }, (_, i) => linspace(xmin, xmax, side, i));
    return [xs, new Float64Array(side)];
  }
  const xs = new Float64Array(side * side);
  const ys = new Float64Array(side * side);
  const hx = (xmax - xmin) / (2 * side);
  const hy = (ymax - ymin) / (2 * side);
  for (let r = 0; r < side; r++) {
    const y = linspace(ymax - hy, ymin + hy, side, r);
    for (let c = 0; c < side; c++) {
      xs[r * side + c] = linspace(xmin + hx, xmax - hx, side, c);
      ys[r * side + c] = y;
    }
  }
  return [xs, ys];
}

function runOp(op: Op, input: Column[], n: number): Column[] {
  if (op.kind === "linear") {
    const fanIn = input.length;
    return Array.from({ length: op.units }, (_, o) => {
      const out = new Float32Array(n).fill(op.bias[o]!);
      for (let i = 0; i < fanIn; i++) {
        const w = op.weight[o * fanIn + i]!;
        const col = input[i]!;
        for (let k = 0; k < n; k++) out[k]! += w * col[k]!;
      }
      return out;
    });
  }
  if (op.kind === "batch_norm") {
    input.forEach((col, i) => {
      const s = op.scale[i]!;
      const t = op.shift[i]!;
      for (let k = 0; k < n; k++) col[k] = col[k]! * s + t;
    });
    return input;
  }
  if (op.kind === "layer_norm") return layerNorm(input, n, op.weight, op.bias);
  for (const col of input) activate(op.name, op.fn, col, n);
  return input;
}

/**
 * Applies an activation to a column in place. The common ones get a loop of their own, so the
 * JIT inlines the function instead of calling through a closure per value; tanh goes through
 * exp (twice as fast as Math.tanh in V8, and as exact to float32: 1 - 2/(e^2z + 1)).
 */
function activate(name: string, fn: (z: number) => number, col: Column, n: number): void {
  switch (name) {
    case "relu":
      for (let k = 0; k < n; k++) if (col[k]! < 0) col[k] = 0;
      return;
    case "tanh":
      for (let k = 0; k < n; k++) col[k] = 1 - 2 / (Math.exp(2 * col[k]!) + 1);
      return;
    case "sigmoid":
      for (let k = 0; k < n; k++) col[k] = 1 / (1 + Math.exp(-col[k]!));
      return;
    case "linear":
      return;
    default:
      for (let k = 0; k < n; k++) col[k] = fn(col[k]!);
  }
}

function layerNorm(input: Column[], n: number, weight: Float32Array, bias: Float32Array): Column[] {
  const width = input.length;
  for (let k = 0; k < n; k++) {
    let mean = 0;
    for (let i = 0; i < width; i++) mean += input[i]![k]!;
    mean /= width;
    let variance = 0;
    for (let i = 0; i < width; i++) variance += (input[i]![k]! - mean) ** 2;
    const inv = 1 / Math.sqrt(variance / width + EPS);
    for (let i = 0; i < width; i++)
      input[i]![k] = (input[i]![k]! - mean) * inv * weight[i]! + bias[i]!;
  }
  return input;
}

/** The planes of `head` over the outputs, as frames.py _planes writes them. */
function headPlanes(
  head: NetWeights["head"],
  out: Column[],
  n: number,
): [GridKind, Float32Array[]] {
  if (head === "sigmoid") return ["probability", [out[0]!.map(sigmoid)]];
  if (head === "identity") {
    return ["value", [out[0]!.map((v) => Math.min(VALUE_CLAMP, Math.max(-VALUE_CLAMP, v)))]];
  }
  const classes = new Float32Array(n);
  const probs = new Float32Array(n);
  for (let k = 0; k < n; k++) {
    let best = 0;
    let top = -Infinity;
    for (let c = 0; c < out.length; c++) {
      const v = out[c]![k]!;
      if (v > top) [top, best] = [v, c];
    }
    let sum = 0;
    for (let c = 0; c < out.length; c++) sum += Math.exp(out[c]![k]! - top);
    classes[k] = top === top ? best : NaN;
    probs[k] = 1 / sum;
  }
  return ["class", [classes, probs]];
}

/**
 * The network's output grid over `box`: side×side cell centres (row 0 at ymax), or for 1D data
 * (`line`) one row of `side` samples from box[0] to box[1]; the same planes as the server's grid.
 */
export function evaluateGrid(net: CompiledNet, box: Box, side: number, line = false): DecodedGrid {
  const [xs, ys] = points(box, side, line);
  const n = xs.length;
  let cols: Column[] = net.features.map((fn) => {
    const col = new Float32Array(n);
    for (let k = 0; k < n; k++) col[k] = fn(xs[k]!, ys[k]!);
    return col;
  });
  for (const op of net.ops) cols = runOp(op, cols, n);
  const [kind, planes] = headPlanes(net.head, cols, n);
  return { kind, width: side, height: line ? 1 : side, planes };
}
