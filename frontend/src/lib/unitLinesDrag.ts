// A unit's shape on the output canvas (a line in 2D, a step in 1D) and what a handle drag or a
// key press makes of it, in the unit's own parameters: the weights and bias to send.

import type { Box } from "./draw/points";
import {
  applyToLine,
  applyToStep,
  lineFromWeights,
  lineSteepnessTo,
  moveTo,
  rotateTo,
  stepFromWeights,
  steepnessTo,
  weightsFromLine,
  weightsFromStep,
  type KeyMove,
  type UnitLine,
  type UnitStep,
} from "./unitLines";

export type Shape = { kind: "line"; line: UnitLine } | { kind: "step"; step: UnitStep };

/** Which handle a drag holds: the centre moves, the end turns, the side handle (on the active
 * side, where z = 2) sets the steepness |w|. */
export type Handle = "move" | "rotate" | "steepness";

/** The closest a steepness handle comes to its step, as a share of the box's width. */
const MIN_GAP = 1 / 200;

export function boxCentre(box: Box): [number, number] {
  return [(box[0] + box[1]) / 2, (box[2] + box[3]) / 2];
}

/** The shape of a unit with these parameters (weights, then bias); null for a constant unit. */
export function shapeOf(params: readonly number[], box: Box): Shape | null {
  if (params.length === 2) {
    const step = stepFromWeights(params[0]!, params[1]!);
    return step && { kind: "step", step };
  }
  if (params.length !== 3) return null;
  const line = lineFromWeights(params[0]!, params[1]!, params[2]!, boxCentre(box));
  return line && { kind: "line", line };
}

/** The parameters (weights, then bias) that give the shape. */
export function shapeParams(shape: Shape): number[] {
  return shape.kind === "line" ? weightsFromLine(shape.line) : weightsFromStep(shape.step);
}

/** The shape after its `handle` is dragged to `pointer` (data coordinates). A move or a turn
 * keeps |w| and the active side; only the steepness handle changes |w|, and it keeps the rest. */
export function dragShape(
  shape: Shape,
  handle: Handle,
  pointer: [number, number],
  box: Box,
): Shape {
  if (shape.kind === "line") {
    if (handle === "move") return { kind: "line", line: moveTo(shape.line, pointer) };
    if (handle === "rotate") return { kind: "line", line: rotateTo(shape.line, pointer) };
    const line = lineSteepnessTo(shape.line, pointer, MIN_GAP * (box[1] - box[0]));
    return { kind: "line", line };
  }
  if (handle === "move") return { kind: "step", step: { ...shape.step, position: pointer[0] } };
  if (handle === "steepness") {
    const step = steepnessTo(shape.step, pointer[0], MIN_GAP * (box[1] - box[0]));
    return { kind: "step", step };
  }
  return shape;
}

/** The shape after one key press. */
export function keyShape(shape: Shape, move: KeyMove): Shape {
  return shape.kind === "line"
    ? { kind: "line", line: applyToLine(shape.line, move) }
    : { kind: "step", step: applyToStep(shape.step, move) };
}
