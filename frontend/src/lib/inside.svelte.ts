// The "Inside the network" card's state: which view is open, what it asks the server to
// inspect, and the newest inspection decoded. Kept apart from the main store (which owns one
// instance as `store.inside`) because it is one idea with its own subscription protocol.

import { decodeInspection, type Inspection } from "./inspection";
import { MonitorHistory } from "./monitorHistory";
import type {
  ClientCommand,
  InspectCommand,
  InspectionEvent,
  NeuronRef,
  ProbeRequest,
} from "./protocol.gen";

export type InsideTab = "network" | "hidden" | "backprop" | "monitors";
/** How the Forward/backward view shows the clicked point: per-layer tables or its graph. */
export type ProbeView = "tables" | "graph";

export class InsideNetwork {
  /** Which view the card shows; it decides what the server is asked for. */
  tab = $state<InsideTab>("network");
  /** The newest inspection of the subscription in force, decoded. */
  inspection = $state.raw<Inspection | null>(null);
  /** The neuron shown large (Network view), or null. */
  focus = $state.raw<NeuronRef | null>(null);
  /** The hidden layer (0-based) whose space the Hidden space view draws. */
  hiddenLayer = $state(0);
  /** The point followed forward and backward (Forward/backward view), or null. */
  probePoint = $state.raw<ProbeRequest | null>(null);
  /** Tables or the computational graph, in the Forward/backward view. */
  probeView = $state<ProbeView>("tables");
  /** Bumped whenever `monitors` changes; the monitor charts redraw on it. */
  monitorRevision = $state(0);
  /** Per-layer monitors of this run over steps (the server's history of the run, then live). */
  readonly monitors = new MonitorHistory();

  /** The last subscription sent, as JSON: an unchanged one is not sent again. */
  private sent: string | null = null;
  /** Whether the card is on the page; without it nothing is worth computing. */
  private shown = false;

  constructor(
    private readonly send: (command: ClientCommand) => boolean,
    private readonly notify: (text: string) => void,
  ) {}

  /** What the open view needs from the server (nothing while the card is not shown). */
  subscription(): InspectCommand {
    const tab = this.shown ? this.tab : null;
    return {
      type: "inspect",
      neurons: tab === "network",
      focus: tab === "network" ? this.focus : null,
      hidden_layer: tab === "hidden" ? this.hiddenLayer : null,
      monitors: tab === "monitors",
      probe: tab === "backprop" ? this.probePoint : null,
      graph: tab === "backprop" && this.probeView === "graph",
    };
  }

  /** Sends the subscription if it changed since the last one sent (or always, with `force`). */
  subscribe(force = false): void {
    const command = this.subscription();
    const text = JSON.stringify(command);
    if (!force && text === this.sent) return;
    if (this.send(command)) this.sent = text;
  }

  /** The card is on the page: subscribe; the returned function unsubscribes (on unmount). */
  show(): () => void {
    this.shown = true;
    this.subscribe();
    return () => {
      this.shown = false;
      this.subscribe();
    };
  }

  setTab(tab: InsideTab): void {
    this.tab = tab;
    this.subscribe();
  }

  /** Shows one neuron large; `layer` is the Linear index (the output layer's units included). */
  openNeuron(layer: number, unit: number): void {
    this.focus = { layer, unit };
    this.subscribe();
  }

  closeNeuron(): void {
    this.focus = null;
    this.subscribe();
  }

  setHiddenLayer(layer: number): void {
    this.hiddenLayer = layer;
    this.subscribe();
  }

  setProbeView(view: ProbeView): void {
    this.probeView = view;
    this.subscribe();
  }

  /** Follows one point with its target forward and backward through the network. */
  probe(point: number[], target: number): void {
    const [first, ...rest] = point;
    if (first === undefined) return;
    this.probePoint = { point: [first, ...rest], target };
    this.subscribe();
  }

  /** Sets one weight (or the bias, when `col` is null); the server takes it only while paused. */
  setWeight(layer: number, row: number, col: number | null, value: number): boolean {
    if (!Number.isFinite(value)) return false;
    return this.send({ type: "set_weight", layer, row, col, value });
  }

  /** Takes in an inspection; a malformed one is reported and the previous one kept. */
  apply(event: InspectionEvent): void {
    let inspection: Inspection;
    try {
      inspection = decodeInspection(event);
    } catch (error) {
      this.notify(`Unreadable inspection from the server: ${(error as Error).message}`);
      return;
    }
    if (this.inspection && inspection.run !== this.inspection.run) this.clearMonitors();
    this.inspection = inspection;
    if (inspection.monitorHistory) {
      // The run so far, recorded by the server while nobody watched: it replaces what we held.
      this.monitors.clear();
      for (const sample of inspection.monitorHistory)
        this.monitors.append(sample.step, sample.layers);
    }
    if (inspection.monitors) {
      this.monitors.append(inspection.step, inspection.monitors);
      this.monitorRevision++;
    }
    this.fitToNetwork(inspection.layers.length);
  }

  /** A new connection: nothing inspected yet, the subscription sent afresh if there is one. */
  reconnected(): void {
    this.inspection = null;
    this.clearMonitors();
    if (this.shown) this.subscribe(true);
    else this.sent = null;
  }

  /** Clears the monitors' history (a new run). */
  clearMonitors(): void {
    this.monitors.clear();
    this.monitorRevision++;
  }

  /** After the architecture changed, points the views at layers and units that still exist. */
  private fitToNetwork(linearLayers: number): void {
    const hiddenLayers = linearLayers - 1;
    let changed = false;
    if (hiddenLayers > 0 && this.hiddenLayer >= hiddenLayers) {
      this.hiddenLayer = hiddenLayers - 1;
      changed = true;
    }
    const focus = this.focus;
    const layer = focus ? this.inspection?.layers[focus.layer] : undefined;
    if (focus && (!layer || focus.unit >= layer.units)) {
      this.focus = null;
      changed = true;
    }
    if (changed) this.subscribe();
  }
}
