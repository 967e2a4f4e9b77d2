// Saving and loading a whole setup: the JSON file users keep, the safetensors weights file, and
// the PyTorch code of the network. The HTTP helpers throw Errors a person can read (api.ts).

import { answer, raw, type Api } from "./api";
import type { CustomPoints, RunSettings, SetupFile } from "./protocol.gen";

export type Weights = NonNullable<SetupFile["weights"]>;

export const SETUP_FORMAT = "nn-playground/setup";
export const SETUP_FILE_NAME = "nn-playground-setup.json";

/**
 * What an export is saved as: the setup alone as nn-playground-setup.json, a setup with its
 * weights as nn-playground-weights-step1234.json, the weights as …-step1234.safetensors, so
 * two exports never share a name and each says what it holds.
 */
export function exportFileName(
  setup: Pick<SetupFile, "weights" | "step">,
  safetensors = false,
): string {
  if (!safetensors && !setup.weights) return SETUP_FILE_NAME;
  const step = setup.step === null || setup.step === undefined ? "" : `-step${setup.step}`;
  return `nn-playground-weights${step}.${safetensors ? "safetensors" : "json"}`;
}

/** A setup file's text: indented, but each list of numbers on one line (weights stay short). */
export function setupFileText(setup: SetupFile): string {
  const indented = JSON.stringify(setup, null, 2);
  return indented.replace(/\[\s+([-+\d.eE,\s]*?)\s+\]/g, (_, numbers: string) => {
    return `[${numbers.split(/,\s*/).join(", ")}]`;
  });
}

/**
 * The setup in a file's text. Only its outline is checked here, so a wrong file gets a plain
 * message; the server validates every field when it imports it.
 */
export function parseSetupText(text: string): SetupFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new Error(`the file is not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new Error("the file holds no JSON object");
  }
  const format = (value as { format?: unknown }).format;
  if (format !== SETUP_FORMAT) {
    throw new Error(
      `the file is not an nn-playground setup (its "format" is not "${SETUP_FORMAT}")`,
    );
  }
  return value as SetupFile;
}

/** A setup file made from weights read out of a safetensors file. */
export function setupFromWeights(
  weights: Weights,
  settings: RunSettings,
  custom: CustomPoints | null,
): SetupFile {
  return { format: SETUP_FORMAT, version: 1, settings, custom, step: null, weights };
}

/** The weights as a safetensors file (POST /api/weights/safetensors); settings go in its metadata. */
export async function fetchSafetensors(
  weights: Weights,
  settings: RunSettings | null,
  api: Api,
): Promise<Blob> {
  const call = api.POST("/api/weights/safetensors", {
    body: { weights, settings },
    parseAs: "blob",
  });
  return answer(call);
}

/** The weights (and settings, when its metadata has them) of a safetensors file's bytes. */
export async function fetchWeightsOf(
  bytes: Blob,
  api: Api,
): Promise<{ weights: Weights; settings: RunSettings | null }> {
  const call = api.POST("/api/weights/from-safetensors", {
    body: bytes,
    bodySerializer: raw,
    headers: { "content-type": "application/octet-stream" },
  });
  const body = await answer(call);
  if (typeof body.weights !== "object" || body.weights === null) {
    throw new Error("the server answered without weights");
  }
  // The answer is written in full (serialization mode), so the settings have every field.
  return { weights: body.weights, settings: (body.settings ?? null) as RunSettings | null };
}

/** PyTorch code that rebuilds this network, its loss and its optimizer (POST /api/pytorch). */
export async function fetchPytorchCode(settings: RunSettings, api: Api): Promise<string> {
  const { code } = await answer(api.POST("/api/pytorch", { body: { settings } }));
  if (typeof code !== "string") throw new Error("the server answered without code");
  return code;
}

/** Saves a blob as a file through a temporary link (the browser's download). */
export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
