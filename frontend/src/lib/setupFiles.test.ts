// Setup files: exports saved as asked (matched to their request by id), imports confirmed by
// the server before their points count, safetensors and PyTorch code through the HTTP client.

import { describe, expect, it, vi } from "vitest";
import {
  POINTS,
  SETTINGS,
  errorEvent,
  fakeFetch,
  json,
  openStore,
  settingsEvent,
} from "./fixtures";
import type { RunSettings, SetupFileEvent } from "./protocol.gen";

describe("SetupFiles in the store", () => {
  const WEIGHTS = { "0.weight": { shape: [1, 2], values: [0.5, -2] } };
  const SETUP: SetupFileEvent["setup"] = {
    format: "nn-playground/setup",
    version: 1,
    settings: { ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "custom" } },
    custom: { ...POINTS, task: "classification" },
    step: 30,
    weights: WEIGHTS,
  };

  const setupFile = (setup: SetupFileEvent["setup"], requestId: number): SetupFileEvent => ({
    type: "setup_file",
    setup,
    request_id: requestId,
  });

  /** A store on a recording socket and a fetcher that answers every request with `answer`. */
  function storeWith(answer: (path: string) => Response = () => json({})) {
    const { fetcher, requests } = fakeFetch(answer);
    const { store, sent } = openStore({ fetcher });
    const saved: { blob: Blob; fileName: string }[] = [];
    store.files.saveFile = (blob, fileName) => saved.push({ blob, fileName });
    return { store, sent, requests, saved };
  }

  it("exports the setup as a JSON file", async () => {
    const { store, sent, saved } = storeWith();
    store.files.exportSetup(false);
    store.files.exportSetup(true);
    expect(sent).toEqual([
      { type: "export", weights: false, request_id: 1 },
      { type: "export", weights: true, request_id: 2 },
    ]);
    store.apply(setupFile({ ...SETUP, weights: null, step: null }, 1));
    store.apply(setupFile(SETUP, 2));
    await vi.waitFor(() => expect(saved).toHaveLength(2));
    // Two exports, two names, each saying what it holds.
    expect(saved.map((s) => s.fileName)).toEqual([
      "nn-playground-setup.json",
      `nn-playground-weights-step${SETUP.step}.json`,
    ]);
    expect(JSON.parse(await saved[1]!.blob.text())).toEqual(SETUP);
  });

  it("matches each reply to its export by request id, in any order", async () => {
    const { store, sent, saved } = storeWith(() => new Response(new Uint8Array([1])));
    store.files.exportSafetensors();
    store.files.exportSetup(false);
    store.files.exportSetup(true);
    expect(sent.map((c) => (c as { request_id: number }).request_id)).toEqual([1, 2, 3]);
    // The first is refused (the queue is full, say); the others come back last first.
    store.apply(errorEvent("too many commands waiting", { command: "export", request_id: 1 }));
    store.apply(setupFile(SETUP, 3));
    store.apply(setupFile({ ...SETUP, weights: null, step: null }, 2));
    store.apply(setupFile(SETUP, 1)); // already refused: nothing to save
    await vi.waitFor(() => expect(saved).toHaveLength(2));
    expect(saved.map((s) => s.fileName)).toEqual([
      `nn-playground-weights-step${SETUP.step}.json`,
      "nn-playground-setup.json",
    ]);
  });

  it("exports the weights as safetensors through the server", async () => {
    const bytes = new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0]);
    const { store, sent, requests, saved } = storeWith(() => new Response(bytes));
    store.files.exportSafetensors();
    expect(sent).toEqual([{ type: "export", weights: true, request_id: 1 }]);
    store.apply(setupFile(SETUP, 1));
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.fileName).toBe(`nn-playground-weights-step${SETUP.step}.safetensors`);
    expect(new Uint8Array(await saved[0]!.blob.arrayBuffer())).toEqual(bytes);
    expect(requests[0]!.path).toBe("/api/weights/safetensors");
    expect(await requests[0]!.request.json()).toEqual({
      weights: WEIGHTS,
      settings: SETUP.settings,
    });
  });

  it("reports a refused safetensors export and saves nothing", async () => {
    const { store, saved } = storeWith(() => json({ detail: "too many tensors" }, 422));
    store.files.exportSafetensors();
    store.apply(setupFile(SETUP, 1));
    await vi.waitFor(() => expect(store.banner.notices).toHaveLength(1));
    expect(store.banner.notices[0]!.text).toMatch(/Weights not exported: too many tensors/);
    expect(saved).toEqual([]);
  });

  it("imports a setup file, and its points become the custom data once confirmed", async () => {
    const { store, sent } = storeWith();
    await store.files.importFile(new File([JSON.stringify(SETUP)], "mine.json"));
    expect(sent).toEqual([{ type: "import", setup: SETUP, request_id: 1 }]);
    expect(store.edits.points).toBeNull();
    store.apply(settingsEvent(SETUP.settings, 1));
    expect(store.settings).toEqual(SETUP.settings);
    expect(store.edits.points).toEqual(POINTS);
  });

  it("keeps everything when the server refuses an import", async () => {
    const { store } = storeWith();
    await store.files.importFile(new File([JSON.stringify(SETUP)], "mine.json"));
    store.apply({
      type: "error",
      message: "tensor '0.weight': expected shape [4, 2]",
      command: "import",
      undo_step: null,
      diverged_at: null,
      request_id: 1,
    });
    store.apply(settingsEvent({ ...SETTINGS, seed: 5 }));
    expect(store.edits.points).toBeNull();
    expect(store.banner.notices[0]!.text).toMatch(/expected shape/);
  });

  it("says a file is not JSON, or not a setup, and sends nothing", async () => {
    const { store, sent } = storeWith();
    await store.files.importFile(new File(["{broken"], "broken.json"));
    await store.files.importFile(new File(['{"a": 1}'], "other.json"));
    expect(sent).toEqual([]);
    // One message at a time: the newest.
    expect(store.banner.notices.map((n) => n.text)).toEqual([
      expect.stringMatching(/^other\.json not loaded: .*not an nn-playground setup/),
    ]);
    expect(store.settings).toEqual(SETTINGS);
  });

  it("imports safetensors weights under the file's settings, or else the current ones", async () => {
    let metadata: RunSettings | null = null;
    const { store, sent, requests } = storeWith(() =>
      json({ weights: WEIGHTS, settings: metadata }),
    );
    const bytes = new Uint8Array([1, 2, 3]);
    await store.files.importFile(new File([bytes], "weights.safetensors"));
    expect(requests[0]!.path).toBe("/api/weights/from-safetensors");
    expect(new Uint8Array(await requests[0]!.request.arrayBuffer())).toEqual(bytes);
    const fresh = { format: "nn-playground/setup", version: 1, step: null, weights: WEIGHTS };
    expect(sent).toEqual([
      { type: "import", setup: { ...fresh, settings: SETTINGS, custom: null }, request_id: 1 },
    ]);
    metadata = { ...SETTINGS, seed: 9 };
    await store.files.importFile(new File([bytes], "W.SAFETENSORS"));
    expect(sent[1]).toEqual({
      type: "import",
      setup: { ...fresh, settings: metadata, custom: null },
      request_id: 2,
    });
  });

  it("shows the server's reason for a bad safetensors file and sends nothing", async () => {
    const { store, sent } = storeWith(() => json({ detail: "corrupt header" }, 422));
    await store.files.importFile(new File([new Uint8Array([0])], "bad.safetensors"));
    expect(sent).toEqual([]);
    expect(store.banner.notices[0]!.text).toBe("bad.safetensors not loaded: corrupt header");
  });

  it("fetches the PyTorch code of the settings, or says why not", async () => {
    let status = 200;
    const { store, requests } = storeWith(() =>
      status === 200 ? json({ code: "net = nn.Sequential()\n" }) : json({ detail: "no" }, 422),
    );
    await store.copyAsPytorch();
    expect(store.files.pytorchCode).toBe("net = nn.Sequential()\n");
    expect(requests[0]!.path).toBe("/api/pytorch");
    expect(await requests[0]!.request.json()).toEqual({ settings: SETTINGS });
    store.files.pytorchCode = null;
    status = 422;
    await store.copyAsPytorch();
    expect(store.files.pytorchCode).toBeNull();
    expect(store.banner.notices[0]!.text).toBe("No PyTorch code: no");
  });
});
