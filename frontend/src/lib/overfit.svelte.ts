// The overfit check: can a fresh copy of this model fit a handful of training points? Its
// answer holds for the run it was asked in.

import type { ClientCommand, OverfitResultEvent } from "./protocol.gen";

/** Training points the check tries to fit (the checklist's "a handful"). */
const OVERFIT_POINTS = 8;

export class OverfitCheck {
  /** The answer to this run's check, and whether one is under way. */
  result = $state.raw<OverfitResultEvent | null>(null);
  checking = $state(false);

  constructor(private readonly send: (command: ClientCommand) => boolean) {}

  /** Asks the server to try; its answer comes as `overfit_result`. */
  run(): void {
    if (!this.send({ type: "overfit_check", points: OVERFIT_POINTS })) return;
    this.result = null;
    this.checking = true;
  }

  onResult(event: OverfitResultEvent): void {
    this.checking = false;
    this.result = event;
  }

  /** An error ends the check when it refused it, or ended the worker's turn (no command). */
  onError(command: string | null): void {
    if (command === "overfit_check" || command === null) this.checking = false;
  }

  /** A new run: the old answer is about other weights. */
  newRun(): void {
    this.result = null;
  }
}
