// The graph view's Forward/Backward/Step state: which nodes show their value and which their
// gradient. Pure, so the animation's order is tested without a browser or a clock.

export type GraphDirection = "forward" | "backward";

export interface GraphPlay {
  direction: GraphDirection;
  /** Forward: nodes 0 … reached show values. Backward: every value, and nodes reached … end
   * show the gradient arriving at them. */
  reached: number;
}

/** Before anything is pressed: the forward pass done, no gradients yet. */
export function initialPlay(count: number): GraphPlay {
  return { direction: "forward", reached: count - 1 };
}

/** The first state of a pass: the input's value, or the loss's gradient dL/dL = 1. */
export function startPlay(direction: GraphDirection, count: number): GraphPlay {
  return { direction, reached: direction === "forward" ? 0 : count - 1 };
}

/** A pass run to its end: what reduced motion shows at once. */
export function endPlay(direction: GraphDirection, count: number): GraphPlay {
  return { direction, reached: direction === "forward" ? count - 1 : 0 };
}

export function isDone(play: GraphPlay, count: number): boolean {
  return play.direction === "forward" ? play.reached >= count - 1 : play.reached <= 0;
}

/** One node further; a finished forward pass steps into the backward one. */
export function stepPlay(play: GraphPlay, count: number): GraphPlay {
  if (isDone(play, count)) {
    return play.direction === "forward" ? startPlay("backward", count) : play;
  }
  return { ...play, reached: play.reached + (play.direction === "forward" ? 1 : -1) };
}

export function showsValue(play: GraphPlay, index: number): boolean {
  return play.direction === "backward" || index <= play.reached;
}

export function showsGrad(play: GraphPlay, index: number): boolean {
  return play.direction === "backward" && index >= play.reached;
}

/** The node the pass has just reached (highlighted, kept in view). */
export function activeNode(play: GraphPlay): number {
  return play.reached;
}
