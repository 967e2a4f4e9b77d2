// The loss chart's step axis: linear, or "log steps", where the first steps keep their room
// however long the run grows; tick labels short enough never to be clipped at the edge.

import type { ColumnEdge } from "./decimate";

/**
 * Below this many steps the log-steps axis is linear (an arcsinh scale: linear near 0, where a
 * log axis has no place for step 0, logarithmic beyond).
 */
export const LOG_STEPS_LINEAR_BELOW = 50;

/**
 * Unless the user ticked or cleared "log steps", the axis turns logarithmic once a run is this
 * long: before, a linear axis shows learning best; after, it squeezes the first steps, where
 * the default setup learns (1,850 steps to 95% on circle), into the left edge.
 */
export const AUTO_LOG_STEPS_FROM = 5_000;

/** Whether the step axis is logarithmic: the user's choice, else by the run's length. */
export function useLogSteps(chosen: boolean | null, step: number): boolean {
  return chosen ?? step >= AUTO_LOG_STEPS_FROM;
}

/** An arcsinh axis's pixel columns: equal slices of asinh(step / linearBelow). */
export function asinhEdge(linearBelow: number): ColumnEdge {
  return (first, last, i, columns) => {
    const from = Math.asinh(first / linearBelow);
    const to = Math.asinh(last / linearBelow);
    return linearBelow * Math.sinh(from + ((to - from) * i) / columns);
  };
}

/** A step tick's label: "0", "250", "1.5k", "100k", "2.5M"; none for ticks between steps. */
export function formatSteps(step: number | null): string {
  if (step === null || step < 0 || !Number.isInteger(step)) return "";
  if (step < 1000) return String(step);
  const [value, unit] =
    step < 1e6 ? [step / 1e3, "k"] : step < 1e9 ? [step / 1e6, "M"] : [step / 1e9, "G"];
  return `${Number(value.toPrecision(3))}${unit}`;
}

/**
 * The step axis's range: exactly the steps run (uPlot rounds a log-like range out to the next
 * power of ten); one step wide while there is only one sample, so the scale never collapses.
 */
export function stepRange(first: number | null, last: number | null): [number, number] {
  const from = first !== null && Number.isFinite(first) ? first : 0;
  const to = last !== null && Number.isFinite(last) ? last : from;
  return to > from ? [from, to] : [from, from + 1];
}

/**
 * Ticks for the log-steps axis from `first` to `last`: 0 and the powers of ten, then 5× and
 * 2× ones where they fit, none closer than `minGap` pixels to another (`position` gives a
 * step's pixel). uPlot's own log ticks judge room by the space between 1 and 10, which the
 * linear stretch below LOG_STEPS_LINEAR_BELOW squeezes, and then label almost nothing.
 */
export function logStepTicks(
  first: number,
  last: number,
  position: (step: number) => number,
  minGap: number,
): number[] {
  const kept: number[] = [];
  const fits = (step: number) =>
    step >= first &&
    step <= last &&
    kept.every((k) => Math.abs(position(k) - position(step)) >= minGap);
  const powers: number[] = [];
  for (let p = 1; p <= last; p *= 10) powers.push(p);
  for (const step of [0, ...powers]) if (fits(step)) kept.push(step);
  for (const m of [5, 2]) for (const p of powers) if (fits(m * p)) kept.push(m * p);
  return kept.sort((a, b) => a - b);
}
