// The one state store: server events go in through apply(), user actions go out as commands.

import { customPoints } from "./customData";
import { decodeRegions, type Regions } from "./draw/regions";
import { fetchExplore, type ExploreRequest, type ExploreResponse } from "./explore";
import { decodeGrid, type DecodedGrid } from "./grid";
import { LossHistory } from "./history";
import type {
  Catalog,
  ClientCommand,
  ConfigureCommand,
  CustomPoints,
  DatasetEvent,
  DatasetPatch,
  ErrorEvent,
  FrameEvent,
  HelloEvent,
  HiddenLayer,
  NetworkPatch,
  OverfitResultEvent,
  RegionPolygons,
  RunSettings,
  ServerEvent,
  SetupFile,
  SetupFileEvent,
  TrainingPatch,
} from "./protocol.gen";
import { fieldProblems, fixText, type FieldProblems } from "./fieldProblems.svelte";
import { InsideNetwork } from "./inside.svelte";
import { LaneComparison } from "./lanes.svelte";
import { Lessons } from "./lessons.svelte";
import { browserSpeedStorage, epochOf, Pace } from "./pace.svelte";
import { RegionHistory } from "./regionHistory";
import {
  downloadBlob,
  exportFileName,
  fetchPytorchCode,
  fetchSafetensors,
  fetchWeightsOf,
  parseSetupText,
  setupFileText,
  setupFromWeights,
} from "./setupFile";
import {
  SETUP_HASH_PREFIX,
  decodeSetupHash,
  encodeSetupHash,
  readHashKeys,
  withHashKey,
  type HashLocation,
} from "./urlHash";
import type { SetupStorage } from "./persist";
import { dropMessage, type ConnectionState, type Drop } from "./socket";

export type Send = (command: ClientCommand) => boolean;

export type AnalysisTab = "regions" | "depth-width";

/** What a pointer does on the output canvas in edit mode. */
export type EditTool = "add" | "erase";

export interface Notice {
  id: number;
  /** `field`: Play or Step waited for a field with an invalid value. */
  kind: "error" | "diverged" | "field";
  text: string;
  /**
   * What the notice is about, so fixing that clears it: the refused command's type
   * ("configure", "import", …), "upload" for a CSV file, null when nothing in particular.
   */
  cause: string | null;
  /** The step whose weights `undo` brings back, when the weights went non-finite. */
  undoStep?: number;
  /** The step training went non-finite at (a divergence). */
  divergedAt?: number;
}

/** Optional details of a notice. */
interface NoticeDetails {
  cause?: string | null;
  undoStep?: number;
  divergedAt?: number;
}

/** Marks a switch as exhaustive: a case left out is a type error. */
export function assertNever(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}

const DEFAULT_ACTIVATION = "tanh";
const DEFAULT_UNITS = 4;
/** Drags send their edits at most this often; the server restarts training on each. */
const EDIT_DEBOUNCE_MS = 150;
const CUSTOM_DATASET = "custom";
/** Training points the overfit check tries to fit (the checklist's "a handful"). */
const OVERFIT_POINTS = 8;

