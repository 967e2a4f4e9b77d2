// Comparing in lanes: what is compared, each lane's newest state and loss curve, and the
// commands that fork, promote and end. A sub-store of the main one (`store.lanes`), handed
// `send` and `notify`, like inside.svelte.ts.

import { laneLabel, type CompareSetting, type LaneValue } from "./compare";
import { decodeGrid, type DecodedGrid } from "./grid";
import type { ClientCommand, History, LanesEvent, LanesFrameEvent } from "./protocol.gen";

/** One lane's newest state, decoded. */
export interface LaneState {
  label: string;
  step: number;
  trainLoss: number;
  testLoss: number;
  trainAccuracy: number | null;
  testAccuracy: number | null;
  /** The last count the server sent this run (it sends one about once a second). */
  regions: number | null;
  grid: DecodedGrid | null;
  diverged: number | null;
}

/** A lane's loss curve, thinned to at most `capacity` samples (every other one dropped). */
export class LaneCurve {
  steps: number[] = [];
  train: number[] = [];
  test: number[] = [];

  constructor(readonly capacity = 400) {}

  append(history: History): void {
    history.steps.forEach((step, i) => {
      if (this.steps.length && step <= this.steps[this.steps.length - 1]!) return;
      this.steps.push(step);
      this.train.push(history.train_loss[i] ?? NaN);
      this.test.push(history.test_loss[i] ?? NaN);
    });
    if (this.steps.length > this.capacity) {
      const keep = (_: number, i: number, all: number[]) => i % 2 === 0 || i === all.length - 1;
      this.steps = this.steps.filter(keep);
      this.train = this.train.filter(keep);
      this.test = this.test.filter(keep);
    }
  }

  asHistory(): History {
    return { steps: [...this.steps], train_loss: [...this.train], test_loss: [...this.test] };
  }
}

export class LaneComparison {
  /** The setting the lanes differ in; null while there is one run. */
  setting = $state<CompareSetting | null>(null);
  values = $state.raw<LaneValue[]>([]);
  /** Each lane's newest state, in lane order. */
  lanes = $state.raw<LaneState[]>([]);
  /** Bumped whenever the curves change; the chart redraws on it. */
  revision = $state(0);
  curves: LaneCurve[] = [];
  /** Whether the "Compare…" dialog is open. */
  dialogOpen = $state(false);

  private run: number | null = null;
  /** The curve of a lane being promoted: the main run's chart starts from it. */
  private promoted: History | null = null;

  constructor(
    private readonly send: (command: ClientCommand) => boolean,
    private readonly notify: (text: string) => void,
  ) {}

  get active(): boolean {
    return this.setting !== null;
  }

  /** Forks the run into one lane per value (lane 1 first); false when it could not be sent. */
  compare(setting: CompareSetting, values: LaneValue[]): boolean {
    this.promoted = null;
    const [first, second, ...rest] = values;
    if (first === undefined || second === undefined) return false; // the server needs two
    return this.send({ type: "compare", setting, values: [first, second, ...rest] });
  }

  /** Makes lane `lane` (0-based) the main run; the main chart keeps its curve. */
  promote(lane: number): void {
    const curve = this.curves[lane];
    if (this.send({ type: "promote_lane", lane })) this.promoted = curve?.asHistory() ?? null;
  }

  end(): void {
    this.send({ type: "end_compare" });
  }

  /** The promoted lane's curve, once, for the main run's new history. */
  takePromoted(): History | null {
    const history = this.promoted;
    this.promoted = null;
    return history;
  }

  onLanes(event: LanesEvent): void {
    this.setting = event.setting;
    this.values = event.values;
    this.run = null;
    this.lanes = [];
    this.curves = [];
    this.revision++;
  }

  onFrame(event: LanesFrameEvent): void {
    const setting = this.setting;
    if (setting === null) return; // a frame still in flight when the comparison ended
    const sameRun = event.run === this.run;
    if (!sameRun) {
      this.run = event.run;
      this.curves = event.lanes.map(() => new LaneCurve());
    }
    const previous = sameRun ? this.lanes : [];
    this.lanes = event.lanes.map((lane, i) => {
      this.curves[i]?.append(lane.history);
      return {
        label: laneLabel(setting, this.values[i] ?? "?"),
        step: lane.step,
        trainLoss: lane.train_loss,
        testLoss: lane.test_loss,
        trainAccuracy: lane.train_accuracy,
        testAccuracy: lane.test_accuracy,
        regions: lane.regions ?? previous[i]?.regions ?? null,
        grid: this.decode(lane.grid),
        diverged: lane.diverged_at,
      };
    });
    this.revision++;
  }

  private decode(grid: LanesFrameEvent["lanes"][number]["grid"]): DecodedGrid | null {
    if (grid === null) return null;
    try {
      return decodeGrid(grid);
    } catch (error) {
      this.notify(`Unreadable lane grid from the server: ${(error as Error).message}`);
      return null;
    }
  }
}
