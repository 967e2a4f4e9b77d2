import { describe, expect, it } from "vitest";
import type { RunSettings, SetupFile } from "./protocol.gen";
import {
  fetchPytorchCode,
  fetchSafetensors,
  fetchWeightsOf,
  parseSetupText,
  setupFileText,
  setupFromWeights,
  SETUP_FORMAT,
} from "./setupFile";

const SETTINGS = { seed: 3 } as unknown as RunSettings;
const WEIGHTS = {
  "1.weight": { shape: [2, 2], values: [0.5, -1.25e-7, 3, 4] },
  "1.bias": { shape: [2], values: [0, -0.1] },
};
const SETUP: SetupFile = {
  format: SETUP_FORMAT,
  version: 1,
  settings: SETTINGS,
  custom: {
    x: [
      [1, 2],
      [-3.5, 4],
    ],
    y: [0, 1],
    task: "classification",
  },
  step: 120,
  weights: WEIGHTS,
};

/** A fetcher that records its calls and answers `status` with `body` (JSON unless bytes). */
function fakeFetch(status: number, body: unknown) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetcher = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const payload = body instanceof ArrayBuffer ? body : JSON.stringify(body);
    return new Response(payload, { status });
  }) as unknown as typeof fetch;
  return { fetcher, calls };
}

describe("setup file text", () => {
  it("parses back to the same setup, with every list of numbers on one line", () => {
    const text = setupFileText(SETUP);
    expect(JSON.parse(text)).toEqual(SETUP);
    expect(text).toContain('"values": [0.5, -1.25e-7, 3, 4]');
    expect(text).toContain("[-3.5, 4]");
    expect(text.split("\n").length).toBeLessThan(40);
  });

  it("reads a setup file and says what is wrong with other files", () => {
    expect(parseSetupText(JSON.stringify(SETUP))).toEqual(SETUP);
    expect(() => parseSetupText("{oops")).toThrow(/not valid JSON/);
    expect(() => parseSetupText("[1]")).toThrow(/no JSON object/);
    expect(() => parseSetupText('{"settings": {}}')).toThrow(/not an nn-playground setup/);
  });

  it("wraps safetensors weights in a setup without a step", () => {
    expect(setupFromWeights(WEIGHTS, SETTINGS, null)).toEqual({
      format: SETUP_FORMAT,
      version: 1,
      settings: SETTINGS,
      custom: null,
      step: null,
      weights: WEIGHTS,
    });
  });
});

describe("the weights and code endpoints", () => {
  it("posts the weights with the settings and returns the file's bytes", async () => {
    const { fetcher, calls } = fakeFetch(200, new Uint8Array([1, 2, 3]).buffer);
    const blob = await fetchSafetensors(WEIGHTS, SETTINGS, fetcher);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(calls[0]!.url).toBe("/api/weights/safetensors");
    expect(calls[0]!.init.method).toBe("POST");
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({
      weights: WEIGHTS,
      settings: SETTINGS,
    });
  });

  it("sends a safetensors file's bytes as they are and reads weights and settings", async () => {
    const { fetcher, calls } = fakeFetch(200, { weights: WEIGHTS, settings: null });
    const bytes = new Uint8Array([9, 8, 7]).buffer;
    expect(await fetchWeightsOf(bytes, fetcher)).toEqual({ weights: WEIGHTS, settings: null });
    expect(calls[0]!.url).toBe("/api/weights/from-safetensors");
    expect(calls[0]!.init.body).toBe(bytes);
  });

  it("returns the PyTorch code for the settings", async () => {
    const { fetcher, calls } = fakeFetch(200, { code: "import torch\n" });
    expect(await fetchPytorchCode(SETTINGS, fetcher)).toBe("import torch\n");
    expect(JSON.parse(calls[0]!.init.body as string)).toEqual({ settings: SETTINGS });
  });

  it("throws the server's detail, or its status, or the network failure", async () => {
    const refused = fakeFetch(422, { detail: "tensor '1.weight': values are not finite" });
    await expect(fetchWeightsOf(new ArrayBuffer(0), refused.fetcher)).rejects.toThrow(
      "tensor '1.weight': values are not finite",
    );
    const broken = fakeFetch(500, "oops");
    await expect(fetchPytorchCode(SETTINGS, broken.fetcher)).rejects.toThrow(/answered 500/);
    const offline = (async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch;
    await expect(fetchSafetensors(WEIGHTS, null, offline)).rejects.toThrow(/cannot reach/);
    const empty = fakeFetch(200, {});
    await expect(fetchWeightsOf(new ArrayBuffer(0), empty.fetcher)).rejects.toThrow(/without/);
  });
});
