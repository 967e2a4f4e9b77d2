// The settings as the page shows them: the server's confirmed ones plus the configures it has
// not answered yet, and the actions that change them. The store (store.svelte.ts) builds on it.

import type { SetupStorage } from "./persist";
import type {
  Catalog,
  ClientCommand,
  ConfigureCommand,
  CustomPoints,
  DatasetPatch,
  HiddenLayer,
  NetworkPatch,
  RunSettings,
  TrainingPatch,
} from "./protocol.gen";
import { plainLayer } from "./network";
import { SetupAddress } from "./setupAddress";
import type { HashLocation } from "./urlHash";

export type Send = (command: ClientCommand) => boolean;

const DEFAULT_ACTIVATION = "tanh";
const DEFAULT_UNITS = 4;
export const CUSTOM_DATASET = "custom";

export abstract class SettingsMirror {
  catalog = $state.raw<Catalog | null>(null);
  catalogError = $state<string | null>(null);
  /** The settings shown: the server's, plus configures it has not answered yet. */
  settings = $state.raw<RunSettings | null>(null);

  /** The settings the server confirmed last. */
  protected confirmed: RunSettings | null = null;
  /** A new session's settings, from the newest hello: what "start fresh" goes back to. */
  protected defaults: RunSettings | null = null;
  private unansweredConfigures = 0;
  /** Where the confirmed settings are kept for sharing: the address bar and a stored copy. */
  private readonly address = new SetupAddress();
  /** Settings from a shared link, brought back by the first hello like a reconnect's. */
  private pendingSetup: RunSettings | null = null;

  constructor(protected send: Send) {}

  /** The user's own points, drawn or uploaded, if any. */
  protected abstract userPoints(): CustomPoints | null;
  /** Takes the user's points a shared link or a stored setup brings. */
  protected abstract bringPoints(points: CustomPoints | null): void;
  /** Shows an error in the banner. */
  protected abstract notifyError(text: string): void;

  /** The user's points when `settings` train on them, else null. */
  protected customOf(settings: Pick<RunSettings, "dataset">): CustomPoints | null {
    return settings.dataset.name === CUSTOM_DATASET ? this.userPoints() : null;
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
    const plain = plainLayer(last?.units ?? DEFAULT_UNITS, activation);
    this.setHidden([...hidden, { ...plain, ...last, activation }]);
  }

  removeLayer(): void {
    this.setHidden((this.settings?.network.hidden ?? []).slice(0, -1));
  }

  /**
   * Mirrors the confirmed setup in `location` (and a copy in `storage`) from now on. A setup in
   * the address, else the stored copy, is what the first hello brings back; a link that cannot
   * be read is reported and ignored.
   */
  followUrlHash(location: HashLocation, storage: SetupStorage | null = null): void {
    const reading = this.address.follow(location, storage);
    if (reading.kind === "invalid") {
      this.notifyError(`The setup in this link was ignored: ${reading.reason}.`);
    } else if (reading.kind === "setup") {
      this.pendingSetup = reading.setup.settings;
      this.bringPoints(reading.setup.custom);
    }
  }

  /** Writes the confirmed setup into the address and the stored copy, if it changed. */
  writeUrlHash(): void {
    if (this.confirmed) {
      this.address.write(this.confirmed, this.defaults, this.customOf(this.confirmed));
    }
  }

  /** Trains on the user's points from now on (a new run on the "custom" dataset). */
  protected configureCustom(custom: CustomPoints): void {
    this.change({ dataset: { name: CUSTOM_DATASET, custom } }, (s) => ({
      ...s,
      dataset: { ...s.dataset, name: CUSTOM_DATASET },
    }));
  }

  /**
   * A new session starts on `settings`, its defaults: bring back what the page had (or a shared
   * link's setup), the user's points included (the settings name them but do not hold them).
   */
  protected helloSettings(settings: RunSettings): void {
    const previous = this.settings ?? this.pendingSetup;
    this.pendingSetup = null;
    this.confirmed = settings;
    this.defaults = settings;
    this.settings ??= settings;
    if (previous !== null) this.restore(previous);
  }

  /** Sends all of `previous` in one configure and shows it while the server answers. */
  protected restore(previous: RunSettings): void {
    const { network, dataset, training, seed } = previous;
    const { hidden, init } = network;
    const features = network.features as NetworkPatch["features"];
    this.change(
      { network: { hidden, features, init }, dataset: this.datasetPatch(dataset), training, seed },
      () => previous,
    );
  }

  /** The settings now in force; `ours` when they answer one of this page's configures. */
  protected confirm(settings: RunSettings, ours: boolean): void {
    this.confirmed = settings;
    if (ours) this.unansweredConfigures = Math.max(0, this.unansweredConfigures - 1);
    // While later configures are unanswered, the optimistic view already includes them.
    if (this.unansweredConfigures === 0 || !ours) this.settings = settings;
  }

  /** A configure was refused: once none is pending, the page shows the server's settings. */
  protected configureRefused(): void {
    this.unansweredConfigures = Math.max(0, this.unansweredConfigures - 1);
    if (this.unansweredConfigures === 0) this.settings = this.confirmed;
  }

  /** The socket dropped: no configure sent on it will be answered. */
  protected forgetConfigures(): void {
    this.unansweredConfigures = 0;
  }

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
    const custom = this.customOf({ dataset });
    if (!custom) return dataset;
    const { train_fraction, label_noise } = dataset;
    return { name: CUSTOM_DATASET, train_fraction, label_noise, custom };
  }
}

/** The patch without its null or undefined fields (they mean "keep"). */
function defined<T extends object>(patch: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(
    Object.entries(patch).filter(([, value]) => value !== null && value !== undefined),
  ) as { [K in keyof T]?: NonNullable<T[K]> };
}