export class Playground {
  connection = $state<ConnectionState>("connecting");
  /**
   * Why the last connection attempt failed or dropped (the server full or restarting, say),
   * shown while the socket reconnects; null once the server has spoken again.
   */
  connectionProblem = $state<string | null>(null);
  catalog = $state.raw<Catalog | null>(null);
  catalogError = $state<string | null>(null);
  server = $state.raw<Pick<HelloEvent, "version" | "device"> | null>(null);
  /** The settings shown: the server's, plus configures it has not answered yet. */
  settings = $state.raw<RunSettings | null>(null);
  dataset = $state.raw<DatasetEvent | null>(null);
  /** Only the newest frame is kept; views draw it at display rate. */
  frame = $state.raw<FrameEvent | null>(null);
  /** The frame's grid decoded into planes, replaced whole on each frame. */
  grid = $state.raw<DecodedGrid | null>(null);
  running = $state(false);
  /** The newest region count of this run: frames carry one only now and then. */
  regions = $state<number | null>(null);
  /** False when `regions` counts activation patterns on a grid (smooth activations). */
  regionsExact = $state(true);
  /** The polygons of the newest count, kept through the frames that carry no count. */
  regionPolygons = $state.raw<Regions | null>(null);
  /** Bumped whenever `regionHistory` changes; the regions chart redraws on it. */
  regionRevision = $state(0);
  /** Which view the analysis card shows. */
  analysisTab = $state<AnalysisTab>("regions");
  showRegionEdges = $state(false);
  colourRegions = $state(false);
  /** The depth-vs-width explorer: its last answer, whether one is pending, and its error. */
  exploration = $state.raw<ExploreResponse | null>(null);
  exploring = $state(false);
  exploreError = $state<string | null>(null);
  /**
   * The banner's message: one at a time, the newest wins (an array of at most one, so views
   * and tests read it the same way whether or not one is shown).
   */
  notices = $state<Notice[]>([]);
  /** Bumped whenever `history` changes; the loss chart redraws on it. */
  historyRevision = $state(0);
  showTestData = $state(false);
  /** Regression points coloured by their residual instead of their target. */
  showResiduals = $state(false);
  /** Edit mode: pointer input on the output canvas adds or erases points. */
  editing = $state(false);
  editTool = $state<EditTool>("add");
  /** The class (classification) or value (regression) a click adds. */
  editClass = $state(0);
  editValue = $state(0);
  /** The user's own points, last sent; a reconnect sends them again. */
  customPoints = $state.raw<CustomPoints | null>(null);
  logScale = $state(false);
  stepSize = $state(1);
  /** The answer to this run's overfit check, and whether one is under way. */
  overfitResult = $state.raw<OverfitResultEvent | null>(null);
  overfitChecking = $state(false);
  /** The current setup as PyTorch code, while its dialog is open. */
  pytorchCode = $state<string | null>(null);
  /** Saves an exported file; tests replace it. */
  saveFile: (blob: Blob, fileName: string) => void = downloadBlob;
  readonly history = new LossHistory();
  /** (step, regions) for every frame of this run that carried a count. */
  readonly regionHistory = new RegionHistory();
  /** The "Inside the network" card: its view, its inspect subscription, the newest inspection. */
  readonly inside = new InsideNetwork(
    (command) => this.send(command),
    (text) => this.notify("error", text),
  );
  /** Comparing in lanes: what differs, each lane's state and curve, fork/promote/end. */
  readonly lanes = new LaneComparison(
    (command) => this.send(command),
    (text) => this.notify("error", text),
  );
  /** The lessons panel: the course, the lesson shown and its checks, progress, experiments. */
  readonly lessons = new Lessons(
    (command) => this.send(command),
    (input, init) => this.fetcher(input, init),
  );

  /** The training pace (the speed select) and the epoch count beside the step counter. */
  readonly pace = new Pace((command) => this.send(command), browserSpeedStorage);
  /** Epochs so far in this run at the current batch size; null before the data is known. */
  get epoch(): number | null {
    const settings = this.settings;
    const points = this.dataset?.train_x.length;
    if (!settings || points === undefined) return null;
    const batchNorm = settings.network.hidden.some((layer) => layer.batch_norm);
    return epochOf(this.frame?.step ?? 0, settings.training.batch_size, points, batchNorm);
  }

  /** The divergence (run and step) already announced, so a dismissed one stays dismissed. */
  private announcedDivergence: string | null = null;
  private confirmed: RunSettings | null = null;
  private unansweredConfigures = 0;
  private nextNoticeId = 1;
  private editTimer: ReturnType<typeof setTimeout> | null = null;
  /** Where the setup is mirrored for sharing (the address bar), once followUrlHash is called. */
  private hashLocation: HashLocation | null = null;
  /** Where a copy of the setup is kept for a bare address (localStorage), if anywhere. */
  private setupStorage: SetupStorage | null = null;
  /** A new session's settings, from the newest hello: what "start fresh" goes back to. */
  private defaults: RunSettings | null = null;
  /** Settings from a shared link, brought back by the first hello like a reconnect's. */
  private pendingSetup: RunSettings | null = null;
  /** What each unanswered export becomes, oldest first. */
  private exportsAs: ("json" | "safetensors")[] = [];
  /** The points of an import not yet confirmed; undefined while none is pending. */
  private importedCustom: CustomPoints | null | undefined = undefined;

