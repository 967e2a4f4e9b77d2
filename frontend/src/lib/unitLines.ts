// A first-layer unit as a line in the input plane (a step on the x axis for 1D data), the same
// geometry as models/unit_lines.py: w · x + b = 0 is the ReLU's kink, the sigmoid's or tanh's
// step; its normal w points to the active side and |w| is the step's steepness. Pure functions:
// weights <-> line, pointer drags and key presses -> a new line.

import type { Box } from "./draw/points";
import type { RunSettings } from "./protocol.gen";

/** The line w · x + b = 0: a point on it, the angle of its normal w, and |w|. */
export interface UnitLine {
  point: readonly [number, number];
  angle: number;
  steepness: number;
}

/** A 1D unit's step z = slope · (x − position); the sign of slope says which side is active. */
export interface UnitStep {
  position: number;
  slope: number;
}

/** The unit's line, its point the one nearest `near` (the box's centre); null when w = 0. */
export function lineFromWeights(
  w1: number,
  w2: number,
  b: number,
  near: readonly [number, number] = [0, 0],
): UnitLine | null {
  const steepness = Math.hypot(w1, w2);
  const squared = steepness * steepness;
  if (squared === 0 || !Number.isFinite(squared) || !Number.isFinite(b)) return null;
  const t = (w1 * near[0] + w2 * near[1] + b) / squared;
  return { point: [near[0] - t * w1, near[1] - t * w2], angle: Math.atan2(w2, w1), steepness };
}

/** [w1, w2, b] whose zero set is `line`, active on the side its normal faces. */
export function weightsFromLine(line: UnitLine): [number, number, number] {
  const w1 = line.steepness * Math.cos(line.angle);
  const w2 = line.steepness * Math.sin(line.angle);
  return [w1, w2, -(w1 * line.point[0] + w2 * line.point[1])];
}

export function stepFromWeights(w: number, b: number): UnitStep | null {
  if (w === 0 || !Number.isFinite(w) || !Number.isFinite(b)) return null;
  return { position: -b / w, slope: w };
}

export function weightsFromStep(step: UnitStep): [number, number] {
  return [step.slope, -step.slope * step.position];
}

/** Why the first layer's units are not lines on this setup (models/unit_lines.py's reasons),
 * or null when they are. */
export function linesUnavailable(settings: RunSettings | null, dims: number | null): string | null {
  if (!settings || dims === null) return "waiting for the setup";
  const network = settings.network;
  const first = network.hidden[0];
  if (!first) return "there is no hidden layer: add one to get units";
  if (dims !== 1 && dims !== 2)
    return "on image data a unit's zero set is a plane among all the pixels, not a line";
  const raw = dims === 2 ? ["x1", "x2"] : ["x1"];
  if (network.features.join(",") !== raw.join(","))
    return dims === 2
      ? "the inputs are not exactly x1, x2: a unit's zero set is then a curve, not a line"
      : "the inputs are not exactly x: a unit's zero set is then not one point";
  if (first.batch_norm || first.layer_norm)
    return "normalisation after the first layer moves each unit's zero: turn it off";
  return null;
}

const TURN = Math.PI / 2;

/** Where the rotate handle sits: along the line, `reach` from its point. */
export function rotateHandle(line: UnitLine, reach: number): [number, number] {
  return [
    line.point[0] + reach * Math.cos(line.angle + TURN),
    line.point[1] + reach * Math.sin(line.angle + TURN),
  ];
}

/** The line turned so its rotate handle points at `pointer`; |w| and the point stay. */
export function rotateTo(line: UnitLine, pointer: readonly [number, number]): UnitLine {
  const dx = pointer[0] - line.point[0];
  const dy = pointer[1] - line.point[1];
  if (dx === 0 && dy === 0) return line;
  return { ...line, angle: Math.atan2(dy, dx) - TURN };
}

/** The line moved so it passes through `pointer`; angle and |w| stay. */
export function moveTo(line: UnitLine, pointer: readonly [number, number]): UnitLine {
  return { ...line, point: [pointer[0], pointer[1]] };
}

/** z at the steepness handle of a step: σ(2) ≈ 0.88, the step's edge. */
export const STEP_EDGE = 2;

/** Where the steepness handle of a step sits on the x axis: on its active side, at z = 2 (at
 * most `most` from the step, so a soft step's handle stays in view). */
export function steepnessHandle(step: UnitStep, most = Infinity): number {
  return step.position + Math.sign(step.slope) * Math.min(most, STEP_EDGE / Math.abs(step.slope));
}

/** How far from its step a handle may sit and stay in the box (at most `reach`; a steeper
 * step's handle sits nearer, where z = 2). */
export function stepHandleRoom(step: UnitStep, box: Box, reach: number): number {
  const room = step.slope > 0 ? box[1] - step.position : step.position - box[0];
  return Math.max(0, Math.min(reach, 0.97 * room));
}

/** The step made steeper or softer so its handle lands at `x` (kept on the active side and at
 * least `minGap` from the step). */
export function steepnessTo(step: UnitStep, x: number, minGap: number): UnitStep {
  const sign = Math.sign(step.slope) || 1;
  const gap = Math.max(minGap, sign * (x - step.position));
  return { ...step, slope: (sign * STEP_EDGE) / gap };
}

/** Where a 2D line's steepness handle sits: on its active side, where z = 2 (at most `most`
 * from the line, so a soft unit's handle stays in view). */
export function lineSteepnessHandle(line: UnitLine, most: number): [number, number] {
  const d = Math.min(most, STEP_EDGE / line.steepness);
  return [line.point[0] + d * Math.cos(line.angle), line.point[1] + d * Math.sin(line.angle)];
}

