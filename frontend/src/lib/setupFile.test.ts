import { describe, expect, it } from "vitest";
import { createApi } from "./api";
import { fakeFetch } from "./fixtures";
import type { RunSettings, SetupFile } from "./protocol.gen";
// The file's text and the server's answers, each from its own import line.
import { parseSetupText, setupFileText, SETUP_FORMAT } from "./setupFile";
import { fetchPytorchCode, fetchSafetensors, fetchWeightsOf, setupFromWeights } from "./setupFile";

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

/** A client whose fetcher records its requests and answers `status` with `body` (JSON unless bytes). */
function fakeApi(status: number, body: unknown) {
  const payload = body instanceof ArrayBuffer ? body : JSON.stringify(body);
  const { fetcher, requests } = fakeFetch(() => new Response(payload, { status }));
  return { api: createApi(fetcher), requests };
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
    const { api, requests } = fakeApi(200, new Uint8Array([1, 2, 3]).buffer);
    const blob = await fetchSafetensors(WEIGHTS, SETTINGS, api);
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
    expect(requests[0]!.path).toBe("/api/weights/safetensors");
    expect(requests[0]!.method).toBe("POST");
    expect(await requests[0]!.request.json()).toEqual({
      weights: WEIGHTS,
      settings: SETTINGS,
    });
  });

  it("sends a safetensors file's bytes as they are and reads weights and settings", async () => {
    const { api, requests } = fakeApi(200, { weights: WEIGHTS, settings: null });
    const bytes = new Blob([new Uint8Array([9, 8, 7])]);
    expect(await fetchWeightsOf(bytes, api)).toEqual({ weights: WEIGHTS, settings: null });
    expect(requests[0]!.path).toBe("/api/weights/from-safetensors");
    expect(requests[0]!.request.headers.get("content-type")).toBe("application/octet-stream");
    expect(new Uint8Array(await requests[0]!.request.arrayBuffer())).toEqual(
      new Uint8Array([9, 8, 7]),
    );
  });

  it("returns the PyTorch code for the settings", async () => {
    const { api, requests } = fakeApi(200, { code: "import torch\n" });
    expect(await fetchPytorchCode(SETTINGS, api)).toBe("import torch\n");
    expect(await requests[0]!.request.json()).toEqual({ settings: SETTINGS });
  });

  it("throws the server's detail, or its status, or the network failure", async () => {
    const refused = fakeApi(422, { detail: "tensor '1.weight': values are not finite" });
    await expect(fetchWeightsOf(new Blob([]), refused.api)).rejects.toThrow(
      "tensor '1.weight': values are not finite",
    );
    const broken = fakeApi(500, "oops");
    await expect(fetchPytorchCode(SETTINGS, broken.api)).rejects.toThrow(/answered 500/);
    const offline = createApi((async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch);
    await expect(fetchSafetensors(WEIGHTS, null, offline)).rejects.toThrow(/cannot reach/);
    const empty = fakeApi(200, {});
    await expect(fetchWeightsOf(new Blob([]), empty.api)).rejects.toThrow(/without/);
  });
});
