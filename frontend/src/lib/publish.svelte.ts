// Published runs: "Publish" stores the current run on the server and gives a `#run=<id>` link;
// opening that link loads the run read-only (its weights imported into the session, its loss
// curves back in the chart) until "Train a copy" makes it an ordinary run.

import { answer, type Api } from "./api";
import type { LossColumns, LossHistory } from "./history";
import { decimateCurves } from "./runRecord";
import type {
  ClientCommand,
  FrameEvent,
  History,
  LossCurves,
  PublishedRun,
  PublishingStatus,
  SetupFile,
} from "./protocol.gen";
import { readHashKeys, withHashKey, type HashLocation } from "./urlHash";

export const RUN_HASH_KEY = "run";
export const TOKEN_HEADER = "X-Publish-Token";

/** What a read-only run refuses: each would train it or change it. */
const CHANGES: ReadonlySet<ClientCommand["type"]> = new Set([
  "play",
  "step",
  "reset",
  "configure",
  "import",
  "preset",
  "set_weight",
  "set_unit",
  "undo",
]);
/** Of those, the ones only a person sends (a reconnect's own configure says nothing). */
const ASKED: ReadonlySet<ClientCommand["type"]> = new Set(["play", "step", "reset"]);

export interface PublishingDeps {
  /** Sends an import of `setup` to the session; false when the socket is not open. */
  importSetup: (setup: SetupFile) => boolean;
  api: Api;
  notify: (text: string) => void;
  /** The address bar, once the page follows it. */
  location: () => HashLocation | null;
  /** The page's address without its hash, to build links with. */
  pageAddress: () => string;
}

export class Publishing {
  /** The Publish dialog: open, the server's terms, its token field, the answer or error. */
  dialogOpen = $state(false);
  status = $state.raw<PublishingStatus | null>(null);
  token = $state("");
  busy = $state(false);
  error = $state<string | null>(null);
  link = $state<string | null>(null);
  /** The published run this page shows, read-only; null for an ordinary run. */
  opened = $state.raw<PublishedRun | null>(null);
  /** The id of a run being fetched (the page is read-only meanwhile). */
  loading = $state<string | null>(null);

  /** Whether this socket's session holds the opened run's weights. */
  private imported = false;
  private curvesShown = false;

  constructor(private readonly deps: PublishingDeps) {}

  get readOnly(): boolean {
    return this.opened !== null || this.loading !== null;
  }

  /** Whether `command` may go out: a read-only run refuses what would change it. */
  allows(command: ClientCommand): boolean {
    if (!this.readOnly || !CHANGES.has(command.type)) return true;
    if (command.type === "import" && command.setup === this.opened?.setup) return true;
    if (ASKED.has(command.type)) {
      this.deps.notify("This published run is read-only: “Train a copy” makes it yours to train.");
    }
    return false;
  }

  // ---------------------------------------------------------------- publishing

  /** Opens the dialog and asks the server on what terms it publishes. */
  async openDialog(): Promise<void> {
    this.dialogOpen = true;
    this.error = null;
    this.link = null;
    try {
      this.status = await answer(this.deps.api.GET("/api/publishing"));
    } catch (error) {
      this.error = `Cannot publish: ${(error as Error).message}`;
    }
  }

  /** The store asked the session for its weights (an export) to publish. */
  started(): void {
    this.busy = true;
    this.error = null;
  }

  /** Publishes the exported setup and the curves; the link (or why not) shows in the dialog. */
  async submit(setup: SetupFile, curves: LossColumns): Promise<void> {
    const most = this.status?.max_curve_points ?? 5000;
    const headers: Record<string, string> = {};
    if (this.token.trim()) headers[TOKEN_HEADER] = this.token.trim();
    try {
      const body = { setup, history: thinCurves(curves, most) };
      const published = await answer(this.deps.api.POST("/api/runs", { body, headers }));
      if (typeof published?.hash !== "string") throw new Error("the server answered without an id");
      this.link = this.deps.pageAddress() + published.hash;
    } catch (error) {
      this.error = `Not published: ${(error as Error).message}`;
    } finally {
      this.busy = false;
    }
  }

  /** The export the publish waited for was refused. */
  failed(message: string): void {
    this.busy = false;
    this.error = `Not published: ${message}`;
  }

  // ---------------------------------------------------------------- opening

  /** Fetches the run a `#run=<id>` address names; true when it names one. */
  followHash(hash: string): boolean {
    const id = readHashKeys(hash).get(RUN_HASH_KEY);
    if (!id) return false;
    void this.load(id);
    return true;
  }

  /** A new socket is a new session: it gets the run's weights again. */
  connected(): void {
    this.imported = false;
    this.curvesShown = false;
    this.tryImport();
  }

  /**
   * A new run began; when it is the opened run's import (it starts at the run's step), its
   * published curves go into the chart before the frame's own sample.
   */
  newRun(frame: FrameEvent, history: LossHistory): void {
    const run = this.opened;
    if (!run || !this.imported || this.curvesShown) return;
    if (frame.step !== (run.setup.step ?? 0)) return;
    history.append(run.history as History); // nulls (non-finite losses) become gaps
    this.curvesShown = true;
  }

  /** Leaves read-only: the weights stay in the session, the link leaves the address. */
  trainCopy(): void {
    this.opened = null;
    this.loading = null;
    this.dropHash();
  }

  private async load(id: string): Promise<void> {
    this.loading = id;
    let run: PublishedRun;
    try {
      const path = { run_id: id };
      run = await answer(this.deps.api.GET("/api/runs/{run_id}", { params: { path } }));
      if (typeof run?.setup !== "object") throw new Error("the server answered without a run");
    } catch (error) {
      this.loading = null;
      this.dropHash();
      this.deps.notify(
        `The published run in this link cannot be opened: ${(error as Error).message}. ` +
          "Starting from the defaults.",
      );
      return;
    }
    this.opened = run;
    this.loading = null;
    this.tryImport();
  }

  private tryImport(): void {
    if (this.opened && !this.imported) this.imported = this.deps.importSetup(this.opened.setup);
  }

  private dropHash(): void {
    const location = this.deps.location();
    if (!location) return;
    const address = withHashKey(location.read(), RUN_HASH_KEY, null);
    if (address !== location.read()) location.write(address);
  }
}

/** At most `most` samples of each curve, evenly spread, the last one always kept. */
export function thinCurves(columns: LossColumns, most: number): LossCurves {
  const { steps, train, test } = decimateCurves(columns, most);
  return { steps, train_loss: train, test_loss: test };
}