/** The line made steeper or softer so that z = 2 where the pointer is (its distance along the
 * normal, at least `minGap`); the line and its active side stay. */
export function lineSteepnessTo(
  line: UnitLine,
  pointer: readonly [number, number],
  minGap: number,
): UnitLine {
  const along =
    (pointer[0] - line.point[0]) * Math.cos(line.angle) +
    (pointer[1] - line.point[1]) * Math.sin(line.angle);
  return { ...line, steepness: STEP_EDGE / Math.max(minGap, along) };
}

/** The pointer at (left, top) of an element `size` CSS pixels square, in data coordinates. */
export function pointerData(box: Box, size: number, left: number, top: number): [number, number] {
  const [xmin, xmax, ymin, ymax] = box;
  return [xmin + (left / size) * (xmax - xmin), ymax - (top / size) * (ymax - ymin)];
}

/** Data (x, y) as CSS pixels of an element `size` square. */
export function dataPixel(box: Box, size: number, x: number, y: number): [number, number] {
  const [xmin, xmax, ymin, ymax] = box;
  return [((x - xmin) / (xmax - xmin)) * size, ((ymax - y) / (ymax - ymin)) * size];
}

/** The line clipped to the box as a segment, or null when it misses the box. */
export function clipToBox(line: UnitLine, box: Box): [[number, number], [number, number]] | null {
  const [xmin, xmax, ymin, ymax] = box;
  const d = [Math.cos(line.angle + TURN), Math.sin(line.angle + TURN)] as const;
  let lo = -Infinity;
  let hi = Infinity;
  const axes: [number, number, number, number][] = [
    [line.point[0], d[0], xmin, xmax],
    [line.point[1], d[1], ymin, ymax],
  ];
  for (const [p, v, min, max] of axes) {
    if (Math.abs(v) < 1e-12) {
      if (p < min || p > max) return null;
      continue;
    }
    const a = (min - p) / v;
    const b = (max - p) / v;
    lo = Math.max(lo, Math.min(a, b));
    hi = Math.min(hi, Math.max(a, b));
  }
  if (lo > hi) return null;
  const at = (t: number): [number, number] => [line.point[0] + t * d[0], line.point[1] + t * d[1]];
  return [at(lo), at(hi)];
}

/** What a key does to a unit's line or step: null when the key is not one of ours. */
export type KeyMove =
  | { kind: "move"; dx: number; dy: number }
  | { kind: "rotate"; by: number }
  | { kind: "steepness"; factor: number };

/** One key press: arrows move by a fiftieth of the box, [ ] turn by 5°, + − scale |w| by 1.25. */
export function keyMove(key: string, shift: boolean, box: Box): KeyMove | null {
  const step = (box[1] - box[0]) / 50;
  const turn = (5 * Math.PI) / 180;
  if (shift && (key === "ArrowLeft" || key === "ArrowRight"))
    return { kind: "rotate", by: key === "ArrowLeft" ? turn : -turn };
  switch (key) {
    case "ArrowLeft":
      return { kind: "move", dx: -step, dy: 0 };
    case "ArrowRight":
      return { kind: "move", dx: step, dy: 0 };
    case "ArrowUp":
      return { kind: "move", dx: 0, dy: step };
    case "ArrowDown":
      return { kind: "move", dx: 0, dy: -step };
    case "[":
      return { kind: "rotate", by: turn };
    case "]":
      return { kind: "rotate", by: -turn };
    case "+":
    case "=":
      return { kind: "steepness", factor: 1.25 };
    case "-":
    case "_":
      return { kind: "steepness", factor: 1 / 1.25 };
    default:
      return null;
  }
}

/** The line after a key move (2D). */
export function applyToLine(line: UnitLine, move: KeyMove): UnitLine {
  if (move.kind === "move")
    return { ...line, point: [line.point[0] + move.dx, line.point[1] + move.dy] };
  if (move.kind === "rotate") return { ...line, angle: line.angle + move.by };
  return { ...line, steepness: line.steepness * move.factor };
}

/** The step after a key move (1D: left/right move it, rotation does nothing). */
export function applyToStep(step: UnitStep, move: KeyMove): UnitStep {
  if (move.kind === "move") return { ...step, position: step.position + move.dx };
  if (move.kind === "rotate") return step;
  return { ...step, slope: step.slope * move.factor };
}

/** One colour per unit, apart from the two class colours and the value scale. */
export const UNIT_COLORS: readonly string[] = [
  "#d62728",
  "#2ca02c",
  "#9467bd",
  "#8c564b",
  "#e377c2",
  "#17becf",
  "#bcbd22",
  "#525252",
];

export function unitColor(unit: number): string {
  return UNIT_COLORS[unit % UNIT_COLORS.length]!;
}

/** A line or step in words, for the live region: "Unit 1: through (0.5, −1.2), facing 45°,
 * steepness 2.0" or "Unit 2: step at x = 0.25, steepness 16 (active to the right)". */
export function describeUnit(unit: number, shape: UnitLine | UnitStep | null): string {
  const name = `Unit ${unit + 1}`;
  if (!shape) return `${name}: constant (all weights 0), no line`;
  const f = (v: number) => Number(v.toPrecision(3)).toString();
  if ("position" in shape)
    return `${name}: step at x = ${f(shape.position)}, steepness ${f(Math.abs(shape.slope))} (active to the ${shape.slope > 0 ? "right" : "left"})`;
  const degrees = Math.round(((((shape.angle * 180) / Math.PI) % 360) + 360) % 360);
  return `${name}: line through (${f(shape.point[0])}, ${f(shape.point[1])}), active side facing ${degrees}°, steepness ${f(shape.steepness)}`;
}
