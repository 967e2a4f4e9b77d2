// The one state store: server events go in through apply(), user actions go out as commands.

import { decodeRegions, type Regions } from "./draw/regions";
import { fetchExplore, type ExploreRequest, type ExploreResponse } from "./explore";
import { decodeFloat16 } from "./float16";
import { LossHistory } from "./history";
import type {
  Catalog,
  ClientCommand,
  ConfigureCommand,
  DatasetEvent,
  DatasetPatch,
  FrameEvent,
  HelloEvent,
  HiddenLayer,
  RegionPolygons,
  RunSettings,
  ServerEvent,
  TrainingPatch,
} from "./protocol.gen";
import { RegionHistory } from "./regionHistory";
import type { ConnectionState } from "./socket";

export type Send = (command: ClientCommand) => boolean;

export type AnalysisTab = "loss" | "regions" | "depth-width";

export interface Notice {
  id: number;
  kind: "error" | "diverged";
  text: string;
}

/** Marks a switch as exhaustive: a case left out is a type error. */
export function assertNever(value: never): never {
  throw new Error(`unhandled value ${JSON.stringify(value)}`);
}

const MAX_NOTICES = 3;
const DEFAULT_ACTIVATION = "tanh";
const DEFAULT_UNITS = 4;

export class Playground {
  connection = $state<ConnectionState>("connecting");
  /** True once a connection attempt failed or dropped; the banner says we are reconnecting. */
  dropped = $state(false);
  catalog = $state.raw<Catalog | null>(null);
  catalogError = $state<string | null>(null);
  server = $state.raw<Pick<HelloEvent, "version" | "device"> | null>(null);
  /** The settings shown: the server's, plus configures it has not answered yet. */
  settings = $state.raw<RunSettings | null>(null);
  dataset = $state.raw<DatasetEvent | null>(null);
  /** Only the newest frame is kept; views draw it at display rate. */
  frame = $state.raw<FrameEvent | null>(null);
  /** The frame's grid decoded to probabilities, replaced whole on each frame. */
  grid = $state.raw<Float32Array | null>(null);
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
  analysisTab = $state<AnalysisTab>("loss");
  showRegionEdges = $state(false);
  colourRegions = $state(false);
  /** The depth-vs-width explorer: its last answer, whether one is pending, and its error. */
  exploration = $state.raw<ExploreResponse | null>(null);
  exploring = $state(false);
  exploreError = $state<string | null>(null);
  notices = $state<Notice[]>([]);
  /** Bumped whenever `history` changes; the loss chart redraws on it. */
  historyRevision = $state(0);
  showTestData = $state(false);
  logScale = $state(false);
  stepSize = $state(1);
  readonly history = new LossHistory();
  /** (step, regions) for every frame of this run that carried a count. */
  readonly regionHistory = new RegionHistory();

  private confirmed: RunSettings | null = null;
  private unansweredConfigures = 0;
  private nextNoticeId = 1;

  constructor(
    private send: Send = () => false,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  /** Routes outgoing commands to a socket (set once at start-up). */
  connect(send: Send): void {
    this.send = send;
  }

  /** Applies one server event to the state. */
  apply(event: ServerEvent): void {
    switch (event.type) {
      case "hello":
        return this.onHello(event);
      case "settings":
        return this.onSettings(event.settings);
      case "dataset":
        this.dataset = event;
        return;
      case "frame":
        return this.onFrame(event);
      case "error":
        return this.onError(event.message, event.command);
      default:
        return assertNever(event);
    }
  }

  /** Follows the socket's state; a drop forgets unanswered commands. */
  setConnection(state: ConnectionState): void {
    this.connection = state;
    if (state === "closed") {
      this.dropped = true;
      this.unansweredConfigures = 0;
      this.running = false;
    }
  }

  // ---------------------------------------------------------------- actions

  // Play and pause wait for the server's frame to flip the button: that frame carries the
  // final step, so a paused page never shows a count that is still about to change.
  play(): void {
    this.send({ type: "play" });
  }

  pause(): void {
    this.send({ type: "pause" });
  }

  step(): void {
    this.send({ type: "step", steps: this.stepSize });
  }

  reset(): void {
    this.send({ type: "reset" });
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

  setHidden(hidden: HiddenLayer[]): void {
    this.change({ network: { hidden } }, (s) => ({ ...s, network: { hidden } }));
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
    this.setHidden([...hidden, { units: last?.units ?? DEFAULT_UNITS, activation }]);
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

  dismiss(id: number): void {
    this.notices = this.notices.filter((notice) => notice.id !== id);
  }

  // ---------------------------------------------------------------- event handlers

  private onHello(hello: HelloEvent): void {
    this.server = { version: hello.version, device: hello.device };
    this.frame = null;
    this.grid = null;
    this.running = false;
    this.clearHistory();
    this.clearRegions();
    const previous = this.settings;
    this.confirmed = hello.settings;
    if (previous === null) {
      this.settings = hello.settings;
      return;
    }
    // A new socket is a new session with the defaults: bring back what the user had.
    const { network, dataset, training, seed } = previous;
    this.change({ network, dataset, training, seed }, () => previous);
  }

  private onSettings(settings: RunSettings): void {
    this.confirmed = settings;
    this.unansweredConfigures = Math.max(0, this.unansweredConfigures - 1);
    // While later configures are unanswered, the optimistic view already includes them.
    if (this.unansweredConfigures === 0) this.settings = settings;
  }

  private onFrame(frame: FrameEvent): void {
    if (frame.run !== this.frame?.run) {
      this.clearHistory();
      this.clearRegions();
      this.notices = this.notices.filter((notice) => notice.kind !== "diverged");
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
    this.grid = decodeFloat16(frame.grid.data);
    this.history.append(frame.history);
    this.historyRevision++;
    this.running = frame.running;
    if (frame.diverged_at !== null) {
      this.notify("diverged", `Training diverged at step ${frame.diverged_at}.`);
    }
  }

  private onError(message: string, command: string | null): void {
    if (command === "configure") {
      this.unansweredConfigures = Math.max(0, this.unansweredConfigures - 1);
      if (this.unansweredConfigures === 0) this.settings = this.confirmed;
    }
    this.notify("error", message);
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

  private notify(kind: Notice["kind"], text: string): void {
    // The server explains a divergence in an error event as well as in the frame: show it once,
    // and let it go with the run it belongs to.
    const step = /diverged at step (\d+)/i.exec(text)?.[1];
    if (step !== undefined) {
      const said = `diverged at step ${step}`;
      if (this.notices.some((notice) => notice.text.toLowerCase().includes(said))) return;
      kind = "diverged";
    }
    this.notices = [...this.notices, { id: this.nextNoticeId++, kind, text }].slice(-MAX_NOTICES);
  }
}

/** The patch without its null or undefined fields (they mean "keep"). */
function defined<T extends object>(patch: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== null && value !== undefined),
  ) as { [K in keyof T]?: NonNullable<T[K]> };
}
