// Where the computational graph's nodes and edges go: one column per operation, left to right,
// one box per unit while a layer is narrow, one summary box for a wide one. Pure maths, so
// vitest checks it without a browser; GraphView.svelte only draws what this returns.

import { formatCompact } from "./formatCompact";
import type { GraphNodeView } from "./protocol.gen";

/** Layers wider than this draw as one box holding a summary of the vector. */
export const COLLAPSE_ABOVE = 8;
export const BOX_WIDTH = 64;
export const COLUMN_GAP = 42;
export const HEADER = 34;
const PITCH_MAX = 38;
const PITCH_MIN = 30;

export interface GraphBox {
  /** The unit's index in the node's vector, or null for a collapsed (summary) box. */
  unit: number | null;
  x: number;
  y: number;
  height: number;
}

export interface GraphColumn {
  node: GraphNodeView;
  index: number;
  x: number;
  collapsed: boolean;
  boxes: GraphBox[];
}

export interface GraphEdge {
  /** Column index of the target; the source is the column before it. */
  column: number;
  from: GraphBox;
  to: GraphBox;
  /** ∂(to)/∂(from) when one number says it (a unit-to-unit edge), else null. */
  local: number | null;
  /** The edge of an elementwise op (unit i to unit i): its label is drawn. */
  labelled: boolean;
}

export interface GraphLayout {
  columns: GraphColumn[];
  edges: GraphEdge[];
  width: number;
  height: number;
}

/** The local derivative ∂value[i]/∂previous[j] of a node's incoming edge (0 off a diagonal). */
export function localAt(node: GraphNodeView, i: number, j: number): number {
  if (node.local_diagonal) return i === j ? (node.local_diagonal[i] ?? NaN) : 0;
  return node.local_matrix?.[i]?.[j] ?? NaN;
}

/** Lays the nodes out in `height` pixels (at least enough for the widest narrow column). */
export function layoutGraph(nodes: readonly GraphNodeView[], height: number): GraphLayout {
  const tallest = Math.max(
    1,
    ...nodes.map((n) => (n.value.length > COLLAPSE_ABOVE ? 2 : n.value.length)),
  );
  const pitch = Math.max(PITCH_MIN, Math.min(PITCH_MAX, (height - HEADER) / tallest));
  const innerHeight = Math.max(height, HEADER + pitch * tallest);
  const middle = HEADER + (innerHeight - HEADER) / 2;
  const columns = nodes.map((node, index): GraphColumn => {
    const x = index * (BOX_WIDTH + COLUMN_GAP) + 4;
    const collapsed = node.value.length > COLLAPSE_ABOVE;
    if (collapsed) {
      const h = pitch * 2 - 6;
      return {
        node,
        index,
        x,
        collapsed,
        boxes: [{ unit: null, x, y: middle - h / 2, height: h }],
      };
    }
    const count = node.value.length;
    const top = middle - (count * pitch) / 2;
    const boxes = node.value.map((_, unit) => ({
      unit,
      x,
      y: top + unit * pitch + 3,
      height: pitch - 6,
    }));
    return { node, index, x, collapsed, boxes };
  });
  const edges: GraphEdge[] = [];
  for (const column of columns.slice(1)) {
    const before = columns[column.index - 1]!;
    const diagonal = column.node.local_diagonal !== null;
    for (const to of column.boxes) {
      for (const from of before.boxes) {
        if (diagonal && to.unit !== null && from.unit !== null && to.unit !== from.unit) continue;
        const local =
          to.unit !== null && from.unit !== null ? localAt(column.node, to.unit, from.unit) : null;
        edges.push({ column: column.index, from, to, local, labelled: diagonal && local !== null });
      }
    }
  }
  const width = nodes.length * (BOX_WIDTH + COLUMN_GAP) - COLUMN_GAP + 40; // room for a label
  return { columns, edges, width, height: innerHeight };
}

/** A vector in a few characters: its length, smallest and largest entry. */
export function summarise(values: readonly number[]): string {
  const finite = values.filter(Number.isFinite);
  const odd = values.length - finite.length;
  const low = finite.length ? Math.min(...finite) : NaN;
  const high = finite.length ? Math.max(...finite) : NaN;
  const range = finite.length ? `${formatCompact(low)} … ${formatCompact(high)}` : "";
  return `${values.length} values ${range}${odd ? `, ${odd} not finite` : ""}`.trim();
}

/** A collapsed vector's two lines: its largest and smallest entry. */
export function extremes(values: readonly number[]): [string, string] {
  if (values.some(Number.isNaN))
    return ["has NaN", `${values.filter(Number.isNaN).length} of ${values.length}`];
  return [`max ${formatCompact(Math.max(...values))}`, `min ${formatCompact(Math.min(...values))}`];
}

/** What a matrix edge multiplies by, in words: "× W₁ (4×2)", "× J (3×3)". */
export function edgeCaption(node: GraphNodeView, inputs: number): string {
  if (node.local_diagonal) return node.op === "add_bias" ? "× 1" : "× slope";
  const rows = node.value.length;
  const name = node.op === "matmul" ? node.label.split("·")[0]! : "J";
  return `× ${name} (${rows}×${inputs})`;
}

/** The chain rule at one unit, in words: how its gradient came from the node after it. */
export function chainText(
  nodes: readonly GraphNodeView[],
  index: number,
  unit: number | null,
): string {
  const node = nodes[index]!;
  const next = nodes[index + 1];
  if (!next) return "∂L/∂L = 1: the backward pass starts here";
  if (unit === null || (!next.local_diagonal && !next.local_matrix)) {
    // A collapsed (wide) layer: its Jacobian stays on the server, the product is summarised.
    return `∂L/∂${node.symbol} = ∂L/∂${next.symbol} × ∂${next.symbol}/∂${node.symbol}: ${summarise(node.grad)}`;
  }
  const at = unit;
  const grad = formatCompact(node.grad[at]);
  if (next.local_diagonal) {
    const up = formatCompact(next.grad[at]);
    const local = formatCompact(next.local_diagonal[at]);
    return `∂L/∂${node.symbol} = ${up} × ${local} = ${grad}`;
  }
  const terms = next.grad.map(
    (g, i) => `${formatCompact(g)}·${formatCompact(localAt(next, i, at))}`,
  );
  const shown = terms.length > 3 ? [...terms.slice(0, 3), "…"] : terms;
  return `∂L/∂${node.symbol} = ${shown.join(" + ")} = ${grad}`;
}
