// Over 300 lines for one reason: it is the one place every server event is routed to its sub-store.
// The one state store: server events go in through apply(), user actions go out as commands.

import { createApi, type Api } from "./api";
import { assertNever } from "./assertNever";
import { DataEdits } from "./dataEdits.svelte";
import { Explorer } from "./explorer.svelte";
import type {
  ClientCommand,
  DatasetEvent,
  ErrorEvent,
  FrameEvent,
  HelloEvent,
  CustomPoints,
  ServerEvent,
  SettingsEvent,
  SetupFile,
} from "./protocol.gen";
import { fieldProblems, fixText, type FieldProblems } from "./fieldProblems.svelte";
import { InsideNetwork } from "./inside.svelte";
import { LaneComparison } from "./lanes.svelte";
import { Lessons } from "./lessons.svelte";
import { browserSpeedStorage, Pace } from "./pace.svelte";
import type { SetupStorage } from "./persist";
import { OverfitCheck } from "./overfit.svelte";
import { Publishing } from "./publish.svelte";
import { Runs } from "./runs.svelte";
import { SetupFiles } from "./setupFiles.svelte";
import { Sweeps } from "./sweep.svelte";
import { RunView } from "./runView.svelte";
import type { Send } from "./settingsMirror.svelte";
import type { ConnectionState, Drop } from "./socket";
import type { HashLocation } from "./urlHash";
import { UnitLines } from "./unitLines.svelte";

export type { AnalysisTab } from "./runView.svelte";

export class Playground extends RunView {
  /** The typed HTTP client for /api/* (views that ask the server something use it too). */
  readonly api: Api;
  /** The user's own points: edit mode and CSV uploads. */
  readonly edits: DataEdits;
  /** Export, import and the PyTorch code. */
  readonly files: SetupFiles;
  /** The depth-vs-width explorer (HTTP, not socket). */
  readonly explorer: Explorer;
  /** The "Inside the network" card: its view, its inspect subscription, the newest inspection. */
  readonly inside = new InsideNetwork((command) => this.send(command), this.banner.error);
  /** Comparing in lanes: what differs, each lane's state and curve, fork/promote/end. */
  readonly lanes = new LaneComparison((command) => this.send(command), this.banner.error);
  /** The lessons panel: the course, the lesson shown and its checks, progress, experiments. */
  readonly lessons: Lessons;
  /** The training pace (the speed select) and the epoch count beside the step counter. */
  readonly pace = new Pace((command) => this.send(command), browserSpeedStorage);
  /** The first layer's units as lines on the output canvas, to drag (UnitLinesOverlay). */
  readonly unitLines = new UnitLines({ send: (command) => this.send(command) });
  /** Whether a fresh copy of the model fits a handful of points. */
  readonly overfit = new OverfitCheck((command) => this.send(command));
  /** Publish (a `#run=` link) and a published run opened read-only. */
  readonly publish: Publishing;
  /** The Runs list: runs left behind, kept in the browser (attached to storage in main.ts). */
  readonly runs: Runs = new Runs({
    live: this,
    requestWeights: () =>
      this.files.exportTo({ setup: (setup) => this.runs.takeWeights(setup), refused: () => {} }),
    importSetup: (setup) => void this.files.importSetup(setup),
    notify: (text) => this.banner.error(text),
  });
  /** Sweeps of the current setup: the panel's form, plan, progress, results, loading a point. */
  readonly sweep = new Sweeps({
    send: (command) => this.send(command),
    settings: () => this.settings,
    load: (settings) => this.restore(settings),
  });
  /** The address bar, once the page follows it. */
  private hashLocation: HashLocation | null = null;

