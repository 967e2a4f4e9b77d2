// The live run as the page shows it: the connection, the dataset, the newest frame with its grid
// and loss history, the banner and the regions, and how the views show them. Playground (the
// store) builds on it with the sub-stores and the commands.

import { Banner } from "./banner.svelte";
import { decodeFrameGrid, type DecodedGrid } from "./grid";
import { LossHistory } from "./history";
import { PageGrid } from "./pageGrid";
import type { DatasetEvent, FrameEvent, HelloEvent } from "./protocol.gen";
import { runEpoch } from "./pace.svelte";
import { LinearRegions } from "./regions.svelte";
import { SettingsMirror } from "./settingsMirror.svelte";
import { dropProblem, type ConnectionState, type Drop } from "./socket";

export type AnalysisTab = "regions" | "depth-width";

export abstract class RunView extends SettingsMirror {
  connection = $state<ConnectionState>("connecting");
  /**
   * Why the last connection attempt failed or dropped (the server full or restarting, say),
   * shown while the socket reconnects; null once the server has spoken again.
   */
  connectionProblem = $state<string | null>(null);
  server = $state.raw<Pick<HelloEvent, "version" | "device"> | null>(null);
  dataset = $state.raw<DatasetEvent | null>(null);
  /** Only the newest frame is kept; views draw it at display rate. */
  frame = $state.raw<FrameEvent | null>(null);
  /** The frame's grid decoded into planes, replaced whole on each frame. */
  grid = $state.raw<DecodedGrid | null>(null);
  running = $state(false);
  /** Which view the analysis card shows. */
  analysisTab = $state<AnalysisTab>("regions");
  /** Bumped whenever `history` changes; the loss chart redraws on it. */
  historyRevision = $state(0);
  showTestData = $state(false);
  /** Regression points coloured by their residual instead of their target. */
  showResiduals = $state(false);
  logScale = $state(false);
  stepSize = $state(1);
  readonly history = new LossHistory();
  /** The error banner's one message. */
  readonly banner = new Banner();
  /** The run's linear regions: count, polygons, their chart, how the canvas shows them. */
  readonly regions = new LinearRegions(this.banner.error);

  /** Epochs so far in this run at the current batch size; null before the data is known. */
  get epoch(): number | null {
    return runEpoch(this.settings, this.dataset, this.frame?.step ?? 0);
  }

  /** Follows the socket's state; a drop forgets unanswered commands and says why it happened. */
  setConnection(state: ConnectionState, drop?: Drop): void {
    this.connection = state;
    if (state === "open") this.connectionProblem = null;
    if (state !== "closed") return;
    this.connectionProblem = dropProblem(this.connectionProblem, drop);
    this.forgetConfigures();
    this.running = false;
  }

  /** Evaluates the output grid of frames that carry weights instead (pageGrid.ts). */
  readonly pageGrid = new PageGrid(
    (grid) => (this.grid = grid),
    (text) => this.banner.error(text),
  );

  /** Shows a frame of the current run: its regions, grid, curve, state and any divergence. */
  protected show(frame: FrameEvent): void {
    this.frame = frame;
    this.regions.onFrame(frame);
    const data = this.dataset;
    if (frame.weights && data && data.dims <= 2) {
      this.pageGrid.submit(frame.weights, data.box, data.dims === 1, !frame.running);
    } else {
      this.pageGrid.cancel();
      this.grid = decodeFrameGrid(frame.grid, this.banner.error);
    }
    this.history.append(frame.history);
    this.historyRevision++;
    this.running = frame.running;
    if (frame.diverged_at !== null) {
      // The error event that comes with it says more (what went non-finite, undo): the frame's
      // own line is only for a divergence not announced yet.
      const text = `Training diverged at step ${frame.diverged_at}.`;
      this.banner.announceDivergence(frame.run, frame.diverged_at, text);
    }
  }

  protected clearHistory(): void {
    this.history.clear();
    this.historyRevision++;
  }
}
