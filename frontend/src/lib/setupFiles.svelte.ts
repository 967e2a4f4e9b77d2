// Setup files: export (JSON, or the weights as safetensors), import, and the PyTorch code.
// Each export or import carries a request id of its own, and the server's reply names it, so
// a reply finds its request however many are under way or refused.

import type { Api } from "./api";
import type { Notify } from "./banner.svelte";
import type {
  ClientCommand,
  CustomPoints,
  ErrorEvent,
  RunSettings,
  SettingsEvent,
  SetupFile,
  SetupFileEvent,
} from "./protocol.gen";
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

/** Who takes an export's answer in place of a download (publishing, the run history). */
export interface SetupReceiver {
  setup: (setup: SetupFile) => void | Promise<void>;
  refused: (message: string) => void;
}

type ExportAs = "json" | "safetensors" | SetupReceiver;

export class SetupFiles {
  /** The current setup as PyTorch code, while its dialog is open. */
  pytorchCode = $state<string | null>(null);
  /** Saves an exported file; tests replace it. */
  saveFile: (blob: Blob, fileName: string) => void = downloadBlob;

  private nextRequestId = 1;
  /** What each unanswered export becomes, by request id. */
  private exports = new Map<number, ExportAs>();
  /** The points of each import not yet confirmed, by request id. */
  private imports = new Map<number, CustomPoints | null>();

  constructor(
    private readonly send: (command: ClientCommand) => boolean,
    private readonly notify: Notify,
    /** The settings the server confirmed last (what weights without settings load into). */
    private readonly confirmed: () => RunSettings | null,
    /** The user's points when `settings` train on them, else null. */
    private readonly customOf: (settings: RunSettings) => CustomPoints | null,
    private readonly api: Api,
  ) {}

  /** Downloads the setup as JSON, with or without the current weights (the server writes it). */
  exportSetup(weights: boolean): void {
    this.exportAs("json", weights);
  }

  /** Downloads the current weights as a safetensors file. */
  exportSafetensors(): void {
    this.exportAs("safetensors", true);
  }

  /** Loads a setup (.json) or weights (.safetensors); a file refused leaves all as it was. */
  async importFile(file: File): Promise<void> {
    let setup: SetupFile;
    try {
      setup = file.name.toLowerCase().endsWith(".safetensors")
        ? await this.setupOfWeights(file)
        : parseSetupText(await file.text());
    } catch (error) {
      this.notify(`${file.name} not loaded: ${(error as Error).message}`, {
        cause: "import",
      });
      return;
    }
    this.importSetup(setup);
  }

  /** Sends an import of `setup`; false when the socket is not open. */
  importSetup(setup: SetupFile): boolean {
    const requestId = this.nextRequestId++;
    if (!this.send({ type: "import", setup, request_id: requestId })) return false;
    this.imports.set(requestId, setup.custom ?? null);
    return true;
  }

  /** Exports the setup with its weights for `receiver` instead of a file; false if not sent. */
  exportTo(receiver: SetupReceiver): boolean {
    return this.exportAs(receiver, true);
  }

  /** Opens the PyTorch code of `settings`. */
  async copyAsPytorch(settings: RunSettings): Promise<void> {
    try {
      this.pytorchCode = await fetchPytorchCode(settings, this.api);
    } catch (error) {
      this.notify(`No PyTorch code: ${(error as Error).message}`);
    }
  }

  /**
   * The points an import brings, when `event` confirms one (null for none); undefined when
   * the event answers something else.
   */
  imported(event: SettingsEvent): CustomPoints | null | undefined {
    const id = event.request_id;
    if (id === null || !this.imports.has(id)) return undefined;
    const points = this.imports.get(id) ?? null;
    this.imports.delete(id);
    return points;
  }

  /** Forgets the request a refusal names. */
  onError(event: ErrorEvent): void {
    if (event.request_id === null || event.request_id === undefined) return;
    const as = this.exports.get(event.request_id);
    if (typeof as === "object") as.refused(event.message);
    this.exports.delete(event.request_id);
    this.imports.delete(event.request_id);
  }

  /** A new connection: requests of the old one will never be answered. */
  forget(): void {
    this.exports.clear();
    this.imports.clear();
  }

  /** Saves an exported setup as asked: the JSON file, or its weights as safetensors. */
  async onSetupFile(event: SetupFileEvent): Promise<void> {
    const { setup, request_id: id } = event;
    const as = id === null ? undefined : this.exports.get(id);
    if (id !== null) this.exports.delete(id);
    if (as === undefined) return; // not ours (another page's request, or a dropped socket's)
    if (typeof as === "object") return as.setup(setup);
    if (as === "json") {
      const blob = new Blob([setupFileText(setup)], { type: "application/json" });
      return this.saveFile(blob, exportFileName(setup));
    }
    try {
      if (!setup.weights) throw new Error("the server sent no weights");
      const blob = await fetchSafetensors(setup.weights, setup.settings, this.api);
      this.saveFile(blob, exportFileName(setup, true));
    } catch (error) {
      this.notify(`Weights not exported: ${(error as Error).message}`);
    }
  }

  private exportAs(as: ExportAs, weights: boolean): boolean {
    const requestId = this.nextRequestId++;
    if (!this.send({ type: "export", weights, request_id: requestId })) return false;
    this.exports.set(requestId, as);
    return true;
  }

  /** A setup file for weights read from a safetensors file, under the settings it names. */
  private async setupOfWeights(file: Blob): Promise<SetupFile> {
    const { weights, settings } = await fetchWeightsOf(file, this.api);
    const chosen = settings ?? this.confirmed();
    if (!chosen) throw new Error("there are no settings to load the weights into yet");
    return setupFromWeights(weights, chosen, this.customOf(chosen));
  }
}
