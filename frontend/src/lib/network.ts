// Facts about an architecture shown next to the network builder.

import type { HiddenLayer } from "./protocol.gen";

export const INPUTS = 2;

/** A hidden layer with no normalisation, dropout or own expression: the one place that lists
 * a layer's extras, so a new one is added here once. */
export function plainLayer(units: number, activation: string): HiddenLayer {
  return { units, activation, batch_norm: false, layer_norm: false, dropout: 0, expression: "" };
}
export const OUTPUTS = 1;

/** A layer as these facts need it: its width, and the norms that add parameters. */
export type LayerShape = Pick<HiddenLayer, "units" | "activation"> &
  Partial<Pick<HiddenLayer, "batch_norm" | "layer_norm">>;

const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? "" : "s"}`;

/** "2 inputs → 4 → 2 → 1 output". */
export function architectureSummary(
  hidden: readonly LayerShape[],
  inputs = INPUTS,
  outputs = OUTPUTS,
): string {
  return [
    plural(inputs, "input"),
    ...hidden.map((layer) => String(layer.units)),
    plural(outputs, "output"),
  ].join(" → ");
}

/** Weights and biases of the fully connected network, plus each norm's scale and shift. */
export function parameterCount(
  hidden: readonly LayerShape[],
  inputs = INPUTS,
  outputs = OUTPUTS,
): number {
  const widths = [inputs, ...hidden.map((layer) => layer.units), outputs];
  let count = 0;
  for (let i = 1; i < widths.length; i++) count += (widths[i - 1]! + 1) * widths[i]!;
  for (const layer of hidden) {
    count +=
      2 * layer.units * (Number(layer.batch_norm ?? false) + Number(layer.layer_norm ?? false));
  }
  return count;
}

/** True when every hidden activation is piecewise linear, so linear regions can be counted. */
export function isPiecewiseLinear(
  hidden: readonly LayerShape[],
  piecewise: ReadonlySet<string>,
): boolean {
  return hidden.every((layer) => piecewise.has(layer.activation));
}
