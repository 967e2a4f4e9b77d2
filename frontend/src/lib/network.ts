// Facts about an architecture shown next to the network builder.

import type { HiddenLayer } from "./protocol.gen";

export const INPUTS = 2;
export const OUTPUTS = 1;

/** "2 inputs → 4 → 2 → 1 output". */
export function architectureSummary(hidden: readonly HiddenLayer[]): string {
  return [
    `${INPUTS} inputs`,
    ...hidden.map((layer) => String(layer.units)),
    `${OUTPUTS} output`,
  ].join(" → ");
}

/** Weights and biases of the fully connected network. */
export function parameterCount(hidden: readonly HiddenLayer[]): number {
  const widths = [INPUTS, ...hidden.map((layer) => layer.units), OUTPUTS];
  let count = 0;
  for (let i = 1; i < widths.length; i++) count += (widths[i - 1]! + 1) * widths[i]!;
  return count;
}

/** True when every hidden activation is piecewise linear, so linear regions can be counted. */
export function isPiecewiseLinear(
  hidden: readonly HiddenLayer[],
  piecewise: ReadonlySet<string>,
): boolean {
  return hidden.every((layer) => piecewise.has(layer.activation));
}
