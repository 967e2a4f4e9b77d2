// Keyboard movement over the network diagram: neurons in columns, and the weights (edges)
// between them. Up and down move within a column (or among one neuron's edges), right and left
// follow edges through the network. Pure: the overlay focuses what this returns.

/** A neuron: column 0 holds the inputs, column c > 0 is Linear layer c − 1's units. */
export interface NeuronItem {
  kind: "neuron";
  column: number;
  unit: number;
}

/**
 * The weight of Linear `layer` from unit `col` of column `layer` into unit `row` of column
 * `layer + 1`. `from` says which end it was reached from: up and down keep that end and move the
 * other (a source's outgoing weights, or a target's incoming ones).
 */
export interface EdgeItem {
  kind: "edge";
  layer: number;
  row: number;
  col: number;
  from: "source" | "target";
}

export type DiagramItem = NeuronItem | EdgeItem;

/** A stable key per item, for data attributes and focus. */
export function itemKey(item: DiagramItem): string {
  return item.kind === "neuron"
    ? `n-${item.column}-${item.unit}`
    : `e-${item.layer}-${item.row}-${item.col}`;
}

/** The first neuron a person reaches: the first hidden (or output) unit, else the first input. */
export function firstItem(shown: readonly number[]): NeuronItem | null {
  if (shown.length === 0) return null;
  const column = shown.length > 1 && (shown[1] ?? 0) > 0 ? 1 : 0;
  return { kind: "neuron", column, unit: 0 };
}

/** `item` if it still exists among `shown[c]` drawn units per column, else the first item. */
export function validItem(item: DiagramItem | null, shown: readonly number[]): DiagramItem | null {
  if (item?.kind === "neuron" && item.unit < (shown[item.column] ?? 0)) return item;
  if (
    item?.kind === "edge" &&
    item.col < (shown[item.layer] ?? 0) &&
    item.row < (shown[item.layer + 1] ?? 0)
  ) {
    return item;
  }
  return firstItem(shown);
}

function wrap(index: number, count: number): number {
  return ((index % count) + count) % count;
}

/** Up/Down (±1, wrapping) and Home/End (first/last) over `count` positions, or null. */
function along(key: string, index: number, count: number): number | null {
  if (count <= 0) return null;
  if (key === "ArrowDown") return wrap(index + 1, count);
  if (key === "ArrowUp") return wrap(index - 1, count);
  if (key === "Home") return 0;
  if (key === "End") return count - 1;
  return null;
}

/** Where `key` moves from `item`, given `shown[c]` drawn units per column; null: no move. */
export function moveInDiagram(
  item: DiagramItem,
  key: string,
  shown: readonly number[],
): DiagramItem | null {
  if (item.kind === "neuron") {
    const { column, unit } = item;
    if (key === "ArrowRight") {
      return column + 1 < shown.length && (shown[column + 1] ?? 0) > 0
        ? { kind: "edge", layer: column, row: 0, col: unit, from: "source" }
        : null;
    }
    if (key === "ArrowLeft") {
      return column > 0 && (shown[column - 1] ?? 0) > 0
        ? { kind: "edge", layer: column - 1, row: unit, col: 0, from: "target" }
        : null;
    }
    const next = along(key, unit, shown[column] ?? 0);
    return next === null ? null : { kind: "neuron", column, unit: next };
  }
  const { layer, row, col, from } = item;
  if (key === "ArrowRight") return { kind: "neuron", column: layer + 1, unit: row };
  if (key === "ArrowLeft") return { kind: "neuron", column: layer, unit: col };
  if (from === "source") {
    const next = along(key, row, shown[layer + 1] ?? 0);
    return next === null ? null : { ...item, row: next };
  }
  const next = along(key, col, shown[layer] ?? 0);
  return next === null ? null : { ...item, col: next };
}
