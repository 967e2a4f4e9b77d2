// What the network diagram says about a neuron or a weight: names people read, and the tooltip.
import type { DiagramEdge, DiagramNode } from "./draw/diagram";
import { formatCompact } from "./formatCompact";
import { weightAt, type LayerWeights } from "./inspection";

/** The layers and input features a diagram shows, to name its units. */
export interface DiagramNet {
  layers: readonly LayerWeights[];
  features: readonly string[];
}

/** The people-facing name of a diagram column's unit (column 0: the inputs). */
export function nodeName(net: DiagramNet, column: number, unit: number): string {
  if (column === 0) return `input ${net.features[unit] ?? unit + 1}`;
  const layer = net.layers[column - 1];
  return `${layer?.name ?? `layer ${column}`}, neuron ${unit + 1}`;
}

/** The tooltip of a hovered (or focused) neuron or weight; `paused` says weights can be edited. */
export function diagramTooltip(
  net: DiagramNet,
  target: DiagramNode | DiagramEdge,
  paused: boolean,
): string {
  if ("column" in target) {
    if (target.column === 0)
      return `${nodeName(net, 0, target.unit)} · click a neuron to see it large`;
    const layer = net.layers[target.column - 1];
    const bias = layer ? formatCompact(layer.bias[target.unit]) : "—";
    const activation = layer?.activation ? ` · ${layer.activation}` : "";
    const name = nodeName(net, target.column, target.unit);
    return `${name} · bias ${bias}${activation} · click to enlarge`;
  }
  const layer = net.layers.find((l) => l.layer === target.layer);
  const weight = layer ? weightAt(layer, target.row, target.col) : target.weight;
  const from = nodeName(net, target.layer, target.col);
  const into = nodeName(net, target.layer + 1, target.row);
  return `weight ${formatCompact(weight)} · ${from} → ${into}${paused ? " · click to edit" : ""}`;
}