  constructor(
    private send: Send = () => false,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
    /** Fields holding an invalid value (NumberField reports them); Play and Step wait on them. */
    readonly fields: FieldProblems = fieldProblems,
  ) {
    // A field made valid again takes its "fix this first" message with it.
    fields.onChange(() => {
      if (fields.first === null) this.clearNotices((n) => n.kind === "field");
    });
  }

  /**
   * Why Play and Step wait ("Fix Learning rate: must be at least 0.00001"), or null when every
   * field holds a value the run can use.
   */
  get blocked(): string | null {
    const first = this.fields.first;
    return first ? fixText(first) : null;
  }

  /** Routes outgoing commands to a socket (set once at start-up). */
  connect(send: Send): void {
    this.send = send;
  }

  /** Applies one server event to the state. */
  apply(event: ServerEvent): void {
    switch (event.type) {
      case "hello":
        this.onHello(event);
        this.pace.onHello(event);
        this.lessons.connected(); // after onHello: a linked setup goes before the lesson's reset
        // A new socket is a new session: it inspects nothing until told again.
        return this.inside.reconnected();
      case "inspection":
        return this.inside.apply(event);
      case "settings":
        return this.onSettings(event.settings);
      case "speed":
        return this.pace.onSpeed(event);
      case "dataset":
        // An edit not yet sent is newer than anything the server has.
        if (this.editTimer === null) this.dataset = event;
        return;
      case "frame":
        return this.onFrame(event);
      case "error":
        return this.onError(event);
      case "overfit_result":
        this.overfitChecking = false;
        this.overfitResult = event;
        return;
      case "setup_file":
        return void this.onSetupFile(event.setup);
      case "lanes":
        return this.lanes.onLanes(event);
      case "lanes_frame":
        return this.lanes.onFrame(event);
      default:
        return assertNever(event);
    }
  }

  /** Follows the socket's state; a drop forgets unanswered commands and says why it happened. */
  setConnection(state: ConnectionState, drop?: Drop): void {
    this.connection = state;
    if (state === "open") this.connectionProblem = null;
    if (state === "closed") {
      // A retry nobody answered (1006 before any message) keeps the reason of the drop before it.
      const unanswered = drop?.code === 1006 && !drop.wasOpen && this.connectionProblem !== null;
      if (drop && !unanswered) this.connectionProblem = dropMessage(drop);
      this.unansweredConfigures = 0;
      this.running = false;
    }
  }