  constructor(
    send: Send = () => false,
    fetcher: typeof fetch = (input, init) => fetch(input, init),
    /** Fields holding an invalid value (NumberField reports them); Play and Step wait on them. */
    readonly fields: FieldProblems = fieldProblems,
  ) {
    super(send);
    const api = (this.api = createApi(fetcher));
    const send_ = (command: ClientCommand) => this.send(command);
    this.explorer = new Explorer(api);
    this.lessons = new Lessons(send_, fetcher);
    const dataset = { get: () => this.dataset, show: (d: DatasetEvent) => (this.dataset = d) };
    const train = (custom: CustomPoints) => this.configureCustom(custom);
    this.edits = new DataEdits(dataset, train, this.banner, api);
    const confirmed = () => this.confirmed;
    this.files = new SetupFiles(send_, this.banner.error, confirmed, (s) => this.customOf(s), api);
    this.publish = new Publishing({
      importSetup: (setup) => this.files.importSetup(setup),
      api,
      notify: (text) => this.banner.error(text),
      location: () => this.hashLocation,
      pageAddress: () => (globalThis.location ? location.origin + location.pathname : ""),
    });
    this.connect(send); // a read-only published run holds back what would change it
    // A field made valid again takes its "fix this first" message with it.
    fields.onChange(() => {
      if (fields.first === null) this.banner.clear((n) => n.kind === "field");
    });
  }

  /** Why Play and Step wait ("Fix Learning rate: must be at least 0.00001"), or null. */
  get blocked(): string | null {
    const first = this.fields.first;
    return first ? fixText(first) : null;
  }

  /** Routes outgoing commands to a socket (set once at start-up). */
  connect(send: Send): void {
    this.send = (command) => {
      // A read-only published run holds back what would change it.
      if (!this.publish.allows(command)) return false;
      // A command that ends the run first fetches its weights, for the Runs list.
      this.runs.beforeSend(command);
      const sent = send(command);
      if (sent) this.lessons.sent(command); // a hand edit of the weights, for `after_edit`
      return sent;
    };
  }

  /** Applies one server event to the state. */
  apply(event: ServerEvent): void {
    this.runs.observe(event); // first: the run that ends is still the store's
    switch (event.type) {
      case "hello":
        this.onHello(event);
        this.pace.onHello(event);
        this.lessons.connected(); // after onHello: a linked setup goes before the lesson's reset
        this.publish.connected();
        this.sweep.disconnected(); // a new session runs no sweep
        // A new socket is a new session: it inspects nothing until told again.
        return this.inside.reconnected();
      case "inspection":
        return this.inside.apply(event);
      case "settings":
        return this.onSettings(event);
      case "speed":
        return this.pace.onSpeed(event);
      case "dataset":
        // An edit not yet sent is newer than anything the server has.
        if (!this.edits.pending) this.dataset = event;
        return;
      case "frame":
        return this.onFrame(event);
      case "error":
        return this.onError(event);
      case "overfit_result":
        return this.overfit.onResult(event);
      case "setup_file":
        return void this.files.onSetupFile(event);
      case "lanes":
        return this.lanes.onLanes(event);
      case "lanes_frame":
        return this.lanes.onFrame(event);
      case "sweep_plan":
        return this.sweep.onPlan(event);
      case "sweep_progress":
        return this.sweep.onProgress(event);
      default:
        return assertNever(event);
    }
  }

  // Play and pause wait for the server's frame to flip the button: that frame carries the
  // final step, so a paused page never shows a count that is still about to change.
  play(): void {
    if (this.waitForFields()) return;
    this.send({ type: "play" });
  }

  pause(): void {
    this.send({ type: "pause" });
  }

  step(): void {
    if (this.waitForFields()) return;
    this.send({ type: "step", steps: this.stepSize });
  }

  reset(): void {
    if (!this.send({ type: "reset" })) return;
    // New weights: the old run's divergence is over.
    this.banner.clear((n) => n.kind === "diverged");
  }

  /**
   * While a field holds an invalid value, training would run on the old value the field no
   * longer shows: say so, put the cursor in that field, and train nothing.
   */
  private waitForFields(): boolean {
    const first = this.fields.first;
    if (first === null) return false;
    const text = `${fixText(first)}. Training waits until it is fixed.`;
    this.banner.notify("field", text, { cause: "field" });
    first.focus();
    return true;
  }

