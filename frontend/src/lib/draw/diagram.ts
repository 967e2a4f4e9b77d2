// The network diagram's geometry: a column of nodes per layer (input features, each hidden
// layer, the outputs), edges between shown nodes, and hit-testing. Pure, so tests need no canvas.

import type { LayerWeights } from "../inspection";
import { CLASS_0, CLASS_1 } from "./colors";

export interface DiagramSize {
  width: number;
  height: number;
}

/** One drawn neuron: `column` 0 holds the inputs; column c > 0 is Linear layer c − 1's units. */
export interface DiagramNode {
  column: number;
  unit: number;
  /** Centre, in the diagram's pixels. */
  x: number;
  y: number;
}

/** The "+N" that stands for the units of a wide layer that are not drawn. */
export interface DiagramMore {
  column: number;
  count: number;
  x: number;
  y: number;
}

export interface DiagramLayout {
  size: DiagramSize;
  /** Side of every node's square thumbnail. */
  nodeSize: number;
  columns: DiagramNode[][];
  more: DiagramMore[];
}

/** One weight: Linear `layer`, from input `col` into unit `row`, drawn from a to b. */
export interface DiagramEdge {
  layer: number;
  row: number;
  col: number;
  weight: number;
  ax: number;
  ay: number;
  bx: number;
  by: number;
}

export const MAX_NODES = 12;
const PAD = 14;
const MAX_NODE_SIZE = 44;
const MIN_NODE_SIZE = 12;
/** Space between two nodes of a column, as a share of the node's side. */
const ROW_GAP = 0.3;

/**
 * Places `counts[c]` nodes in column c (inputs, hidden layers, outputs), centred vertically.
 * A column of more than `maxNodes` units shows its first maxNodes − 1 and a "+N" marker.
 */
export function layoutDiagram(
  counts: readonly number[],
  size: DiagramSize,
  maxNodes = MAX_NODES,
): DiagramLayout {
  const shownCounts = counts.map((c) => Math.min(c, maxNodes));
  const tallest = Math.max(1, ...shownCounts);
  const gaps = Math.max(1, counts.length - 1);
  const byHeight = (size.height - 2 * PAD) / (tallest + (tallest - 1) * ROW_GAP);
  const byWidth = (size.width - 2 * PAD) / (gaps + 1) / 1.6;
  const nodeSize = clamp(Math.floor(Math.min(byHeight, byWidth)), MIN_NODE_SIZE, MAX_NODE_SIZE);
  const step = nodeSize * (1 + ROW_GAP);
  const left = PAD + nodeSize / 2;
  const span = size.width - 2 * left;
  const columns: DiagramNode[][] = [];
  const more: DiagramMore[] = [];
  counts.forEach((count, column) => {
    const x = counts.length === 1 ? size.width / 2 : left + (column / gaps) * span;
    const slots = shownCounts[column]!;
    const top = size.height / 2 - ((slots - 1) * step) / 2;
    const drawn = count > maxNodes ? maxNodes - 1 : count;
    columns.push(
      Array.from({ length: drawn }, (_, unit) => ({ column, unit, x, y: top + unit * step })),
    );
    if (count > drawn) more.push({ column, count: count - drawn, x, y: top + drawn * step });
  });
  return { size, nodeSize, columns, more };
}

/** The edges between shown nodes, one per weight, from each layer's weights. */
export function diagramEdges(
  layout: DiagramLayout,
  layers: readonly LayerWeights[],
): DiagramEdge[] {
  const edges: DiagramEdge[] = [];
  const half = layout.nodeSize / 2;
  layers.forEach((layer, index) => {
    const sources = layout.columns[index];
    const targets = layout.columns[index + 1];
    if (!sources || !targets) return;
    for (const target of targets) {
      for (const source of sources) {
        if (target.unit >= layer.units || source.unit >= layer.inputs) continue;
        edges.push({
          layer: layer.layer,
          row: target.unit,
          col: source.unit,
          weight: layer.weight[target.unit * layer.inputs + source.unit]!,
          ax: source.x + half,
          ay: source.y,
          bx: target.x - half,
          by: target.y,
        });
      }
    }
  });
  return edges;
}

/** The largest finite |weight| among the edges (at least a tiny positive number). */
export function largestWeight(edges: readonly DiagramEdge[]): number {
  let largest = 1e-9;
  for (const edge of edges) {
    const w = Math.abs(edge.weight);
    if (Number.isFinite(w) && w > largest) largest = w;
  }
  return largest;
}

/**
 * How an edge is stroked: blue for a positive weight, orange for a negative one (as the
 * classes), wider and more opaque as |w| nears the largest.
 */
export function edgeStyle(
  weight: number,
  largest: number,
): { color: string; width: number; alpha: number } {
  if (!Number.isFinite(weight)) return { color: "#94a0b0", width: 1, alpha: 0.8 };
  const t = Math.min(1, Math.abs(weight) / largest);
  return { color: weight >= 0 ? CLASS_1 : CLASS_0, width: 0.5 + 3.5 * t, alpha: 0.25 + 0.65 * t };
}

/** The node whose square holds (x, y), or null. */
export function nodeAt(layout: DiagramLayout, x: number, y: number): DiagramNode | null {
  const half = layout.nodeSize / 2;
  for (const column of layout.columns) {
    for (const node of column) {
      if (Math.abs(x - node.x) <= half && Math.abs(y - node.y) <= half) return node;
    }
  }
  return null;
}

/**
 * The point at t (0..1) along an edge's curve: a cubic Bézier leaving and entering level,
 * with both control points halfway across, as the painter draws it.
 */
export function edgePoint(edge: DiagramEdge, t: number): [number, number] {
  const u = 1 - t;
  const mx = (edge.ax + edge.bx) / 2;
  const x = u * u * u * edge.ax + 3 * u * u * t * mx + 3 * u * t * t * mx + t * t * t * edge.bx;
  const y = (u * u * u + 3 * u * u * t) * edge.ay + (3 * u * t * t + t * t * t) * edge.by;
  return [x, y];
}

/** Pieces of the polyline that stands for an edge's curve in hit-testing. */
const CURVE_PIECES = 16;

/** The edge whose curve passes nearest (x, y) within `tolerance` pixels, or null. */
export function edgeAt(
  edges: readonly DiagramEdge[],
  x: number,
  y: number,
  tolerance = 4,
): DiagramEdge | null {
  let best: DiagramEdge | null = null;
  let bestDistance = tolerance;
  for (const edge of edges) {
    if (x < Math.min(edge.ax, edge.bx) - tolerance || x > Math.max(edge.ax, edge.bx) + tolerance) {
      continue;
    }
    let [px, py] = edgePoint(edge, 0);
    for (let k = 1; k <= CURVE_PIECES; k++) {
      const [qx, qy] = edgePoint(edge, k / CURVE_PIECES);
      const d = segmentDistance(x, y, px, py, qx, qy);
      if (d <= bestDistance) {
        best = edge;
        bestDistance = d;
      }
      [px, py] = [qx, qy];
    }
  }
  return best;
}

/** The distance from point p to the segment a–b. */
export function segmentDistance(
  px: number,
  py: number,
  ax: number,
  ay: number,
  bx: number,
  by: number,
): number {
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSquared = dx * dx + dy * dy;
  const t =
    lengthSquared === 0 ? 0 : clamp(((px - ax) * dx + (py - ay) * dy) / lengthSquared, 0, 1);
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function clamp(value: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, value));
}
