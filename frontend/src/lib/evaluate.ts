// The page's own evaluator: a frame's `weights` (server/page_grid.py) turned into the same output
// grid the server would send, at a resolution of the page's choice. Blocks of 2,048 points go
// through the whole network layer by layer, one column of the block per unit, so each inner loop
// is a plain multiply-add and a block's columns stay in the CPU's cache; scratch columns are
// reused from block to block. tests/server/test_page_grid_parity.py holds it to the server's grid.

import { ACTIVATIONS, activate, sigmoid } from "./evaluateMath";
import { GridInput } from "./evaluateInput";
import { linearBlock } from "./evaluateLinear";
import type { DecodedGrid, GridKind } from "./grid";
import type { NetWeights } from "./protocol.gen";

type Box = readonly [number, number, number, number];

export { ACTIVATIONS, erf } from "./evaluateMath";

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

/** Points evaluated together: every layer's columns of a block stay in the CPU's cache. */
const BLOCK = 2048;

/**
 * Scratch memory of one evaluation: per op, its output columns for a block of points, column i
 * at [i·BLOCK, (i + 1)·BLOCK) of one Float32Array.
 */
function scratch(net: CompiledNet): { input: Float32Array; outs: Float32Array[] } {
  let width = net.features.length;
  const outs = net.ops.map((op) => {
    if (op.kind === "linear") width = op.units;
    return op.kind === "linear" ? new Float32Array(width * BLOCK) : new Float32Array(0);
  });
  return { input: new Float32Array(net.features.length * BLOCK), outs };
}

/** Runs `op` on the block's m points in `cols` (width columns); returns the columns after it. */
function runOp(
  op: Op,
  cols: Float32Array,
  width: number,
  m: number,
  out: Float32Array,
): Float32Array {
  if (op.kind === "linear") {
    linearBlock(op.weight, op.bias, cols, width, m, out, BLOCK);
    return out;
  }
  for (let i = 0; i < width; i++) {
    const base = i * BLOCK;
    if (op.kind === "batch_norm") {
      const s = op.scale[i]!;
      const t = op.shift[i]!;
      for (let k = base; k < base + m; k++) cols[k] = cols[k]! * s + t;
    } else if (op.kind === "act") activate(op.name, op.fn, cols, base, base + m);
  }
  if (op.kind === "layer_norm") layerNorm(cols, width, m, op.weight, op.bias);
  return cols;
}

function layerNorm(
  cols: Float32Array,
  width: number,
  m: number,
  weight: Float32Array,
  bias: Float32Array,
): void {
  for (let k = 0; k < m; k++) {
    let mean = 0;
    for (let i = 0; i < width; i++) mean += cols[i * BLOCK + k]!;
    mean /= width;
    let variance = 0;
    for (let i = 0; i < width; i++) variance += (cols[i * BLOCK + k]! - mean) ** 2;
    const inv = 1 / Math.sqrt(variance / width + EPS);
    for (let i = 0; i < width; i++) {
      const at = i * BLOCK + k;
      cols[at] = (cols[at]! - mean) * inv * weight[i]! + bias[i]!;
    }
  }
}

/** Writes the head's planes (as frames.py _planes writes them) of the block's m outputs in
 * `out` (`classes` columns) to points [at, at + m) of `planes`. */
function writeHead(
  head: NetWeights["head"],
  out: Float32Array,
  classes: number,
  m: number,
  planes: Float32Array[],
  at: number,
): void {
  const first = planes[0]!;
  if (head === "sigmoid") {
    for (let k = 0; k < m; k++) first[at + k] = sigmoid(out[k]!);
    return;
  }
  if (head === "identity") {
    for (let k = 0; k < m; k++)
      first[at + k] = Math.min(VALUE_CLAMP, Math.max(-VALUE_CLAMP, out[k]!));
    return;
  }
  const probs = planes[1]!;
  for (let k = 0; k < m; k++) {
    let best = 0;
    let top = -Infinity;
    for (let c = 0; c < classes; c++) {
      const v = out[c * BLOCK + k]!;
      if (v > top) [top, best] = [v, c];
    }
    let sum = 0;
    for (let c = 0; c < classes; c++) sum += Math.exp(out[c * BLOCK + k]! - top);
    first[at + k] = top === top ? best : NaN;
    probs[at + k] = 1 / sum;
  }
}

const HEAD_KIND: Record<NetWeights["head"], GridKind> = {
  sigmoid: "probability",
  identity: "value",
  softmax: "class",
};

/**
 * The network's output grid over `box`: side×side cell centres (row 0 at ymax), or for 1D data
 * (`line`) one row of `side` samples from box[0] to box[1]; the same planes as the server's grid.
 */
export function evaluateGrid(net: CompiledNet, box: Box, side: number, line = false): DecodedGrid {
  const height = line ? 1 : side;
  const n = side * height;
  const kind = HEAD_KIND[net.head];
  const planes = Array.from({ length: kind === "class" ? 2 : 1 }, () => new Float32Array(n));
  const { input, outs } = scratch(net);
  const points = new GridInput(net, box, side, line);
  for (let at = 0; at < n; at += BLOCK) {
    const m = Math.min(BLOCK, n - at);
    let cols = input;
    let width = net.features.length;
    if (!points.separable) points.features(at, m, input, BLOCK);
    net.ops.forEach((op, i) => {
      if (i === 0 && points.separable) points.firstLayer(at, m, outs[0]!, BLOCK);
      cols = i === 0 && points.separable ? outs[0]! : runOp(op, cols, width, m, outs[i]!);
      if (op.kind === "linear") width = op.units;
    });
    writeHead(net.head, cols, width, m, planes, at);
  }
  return { kind, width: side, height, planes };
}