  /** Loads the hand-built folding ReLU net with `depth` layers (16^depth regions), paused. */
  loadPreset(depth: number): void {
    this.send({ type: "preset", name: "folding", depth });
  }

  /** Brings back the last finite weights after a divergence; the server answers with a frame. */
  undo(): void {
    if (!this.send({ type: "undo" })) return;
    // The offer is used up; a refusal comes back as an error of its own.
    this.banner.clear((n) => n.undoStep !== undefined || n.kind === "diverged");
  }

  /** Opens the PyTorch code of the current settings. */
  async copyAsPytorch(): Promise<void> {
    if (this.settings) await this.files.copyAsPytorch(this.settings);
  }

  /** Publishes this run: the session's setup with its weights (an export), then the curves. */
  publishRun(): void {
    const receiver = {
      setup: (setup: SetupFile) => this.publish.submit(setup, this.history.samples()),
      refused: (message: string) => this.publish.failed(message),
    };
    if (this.files.exportTo(receiver)) this.publish.started();
  }

  override followUrlHash(location: HashLocation, storage: SetupStorage | null = null): void {
    this.hashLocation = location;
    this.lessons.followHash(location);
    // A published run's link brings the run itself, not a setup from the address or the copy.
    if (this.publish.followHash(location.read())) return;
    super.followUrlHash(location, storage);
  }

  /** Goes back to a new session's settings and forgets the saved setup and the user's points. */
  startFresh(): void {
    if (!this.defaults) return;
    this.edits.points = null;
    this.edits.active = false;
    this.restore(this.defaults);
  }

  private onHello(hello: HelloEvent): void {
    this.server = { version: hello.version, device: hello.device };
    this.frame = null;
    this.grid = null;
    this.pageGrid.cancel();
    this.running = false;
    this.clearHistory();
    this.regions.clear();
    this.files.forget();
    this.helloSettings(hello.settings);
  }

  private onSettings(event: SettingsEvent): void {
    const imported = this.files.imported(event);
    const answersImport = imported !== undefined;
    this.confirm(event.settings, !answersImport);
    // The server took a configure (or an import): what it refused before is behind us.
    this.banner.clear((n) => n.cause === "configure" || (answersImport && n.cause === "import"));
    this.lessons.onSettings(event.settings);
    if (answersImport) this.edits.points = imported;
    this.writeUrlHash();
  }

  private onFrame(frame: FrameEvent): void {
    if (frame.run !== this.frame?.run) {
      this.clearHistory();
      this.publish.newRun(frame, this.history);
      const promoted = this.lanes.takePromoted(); // a promoted lane's run keeps its curve
      if (promoted) this.history.append(promoted);
      this.regions.clear();
      // Every chart of the old run goes, the monitors too (the next inspection refills them).
      this.inside.clearMonitors();
      this.banner.clear((notice) => notice.kind === "diverged");
      this.overfit.newRun();
    }
    this.show(frame);
    this.lessons.onFrame(frame);
  }

  override setConnection(state: ConnectionState, drop?: Drop): void {
    super.setConnection(state, drop);
    if (state === "closed") this.sweep.disconnected();
  }

  private onError(event: ErrorEvent): void {
    const { message, command } = event;
    // A sweep's refusal shows in its panel (and in the banner while the panel is closed).
    if (this.sweep.onError(event) && this.sweep.dialogOpen) return;
    const undoStep = event.undo_step ?? undefined;
    if (command === "configure") this.configureRefused();
    this.overfit.onError(command);
    this.files.onError(event);
    if (event.diverged_at !== null && event.diverged_at !== undefined) {
      const run = this.frame?.run ?? 0;
      return this.banner.announceDivergence(run, event.diverged_at, message, undoStep, true);
    }
    this.banner.notify("error", message, { cause: command, undoStep });
  }

  protected userPoints(): CustomPoints | null {
    return this.edits.points;
  }

  protected bringPoints(points: CustomPoints | null): void {
    this.edits.points = points;
  }

  protected notifyError(text: string): void {
    this.banner.error(text);
  }
}