  // ---------------------------------------------------------------- actions

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
    this.clearNotices((n) => n.kind === "diverged");
  }

  /**
   * While a field holds an invalid value, training would run on the old value the field no
   * longer shows: say so, put the cursor in that field, and train nothing.
   */
  private waitForFields(): boolean {
    const first = this.fields.first;
    if (first === null) return false;
    this.notify("field", `${fixText(first)}. Training waits until it is fixed.`, {
      cause: "field",
    });
    first.focus();
    return true;
  }

  setDataset(patch: DatasetPatch): void {
    this.change({ dataset: patch }, (s) => ({
      ...s,
      dataset: { ...s.dataset, ...defined(patch) },
    }));
  }

  setTraining(patch: TrainingPatch): void {
    this.change({ training: patch }, (s) => ({
      ...s,
      training: { ...s.training, ...defined(patch) },
    }));
  }

  setSeed(seed: number): void {
    this.change({ seed }, (s) => ({ ...s, seed }));
  }

  /** Changes the features or the initialisation; hidden layers go through setHidden. */
  setNetwork(patch: { features?: string[]; init?: string }): void {
    // The schema's "at least one feature" is a tuple type; the server checks it and says so.
    this.change({ network: patch as NetworkPatch }, (s) => ({
      ...s,
      network: { ...s.network, ...defined(patch) },
    }));
  }

  setHidden(hidden: HiddenLayer[]): void {
    this.change({ network: { hidden } }, (s) => ({ ...s, network: { ...s.network, hidden } }));
  }

  setLayer(index: number, patch: Partial<HiddenLayer>): void {
    const hidden = this.settings?.network.hidden ?? [];
    this.setHidden(hidden.map((layer, i) => (i === index ? { ...layer, ...patch } : layer)));
  }

  /** Appends a hidden layer shaped like the last one. */
  addLayer(): void {
    const hidden = this.settings?.network.hidden ?? [];
    const last = hidden.at(-1);
    const activation = last?.activation ?? this.catalog?.activations[0]?.name ?? DEFAULT_ACTIVATION;
    const plain = { batch_norm: false, layer_norm: false, dropout: 0 };
    this.setHidden([
      ...hidden,
      { ...plain, ...last, units: last?.units ?? DEFAULT_UNITS, activation },
    ]);
  }

  removeLayer(): void {
    this.setHidden((this.settings?.network.hidden ?? []).slice(0, -1));
  }

  /** Loads the hand-built folding ReLU net with `depth` layers (16^depth regions), paused. */
  loadPreset(depth: number): void {
    this.send({ type: "preset", name: "folding", depth });
  }

  /** Counts the regions of random nets of each depth on one neuron budget (HTTP, not socket). */
  async explore(request: ExploreRequest): Promise<void> {
    if (this.exploring) return;
    this.exploring = true;
    this.exploreError = null;
    try {
      this.exploration = await fetchExplore(request, this.fetcher);
    } catch (error) {
      this.exploreError = (error as Error).message;
    } finally {
      this.exploring = false;
    }
  }

  /**
   * Makes `next` (the shown data after an edit) the custom dataset: shown at once, sent now, or
   * after EDIT_DEBOUNCE_MS of quiet while a drag goes on.
   */
  editData(next: DatasetEvent, debounce = false): void {
    this.dataset = next;
    if (this.editTimer !== null) clearTimeout(this.editTimer);
    this.editTimer = null;
    if (debounce) {
      this.editTimer = setTimeout(() => this.flushEdit(), EDIT_DEBOUNCE_MS);
    } else {
      this.setCustomData(customPoints(next));
    }
  }

  /** Sends an edit a drag is still holding back. */
  flushEdit(): void {
    if (this.editTimer === null) return;
    clearTimeout(this.editTimer);
    this.editTimer = null;
    if (this.dataset) this.setCustomData(customPoints(this.dataset));
  }

  /** Trains on these points from now on (a new run on the "custom" dataset). */
  setCustomData(points: CustomPoints): void {
    this.customPoints = points;
    this.change({ dataset: { name: CUSTOM_DATASET, custom: points } }, (s) => ({
      ...s,
      dataset: { ...s.dataset, name: CUSTOM_DATASET },
    }));
  }

  /**
   * Sends a CSV file's text to the server to read; its points become the custom data. A file
   * it refuses leaves the data as it is and shows the server's reason.
   */
  async uploadCsv(text: string): Promise<boolean> {
    let response: Response;
    try {
      response = await this.fetcher("/api/datasets/csv", {
        method: "POST",
        headers: { "content-type": "text/csv" },
        body: text,
      });
    } catch (error) {
      this.notify("error", `Could not upload the CSV file: ${(error as Error).message}`, {
        cause: "upload",
      });
      return false;
    }
    const body: unknown = await response.json().catch(() => null);
    if (!response.ok) {
      const detail = (body as { detail?: unknown } | null)?.detail;
      const reason = typeof detail === "string" ? detail : `the server answered ${response.status}`;
      this.notify("error", `CSV file not used: ${reason}`, { cause: "upload" });
      return false;
    }
    // A file that was read replaces any complaint about an earlier one.
    this.clearNotices((n) => n.cause === "upload");
    this.setCustomData(body as CustomPoints);
    return true;
  }

  // ---------------------------------------------------------------- guards, files and sharing

  /** Brings back the last finite weights after a divergence; the server answers with a frame. */
  undo(): void {
    if (!this.send({ type: "undo" })) return;
    // The offer is used up; a refusal comes back as an error of its own.
    this.clearNotices((n) => n.undoStep !== undefined || n.kind === "diverged");
  }

  /** Asks whether a fresh copy of this model can fit a handful of training points. */
  overfitCheck(): void {
    if (!this.send({ type: "overfit_check", points: OVERFIT_POINTS })) return;
    this.overfitResult = null;
    this.overfitChecking = true;
  }

  /** Downloads the setup as JSON, with or without the current weights (the server writes it). */
  exportSetup(weights: boolean): void {
    if (this.send({ type: "export", weights })) this.exportsAs.push("json");
  }

  /** Downloads the current weights as a safetensors file. */
  exportSafetensors(): void {
    if (this.send({ type: "export", weights: true })) this.exportsAs.push("safetensors");
  }

  /** Loads a setup (.json) or weights (.safetensors); a file refused leaves all as it was. */
  async importFile(file: File): Promise<void> {
    let setup: SetupFile;
    try {
      setup = file.name.toLowerCase().endsWith(".safetensors")
        ? await this.setupOfWeights(await file.arrayBuffer())
        : parseSetupText(await file.text());
    } catch (error) {
      this.notify("error", `${file.name} not loaded: ${(error as Error).message}`, {
        cause: "import",
      });
      return;
    }
    if (this.send({ type: "import", setup })) this.importedCustom = setup.custom ?? null;
  }

  /** Opens the PyTorch code of the current settings. */
  async copyAsPytorch(): Promise<void> {
    if (!this.settings) return;
    try {
      this.pytorchCode = await fetchPytorchCode(this.settings, this.fetcher);
    } catch (error) {
      this.notify("error", `No PyTorch code: ${(error as Error).message}`);
    }
  }

  /**
   * Mirrors the confirmed setup in `location` (and a copy in `storage`) from now on. A setup in
   * the address, else the stored copy, is what the first hello brings back; a link that cannot
   * be read is reported and ignored, a stored copy that cannot be read only ignored.
   */
  followUrlHash(location: HashLocation, storage: SetupStorage | null = null): void {
    this.hashLocation = location;
    this.setupStorage = storage;
    this.lessons.followHash(location);
    let reading = decodeSetupHash(location.read());
    // A link to a lesson brings its own setup (its preset): the stored copy would only race it.
    if (reading.kind === "none" && storage && !readHashKeys(location.read()).has("lesson")) {
      reading = decodeSetupHash(storage.read() ?? "");
      if (reading.kind === "invalid") {
        storage.write("");
        reading = { kind: "none" };
      }
    }
    if (reading.kind === "invalid") {
      this.notify("error", `The setup in this link was ignored: ${reading.reason}.`);
    } else if (reading.kind === "setup") {
      this.pendingSetup = reading.setup.settings;
      this.customPoints = reading.setup.custom;
    }
  }

  /**
   * Writes the confirmed setup into the address and the stored copy, if it changed. The
   * defaults are written as nothing: a bare address, no copy.
   */
  writeUrlHash(): void {
    if (!this.hashLocation || !this.confirmed) return;
    const custom = this.confirmed.dataset.name === CUSTOM_DATASET ? this.customPoints : null;
    const fresh = custom === null && sameSettings(this.confirmed, this.defaults);
    const hash = fresh ? "" : encodeSetupHash({ settings: this.confirmed, custom });
    // Other keys of the address (`lesson=`, `hide=`) stay beside the setup.
    const setup = hash.slice(SETUP_HASH_PREFIX.length);
    const address = withHashKey(this.hashLocation.read(), "setup", hash ? setup : null);
    if (address !== this.hashLocation.read()) this.hashLocation.write(address);
    this.setupStorage?.write(hash);
  }

  /** Goes back to a new session's settings and forgets the saved setup and the user's points. */
  startFresh(): void {
    if (!this.defaults) return;
    this.customPoints = null;
    this.editing = false;
    this.restore(this.defaults);
  }

  dismiss(id: number): void {
    this.clearNotices((notice) => notice.id === id);
  }

  // ---------------------------------------------------------------- event handlers

  private onHello(hello: HelloEvent): void {
    this.server = { version: hello.version, device: hello.device };
    this.frame = null;
    this.grid = null;
    this.running = false;
    this.clearHistory();
    this.clearRegions();
    const previous = this.settings ?? this.pendingSetup;
    this.pendingSetup = null;
    this.confirmed = hello.settings;
    this.defaults = hello.settings;
    this.settings ??= hello.settings;
    // A new socket is a new session with the defaults: bring back what the user had, the
    // user's own points included (the settings name them "custom" but do not hold them).
    if (previous !== null) this.restore(previous);
  }

  /** Sends all of `previous` in one configure and shows it while the server answers. */
  private restore(previous: RunSettings): void {
    const { network, dataset, training, seed } = previous;
    const { hidden, init } = network;
    const features = network.features as NetworkPatch["features"];
    this.change(
      { network: { hidden, features, init }, dataset: this.datasetPatch(dataset), training, seed },
      () => previous,
    );
  }

  private onSettings(settings: RunSettings): void {
    this.confirmed = settings;
    // The server took a configure (or an import): what it refused before is behind us.
    const imported = this.importedCustom !== undefined;
    this.clearNotices((n) => n.cause === "configure" || (imported && n.cause === "import"));
    this.lessons.onSettings(settings);
    if (this.importedCustom !== undefined) {
      this.customPoints = this.importedCustom;
      this.importedCustom = undefined;
    }
    this.writeUrlHash();
    this.unansweredConfigures = Math.max(0, this.unansweredConfigures - 1);
    // While later configures are unanswered, the optimistic view already includes them.
    if (this.unansweredConfigures === 0) this.settings = settings;
  }

  private onFrame(frame: FrameEvent): void {
    if (frame.run !== this.frame?.run) {
      this.clearHistory();
      const promoted = this.lanes.takePromoted(); // a promoted lane's run keeps its curve
      if (promoted) this.history.append(promoted);
      this.clearRegions();
      // Every chart of the old run goes, the monitors too (the next inspection refills them).
      this.inside.clearMonitors();
      this.clearNotices((notice) => notice.kind === "diverged");
      this.overfitResult = null;
    }
    this.frame = frame;
    if (frame.regions !== null) {
      this.regions = frame.regions;
      this.regionsExact = frame.regions_exact;
      this.regionHistory.append(frame.step, frame.regions);
      this.regionRevision++;
      // Polygons come with counts small enough to draw; a count without them (too many regions,
      // or an approximation) makes the polygons held so far out of date.
      this.regionPolygons = frame.region_polygons
        ? this.decodePolygons(frame.region_polygons)
        : null;
    }
    try {
      // Image data has no input plane to draw: no grid, and nothing to say about it.
      this.grid = frame.grid === null ? null : decodeGrid(frame.grid);
    } catch (error) {
      this.grid = null;
      this.notify("error", `Unreadable output grid from the server: ${(error as Error).message}`);
    }
    this.history.append(frame.history);
    this.historyRevision++;
    this.running = frame.running;
    this.lessons.onFrame(frame);
    if (frame.diverged_at !== null) {
      // The error event that comes with it says more (what went non-finite, undo): the frame's
      // own line is only for a divergence not announced yet.
      this.announceDivergence(frame.diverged_at, `Training diverged at step ${frame.diverged_at}.`);
    }
  }

  private onError(event: ErrorEvent): void {
    const { message, command } = event;
    const undoStep = event.undo_step ?? undefined;
    if (command === "configure") {
      this.unansweredConfigures = Math.max(0, this.unansweredConfigures - 1);
      if (this.unansweredConfigures === 0) this.settings = this.confirmed;
    }
    // An internal error (no command) ends the worker's turn, the check's included.
    if (command === "overfit_check" || command === null) this.overfitChecking = false;
    if (command === "import") this.importedCustom = undefined;
    if (command === "export") this.exportsAs.shift();
    if (event.diverged_at !== null && event.diverged_at !== undefined) {
      return this.announceDivergence(event.diverged_at, message, undoStep, true);
    }
    this.notify("error", message, { cause: command, undoStep });
  }

  /**
   * Shows a divergence once per run and step: the error event's full text (with its undo
   * offer) replaces the frame's short line, never the other way round, and one dismissed stays
   * dismissed.
   */
  private announceDivergence(
    step: number,
    text: string,
    undoStep?: number,
    detailed = false,
  ): void {
    const key = `${this.frame?.run ?? 0}:${step}`;
    const shown = this.notices.find((n) => n.kind === "diverged" && n.divergedAt === step);
    if (this.announcedDivergence === key && !(detailed && shown)) return;
    this.announcedDivergence = key;
    this.notify("diverged", text, { undoStep, divergedAt: step });
  }

  /** Saves an exported setup as asked: the JSON file, or its weights as safetensors. */
  private async onSetupFile(setup: SetupFileEvent["setup"]): Promise<void> {
    if (this.exportsAs.shift() !== "safetensors") {
      const blob = new Blob([setupFileText(setup)], { type: "application/json" });
      return this.saveFile(blob, exportFileName(setup));
    }
    try {
      if (!setup.weights) throw new Error("the server sent no weights");
      this.saveFile(
        await fetchSafetensors(setup.weights, setup.settings, this.fetcher),
        exportFileName(setup, true),
      );
    } catch (error) {
      this.notify("error", `Weights not exported: ${(error as Error).message}`);
    }
  }

  /** A setup file for weights read from a safetensors file, under the settings it names. */
  private async setupOfWeights(bytes: ArrayBuffer): Promise<SetupFile> {
    const { weights, settings } = await fetchWeightsOf(bytes, this.fetcher);
    const chosen = settings ?? this.confirmed;
    if (!chosen) throw new Error("there are no settings to load the weights into yet");
    const custom = chosen.dataset.name === CUSTOM_DATASET ? this.customPoints : null;
    return setupFromWeights(weights, chosen, custom);
  }

  // ---------------------------------------------------------------- helpers

  private change(
    patch: Omit<ConfigureCommand, "type">,
    update: (settings: RunSettings) => RunSettings,
  ): void {
    if (!this.settings) return;
    if (!this.send({ type: "configure", ...patch })) return;
    this.unansweredConfigures++;
    this.settings = update(this.settings);
  }

  /** The dataset settings as a patch; custom data carries its points, not the generator's. */
  private datasetPatch(dataset: RunSettings["dataset"]): DatasetPatch {
    if (dataset.name !== CUSTOM_DATASET || !this.customPoints) return dataset;
    const { train_fraction, label_noise } = dataset;
    return { name: CUSTOM_DATASET, train_fraction, label_noise, custom: this.customPoints };
  }

  private decodePolygons(polygons: RegionPolygons): Regions | null {
    try {
      return decodeRegions(polygons);
    } catch (error) {
      this.notify(
        "error",
        `Unreadable region polygons from the server: ${(error as Error).message}`,
      );
      return null;
    }
  }

  private clearRegions(): void {
    this.regions = null;
    this.regionsExact = true;
    this.regionPolygons = null;
    this.regionHistory.clear();
    this.regionRevision++;
  }

  private clearHistory(): void {
    this.history.clear();
    this.historyRevision++;
  }

  /** Shows a message in the banner; the newest replaces whatever was shown. */
  private notify(kind: Notice["kind"], text: string, details: NoticeDetails = {}): void {
    const notice: Notice = { id: this.nextNoticeId++, kind, text, cause: details.cause ?? null };
    if (details.undoStep !== undefined) notice.undoStep = details.undoStep;
    if (details.divergedAt !== undefined) notice.divergedAt = details.divergedAt;
    this.notices = [notice];
  }

  /** Takes down the banner's message if `which` says it is one to go. */
  private clearNotices(which: (notice: Notice) => boolean): void {
    if (this.notices.some(which)) this.notices = this.notices.filter((n) => !which(n));
  }
}

/** Whether two settings are the same (both from the server, so their keys come in one order). */
function sameSettings(a: RunSettings, b: RunSettings | null): boolean {
  return b !== null && JSON.stringify(a) === JSON.stringify(b);
}

/** The patch without its null or undefined fields (they mean "keep"). */
function defined<T extends object>(patch: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== null && value !== undefined),
  ) as { [K in keyof T]?: NonNullable<T[K]> };
}
