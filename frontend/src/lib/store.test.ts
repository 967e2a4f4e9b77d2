import { encode } from "@msgpack/msgpack";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { addPoint, erasePoints } from "./customData";
import { encodeFloat16 } from "./float16";
import type {
  ClientCommand,
  ConfigureCommand,
  CustomPoints,
  DatasetEvent,
  ExploreResponse,
  FrameEvent,
  RegionPolygons,
  RunSettings,
  ServerEvent,
  SetupFileEvent,
} from "./protocol.gen";
import { storedSetup } from "./persist";
import { decodeEvent } from "./socket";
import { Playground } from "./store.svelte";
import { decodeSetupHash, encodeSetupHash } from "./urlHash";

const SETTINGS: RunSettings = {
  network: {
    hidden: [
      { units: 4, activation: "tanh", batch_norm: false, layer_norm: false, dropout: 0 },
      { units: 2, activation: "tanh", batch_norm: false, layer_norm: false, dropout: 0 },
    ],
    features: ["x1", "x2"],
    init: "default",
    outputs: 1,
  },
  dataset: {
    name: "circle",
    points: 500,
    noise: 0,
    train_fraction: 0.5,
    classes: 2,
    label_noise: 0,
  },
  training: {
    optimizer: "sgd",
    learning_rate: 0.03,
    batch_size: 10,
    loss: "bce",
    momentum: 0.9,
    nesterov: false,
    schedule: "constant",
    schedule_steps: 1000,
    weight_decay: 0,
    clip_norm: 0,
    l1: 0,
    l2: 0,
    input_noise: 0,
    early_stopping: 0,
  },
  seed: 0,
};

const DATASET: DatasetEvent = {
  type: "dataset",
  box: [-6, 6, -6, 6],
  task: "classification",
  classes: 2,
  dims: 2,
  image_shape: null,
  train_x: [[1, 2]],
  train_y: [1],
  test_x: [[-1, 0]],
  test_y: [0],
};

const POINTS: CustomPoints = {
  x: [
    [0, 1],
    [2, 3],
  ],
  y: [0, 1],
  task: "classification",
};

const hello = (settings = SETTINGS): ServerEvent => ({
  type: "hello",
  protocol: 2,
  version: "0.1.0",
  device: "cpu",
  settings,
  steps_per_second: 200,
});

/** A 2×2 grid of probabilities [1, 0.5, 0, -1] as little-endian float16 bytes. */
const GRID_BYTES = new Uint8Array([0x00, 0x3c, 0x00, 0x38, 0x00, 0x00, 0x00, 0xbc]);

/** One triangle over the unit square, packed as the server packs region polygons. */
function trianglePolygons(patternId = 9): RegionPolygons {
  const u32 = (values: number[]) => new Uint8Array(new Uint32Array(values).buffer);
  const f32 = (values: number[]) => new Uint8Array(new Float32Array(values).buffer);
  return {
    count: 1,
    offsets: u32([0, 3]),
    vertices: f32([0, 0, 1, 0, 0, 1]),
    pattern_ids: u32([patternId]),
  };
}

function frame(overrides: Partial<FrameEvent> = {}): FrameEvent {
  const step = overrides.step ?? 10;
  return {
    type: "frame",
    run: 1,
    step,
    running: true,
    train_loss: 0.5,
    test_loss: 0.6,
    train_accuracy: 0.8,
    test_accuracy: 0.75,
    history: { steps: [step], train_loss: [0.5], test_loss: [0.6] },
    grid: { width: 2, height: 2, kind: "probability", data: GRID_BYTES },
    regions: null,
    regions_exact: true,
    region_polygons: null,
    diverged_at: null,
    early_stopped_at: null,
    best_step: null,
    confusion: null,
    weight_images: null,
    ...overrides,
  };
}

/** The frame as the server sends it: msgpack bytes, decoded by the socket module. */
function overTheWire(event: FrameEvent): ServerEvent {
  const bytes = encode(event);
  const decoded = decodeEvent(
    bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length),
  );
  if (!decoded) throw new Error("frame did not decode");
  return decoded;
}

describe("Playground.apply", () => {
  let sent: ClientCommand[];
  let store: Playground;

  beforeEach(() => {
    sent = [];
    store = new Playground((command) => {
      sent.push(command);
      return true;
    });
    store.setConnection("open");
  });

  it("takes the hello's settings as the first settings", () => {
    store.apply(hello());
    expect(store.settings).toEqual(SETTINGS);
    expect(store.server).toEqual({ version: "0.1.0", device: "cpu" });
    expect(sent).toEqual([]);
  });

  it("replaces settings on a settings event", () => {
    store.apply(hello());
    const next = { ...SETTINGS, seed: 7 };
    store.apply({ type: "settings", settings: next });
    expect(store.settings).toEqual(next);
  });

  it("keeps the dataset event", () => {
    store.apply(DATASET);
    expect(store.dataset).toEqual(DATASET);
  });

  it("decodes a msgpack frame into the latest frame, its grid and the history", () => {
    store.apply(hello());
    store.apply(overTheWire(frame({ step: 10 })));
    store.apply(overTheWire(frame({ step: 20 })));
    expect(store.frame?.step).toBe(20);
    expect(store.frame?.grid?.data).toBeInstanceOf(Uint8Array);
    expect(store.grid?.kind).toBe("probability");
    expect(Array.from(store.grid?.planes[0] ?? [])).toEqual([1, 0.5, 0, -1]);
    expect(store.history.samples()[0]).toEqual([10, 20]);
    expect(store.running).toBe(true);
  });

  it("keeps no grid, and says nothing, for image data's frames", () => {
    store.apply(hello());
    store.apply(overTheWire(frame({ step: 10 })));
    expect(store.grid).not.toBeNull();
    const confusion = [
      [3, 1],
      [0, 4],
    ];
    const weight_images = {
      count: 2,
      height: 1,
      width: 1,
      data: new Uint8Array(new Float32Array([1, -1]).buffer),
    };
    store.apply(overTheWire(frame({ step: 20, grid: null, confusion, weight_images })));
    expect(store.grid).toBeNull();
    expect(store.notices).toEqual([]);
    expect(store.frame?.confusion).toEqual(confusion);
    expect(store.frame?.weight_images?.data).toBeInstanceOf(Uint8Array);
    expect(store.history.samples()[0]).toEqual([10, 20]);
  });

  it("starts a new history when the run changes", () => {
    store.apply(frame({ run: 1, step: 10 }));
    store.apply(frame({ run: 1, step: 20 }));
    const revision = store.historyRevision;
    store.apply(frame({ run: 2, step: 0 }));
    expect(store.history.samples()[0]).toEqual([0]);
    expect(store.historyRevision).toBeGreaterThan(revision);
  });

  it("keeps the last region count of the run between frames that carry one", () => {
    store.apply(frame({ run: 1, regions: 17 }));
    store.apply(frame({ run: 1, regions: null }));
    expect(store.regions).toBe(17);
    store.apply(frame({ run: 2, regions: null }));
    expect(store.regions).toBeNull();
  });

  it("records (step, regions) for the chart and whether the count is exact", () => {
    store.apply(frame({ run: 1, step: 0, regions: 4 }));
    store.apply(frame({ run: 1, step: 5, regions: null }));
    const revision = store.regionRevision;
    store.apply(frame({ run: 1, step: 10, regions: 300, regions_exact: false }));
    expect(store.regionHistory.columns).toEqual([
      [0, 10],
      [4, 300],
    ]);
    expect(store.regionsExact).toBe(false);
    expect(store.regionRevision).toBeGreaterThan(revision);
    store.apply(frame({ run: 2, step: 0, regions: null }));
    expect(store.regionHistory.length).toBe(0);
    expect(store.regionsExact).toBe(true);
  });

  it("decodes region polygons off the wire and keeps them until the next count or run", () => {
    store.apply(overTheWire(frame({ run: 1, regions: 1, region_polygons: trianglePolygons(9) })));
    expect(store.regionPolygons?.count).toBe(1);
    expect([...store.regionPolygons!.patternIds]).toEqual([9]);
    expect([...store.regionPolygons!.vertices]).toEqual([0, 0, 1, 0, 0, 1]);
    store.apply(frame({ run: 1, step: 11 }));
    expect(store.regionPolygons?.patternIds[0]).toBe(9);
    store.apply(frame({ run: 1, step: 12, regions: 1, region_polygons: trianglePolygons(4) }));
    expect(store.regionPolygons?.patternIds[0]).toBe(4);
    store.apply(frame({ run: 2, step: 0 }));
    expect(store.regionPolygons).toBeNull();
  });

  it("drops the polygons when a count arrives without them (too many to draw)", () => {
    store.apply(frame({ run: 1, regions: 1, region_polygons: trianglePolygons() }));
    store.apply(frame({ run: 1, step: 20, regions: 5000 }));
    expect(store.regions).toBe(5000);
    expect(store.regionPolygons).toBeNull();
  });

  it("reports unreadable polygons instead of throwing", () => {
    const broken = { ...trianglePolygons(), count: 2 };
    store.apply(frame({ regions: 2, region_polygons: broken }));
    expect(store.regionPolygons).toBeNull();
    expect(store.notices[0]?.text).toMatch(/region polygons/);
  });

  it("shows server errors and lets them be dismissed", () => {
    store.apply({
      type: "error",
      message: "layer 3: units must be at most 32",
      command: "configure",
      undo_step: null,
      diverged_at: null,
    });
    expect(store.notices.map((n) => n.text)).toEqual(["layer 3: units must be at most 32"]);
    store.dismiss(store.notices[0]!.id);
    expect(store.notices).toEqual([]);
  });

  it("reports a divergence once, and forgets it with the run", () => {
    store.apply({
      type: "error",
      message: "Training diverged at step 412: lower it.",
      command: null,
      undo_step: null,
      diverged_at: 412,
    });
    store.apply(frame({ diverged_at: 412, running: false }));
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]!.kind).toBe("diverged");
    store.apply(frame({ run: 2, step: 0 }));
    expect(store.notices).toEqual([]);
  });

  it("announces a divergence seen only in a frame", () => {
    store.apply(frame({ diverged_at: 99 }));
    expect(store.notices[0]!.text).toBe("Training diverged at step 99.");
  });

  it("splits a class grid into its class and probability planes", () => {
    const data = encodeFloat16([2, 0, 1, 2, 0.9, 0.5, 0.4, 1]);
    store.apply(overTheWire(frame({ grid: { width: 2, height: 2, kind: "class", data } })));
    expect(Array.from(store.grid!.planes[0]!)).toEqual([2, 0, 1, 2]);
    expect(store.grid!.planes[1]![0]).toBeCloseTo(0.9, 3);
  });

  it("reports a grid whose bytes do not fit its shape instead of drawing it", () => {
    store.apply(frame({ grid: { width: 2, height: 2, kind: "class", data: GRID_BYTES } }));
    expect(store.grid).toBeNull();
    expect(store.notices[0]?.text).toMatch(/output grid.*needs 8 values/);
  });

  it("keeps null accuracies (regression) and the early stop of the frame", () => {
    store.apply(frame({ train_accuracy: null, test_accuracy: null }));
    expect(store.frame?.train_accuracy).toBeNull();
    store.apply(frame({ step: 300, running: false, early_stopped_at: 300, best_step: 120 }));
    expect(store.frame?.best_step).toBe(120);
  });

  it("throws on an event type it does not know", () => {
    expect(() => store.apply({ type: "nonsense" } as unknown as ServerEvent)).toThrow(/unhandled/);
  });
});

describe("Playground actions", () => {
  let sent: ClientCommand[];
  let store: Playground;

  beforeEach(() => {
    sent = [];
    store = new Playground((command) => {
      sent.push(command);
      return true;
    });
    store.setConnection("open");
    store.apply(hello());
  });

  it("sends only what changed and shows it before the server answers", () => {
    store.setTraining({ learning_rate: 0.1 });
    expect(sent).toEqual([{ type: "configure", training: { learning_rate: 0.1 } }]);
    expect(store.settings?.training).toEqual({ ...SETTINGS.training, learning_rate: 0.1 });
  });

  it("adds and removes layers on top of unanswered changes", () => {
    store.addLayer();
    store.addLayer();
    expect(store.settings?.network.hidden).toHaveLength(4);
    expect(sent.at(-1)).toEqual({
      type: "configure",
      network: {
        hidden: [
          ...SETTINGS.network.hidden,
          SETTINGS.network.hidden[1],
          SETTINGS.network.hidden[1],
        ],
      },
    });
    store.removeLayer();
    expect(store.settings?.network.hidden).toHaveLength(3);
  });

  it("waits for the last answer before taking the server's settings", () => {
    store.setSeed(1);
    store.setSeed(2);
    store.apply({ type: "settings", settings: { ...SETTINGS, seed: 1 } });
    expect(store.settings?.seed).toBe(2);
    store.apply({ type: "settings", settings: { ...SETTINGS, seed: 2 } });
    expect(store.settings?.seed).toBe(2);
  });

  it("goes back to the server's settings when a configure is refused", () => {
    store.setLayer(0, { units: 8 });
    store.apply({
      type: "error",
      message: "no",
      command: "configure",
      undo_step: null,
      diverged_at: null,
    });
    expect(store.settings).toEqual(SETTINGS);
  });

  it("steps by the chosen step size", () => {
    store.step();
    store.stepSize = 10;
    store.step();
    expect(sent).toEqual([
      { type: "step", steps: 1 },
      { type: "step", steps: 10 },
    ]);
  });

  it("sends play and pause, and lets the server's frames say whether it runs", () => {
    store.play();
    expect(store.running).toBe(false);
    store.apply(frame({ running: true }));
    expect(store.running).toBe(true);
    store.pause();
    store.apply(frame({ running: false, step: 42 }));
    expect(store.running).toBe(false);
    expect(sent).toEqual([{ type: "play" }, { type: "pause" }]);
  });

  it("restores the user's settings in one configure after reconnecting", () => {
    store.setDataset({ name: "xor" });
    store.apply({
      type: "settings",
      settings: { ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "xor" } },
    });
    store.setConnection("closed", { code: 1006, reason: "", wasOpen: true });
    expect(store.connectionProblem).toBe("Connection lost — reconnecting…");
    sent.length = 0;
    store.setConnection("open");
    store.apply(hello());
    const { outputs: _outputs, ...network } = SETTINGS.network;
    expect(sent).toEqual([
      {
        type: "configure",
        network,
        dataset: { ...SETTINGS.dataset, name: "xor" },
        training: SETTINGS.training,
        seed: 0,
      },
    ]);
    expect(store.settings?.dataset.name).toBe("xor");
  });

  it("sends an edit as custom data at once, and a drag's edits once it pauses", () => {
    vi.useFakeTimers();
    try {
      store.apply(DATASET);
      const added = addPoint(DATASET, 0.5, 0.5, 1);
      store.editData(added);
      expect(store.dataset).toBe(added);
      expect(sent).toEqual([
        {
          type: "configure",
          dataset: {
            name: "custom",
            custom: {
              x: [
                [1, 2],
                [0.5, 0.5],
                [-1, 0],
              ],
              y: [1, 1, 0],
              task: "classification",
            },
          },
        },
      ]);
      expect(store.settings?.dataset.name).toBe("custom");
      sent.length = 0;
      store.editData(erasePoints(added, 1, 2, 0.1)!, true);
      store.apply(DATASET); // the answer to the first edit must not undo the second
      expect(store.dataset?.train_x).toEqual([[0.5, 0.5]]);
      expect(sent).toEqual([]);
      vi.advanceTimersByTime(200);
      expect(sent).toHaveLength(1);
      expect(store.customPoints?.x).toEqual([
        [0.5, 0.5],
        [-1, 0],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("sends the custom points again after reconnecting", () => {
    store.setCustomData(POINTS);
    store.apply({
      type: "settings",
      settings: { ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "custom" } },
    });
    store.setConnection("closed");
    sent.length = 0;
    store.setConnection("open");
    store.apply(hello());
    expect(sent).toHaveLength(1);
    expect((sent[0] as ConfigureCommand).dataset).toEqual({
      name: "custom",
      train_fraction: 0.5,
      label_noise: 0,
      custom: POINTS,
    });
  });

  it("sends the folding preset", () => {
    store.loadPreset(2);
    expect(sent).toEqual([{ type: "preset", name: "folding", depth: 2 }]);
  });

  it("sends nothing while there are no settings or no socket", () => {
    const offline = new Playground(() => false);
    offline.setSeed(3);
    offline.apply(hello());
    offline.setSeed(3);
    expect(offline.settings?.seed).toBe(0);
  });
});

describe("Playground.uploadCsv", () => {
  const respond = (status: number, body: unknown) =>
    (async () => new Response(JSON.stringify(body), { status })) as typeof fetch;

  function storeWith(fetcher: typeof fetch): { store: Playground; sent: ClientCommand[] } {
    const sent: ClientCommand[] = [];
    const store = new Playground((command) => {
      sent.push(command);
      return true;
    }, fetcher);
    store.apply(hello());
    return { store, sent };
  }

  it("configures the parsed points as custom data", async () => {
    const { store, sent } = storeWith(respond(200, POINTS));
    expect(await store.uploadCsv("x1,x2,label\n...")).toBe(true);
    expect(sent).toEqual([{ type: "configure", dataset: { name: "custom", custom: POINTS } }]);
    expect(store.customPoints).toEqual(POINTS);
  });

  it("shows the server's reason for a refused file and sends nothing", async () => {
    for (const status of [413, 422]) {
      const detail = "row 3, column x2: 'abc' is not a number";
      const { store, sent } = storeWith(respond(status, { detail }));
      expect(await store.uploadCsv("x1,x2,label\n1,abc,0")).toBe(false);
      expect(sent).toEqual([]);
      expect(store.notices[0]?.text).toContain(detail);
      expect(store.settings?.dataset.name).toBe("circle");
    }
  });
});

describe("Playground.explore", () => {
  const ANSWER: ExploreResponse = {
    results: [{ depth: 1, width: 8, counts: [30, 32], mean: 31, std: 1, min: 30, max: 32 }],
    seconds: 0.1,
  };
  const REQUEST = { budget: 8, depths: [1] as [number], seeds: 2, activation: "relu" };

  it("is busy while the request runs, then keeps the answer", async () => {
    let answer: (response: Response) => void = () => {};
    const fetcher = (() => new Promise<Response>((resolve) => (answer = resolve))) as typeof fetch;
    const store = new Playground(() => true, fetcher);
    const pending = store.explore(REQUEST);
    expect(store.exploring).toBe(true);
    answer(new Response(JSON.stringify(ANSWER)));
    await pending;
    expect(store.exploring).toBe(false);
    expect(store.exploration).toEqual(ANSWER);
    expect(store.exploreError).toBeNull();
  });

  it("shows the server's 422 detail and keeps the previous answer", async () => {
    let status = 200;
    const fetcher = (async () =>
      new Response(
        JSON.stringify(status === 200 ? ANSWER : { detail: "budget: must be at most 64" }),
        {
          status,
        },
      )) as typeof fetch;
    const store = new Playground(() => true, fetcher);
    await store.explore(REQUEST);
    status = 422;
    await store.explore({ ...REQUEST, budget: 999 });
    expect(store.exploreError).toBe("budget: must be at most 64");
    expect(store.exploration).toEqual(ANSWER);
    expect(store.exploring).toBe(false);
  });
});

describe("Playground guards, files and sharing", () => {
  const WEIGHTS = { "0.weight": { shape: [1, 2], values: [0.5, -2] } };
  const SETUP: SetupFileEvent["setup"] = {
    format: "nn-playground/setup",
    version: 1,
    settings: { ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "custom" } },
    custom: { ...POINTS, task: "classification" },
    step: 30,
    weights: WEIGHTS,
  };

  /** A store on a recording socket and fetcher that answers every request with `answer`. */
  function storeWith(answer: (url: string) => Response = () => new Response("{}")) {
    const sent: ClientCommand[] = [];
    const requests: { url: string; init: RequestInit }[] = [];
    const saved: { blob: Blob; fileName: string }[] = [];
    const fetcher = (async (url: string, init: RequestInit) => {
      requests.push({ url, init });
      return answer(url);
    }) as unknown as typeof fetch;
    const store = new Playground((command) => {
      // The inspect subscription that a hello renews is not what these tests are about.
      if (command.type !== "inspect") sent.push(command);
      return true;
    }, fetcher);
    store.saveFile = (blob, fileName) => saved.push({ blob, fileName });
    store.setConnection("open");
    return { store, sent, requests, saved };
  }

  /** An address bar whose hash the store reads and replaces. */
  function fakeHash(initial = "") {
    const location = { hash: initial, writes: [] as string[] };
    const bound = {
      read: () => location.hash,
      write: (hash: string) => {
        location.hash = hash;
        location.writes.push(hash);
      },
    };
    return { location, bound };
  }

  const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status });

  it("offers undo on an error that names a step, sends it, and withdraws the offer", () => {
    const { store, sent } = storeWith();
    store.apply(hello());
    store.apply({
      type: "error",
      message: "The weights of hidden layer 2 are NaN.",
      command: null,
      undo_step: 57,
      diverged_at: null,
    });
    expect(store.notices[0]?.undoStep).toBe(57);
    store.undo();
    expect(sent).toEqual([{ type: "undo" }]);
    expect(store.notices).toEqual([]);
  });

  it("adds the undo step to a divergence the frame already announced", () => {
    const { store } = storeWith();
    store.apply(frame({ diverged_at: 412, running: false }));
    store.apply({
      type: "error",
      message: "Training diverged at step 412.",
      command: null,
      undo_step: 400,
      diverged_at: 412,
    });
    expect(store.notices).toHaveLength(1);
    expect(store.notices[0]).toMatchObject({ kind: "diverged", undoStep: 400 });
  });

  it("runs the overfit check, keeps its answer for the run, and stops waiting on an error", () => {
    const { store, sent } = storeWith();
    store.apply(hello());
    store.apply(frame({ run: 1 }));
    store.overfitCheck();
    expect(sent).toEqual([{ type: "overfit_check", points: 8 }]);
    expect(store.overfitChecking).toBe(true);
    const result = {
      type: "overfit_result",
      passed: true,
      points: 8,
      steps: 143,
      loss: 0.001,
      accuracy: 1,
      attempts: 1,
      message: "Fitted all 8 points.",
    } as const;
    store.apply(result);
    expect(store.overfitChecking).toBe(false);
    expect(store.overfitResult).toEqual(result);
    store.apply(frame({ run: 1, step: 20 }));
    expect(store.overfitResult).toEqual(result);
    store.apply(frame({ run: 2, step: 0 }));
    expect(store.overfitResult).toBeNull();
    store.overfitCheck();
    store.apply({
      type: "error",
      message: "busy",
      command: "overfit_check",
      undo_step: null,
      diverged_at: null,
    });
    expect(store.overfitChecking).toBe(false);
  });

  it("exports the setup as a JSON file", async () => {
    const { store, sent, saved } = storeWith();
    store.apply(hello());
    store.exportSetup(false);
    store.exportSetup(true);
    expect(sent).toEqual([
      { type: "export", weights: false },
      { type: "export", weights: true },
    ]);
    store.apply({ type: "setup_file", setup: { ...SETUP, weights: null, step: null } });
    store.apply({ type: "setup_file", setup: SETUP });
    await vi.waitFor(() => expect(saved).toHaveLength(2));
    // Two exports, two names, each saying what it holds.
    expect(saved.map((s) => s.fileName)).toEqual([
      "nn-playground-setup.json",
      `nn-playground-weights-step${SETUP.step}.json`,
    ]);
    expect(JSON.parse(await saved[1]!.blob.text())).toEqual(SETUP);
  });

  it("exports the weights as safetensors through the server", async () => {
    const bytes = new Uint8Array([8, 0, 0, 0, 0, 0, 0, 0]);
    const { store, sent, requests, saved } = storeWith(() => new Response(bytes));
    store.apply(hello());
    store.exportSafetensors();
    expect(sent).toEqual([{ type: "export", weights: true }]);
    store.apply({ type: "setup_file", setup: SETUP });
    await vi.waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]!.fileName).toBe(`nn-playground-weights-step${SETUP.step}.safetensors`);
    expect(new Uint8Array(await saved[0]!.blob.arrayBuffer())).toEqual(bytes);
    expect(requests[0]!.url).toBe("/api/weights/safetensors");
    expect(JSON.parse(requests[0]!.init.body as string)).toEqual({
      weights: WEIGHTS,
      settings: SETUP.settings,
    });
  });

  it("reports a refused safetensors export and saves nothing", async () => {
    const { store, saved } = storeWith(() => json({ detail: "too many tensors" }, 422));
    store.apply(hello());
    store.exportSafetensors();
    store.apply({ type: "setup_file", setup: SETUP });
    await vi.waitFor(() => expect(store.notices).toHaveLength(1));
    expect(store.notices[0]!.text).toMatch(/Weights not exported: too many tensors/);
    expect(saved).toEqual([]);
  });

  it("imports a setup file, and its points become the custom data once confirmed", async () => {
    const { store, sent } = storeWith();
    store.apply(hello());
    await store.importFile(new File([JSON.stringify(SETUP)], "mine.json"));
    expect(sent).toEqual([{ type: "import", setup: SETUP }]);
    expect(store.customPoints).toBeNull();
    store.apply({ type: "settings", settings: SETUP.settings });
    expect(store.settings).toEqual(SETUP.settings);
    expect(store.customPoints).toEqual(POINTS);
  });

  it("keeps everything when the server refuses an import", async () => {
    const { store } = storeWith();
    store.apply(hello());
    await store.importFile(new File([JSON.stringify(SETUP)], "mine.json"));
    store.apply({
      type: "error",
      message: "tensor '0.weight': expected shape [4, 2]",
      command: "import",
      undo_step: null,
      diverged_at: null,
    });
    store.apply({ type: "settings", settings: { ...SETTINGS, seed: 5 } });
    expect(store.customPoints).toBeNull();
    expect(store.notices[0]!.text).toMatch(/expected shape/);
  });

  it("says a file is not JSON, or not a setup, and sends nothing", async () => {
    const { store, sent } = storeWith();
    store.apply(hello());
    await store.importFile(new File(["{broken"], "broken.json"));
    await store.importFile(new File(['{"a": 1}'], "other.json"));
    expect(sent).toEqual([]);
    // One message at a time: the newest.
    expect(store.notices.map((n) => n.text)).toEqual([
      expect.stringMatching(/^other\.json not loaded: .*not an nn-playground setup/),
    ]);
    expect(store.settings).toEqual(SETTINGS);
  });

  it("imports safetensors weights under the file's settings, or else the current ones", async () => {
    let metadata: RunSettings | null = null;
    const { store, sent, requests } = storeWith(() =>
      json({ weights: WEIGHTS, settings: metadata }),
    );
    store.apply(hello());
    const bytes = new Uint8Array([1, 2, 3]);
    await store.importFile(new File([bytes], "weights.safetensors"));
    expect(requests[0]!.url).toBe("/api/weights/from-safetensors");
    expect(new Uint8Array(requests[0]!.init.body as ArrayBuffer)).toEqual(bytes);
    const fresh = { format: "nn-playground/setup", version: 1, step: null, weights: WEIGHTS };
    expect(sent).toEqual([
      { type: "import", setup: { ...fresh, settings: SETTINGS, custom: null } },
    ]);
    metadata = { ...SETTINGS, seed: 9 };
    await store.importFile(new File([bytes], "W.SAFETENSORS"));
    expect(sent[1]).toEqual({
      type: "import",
      setup: { ...fresh, settings: metadata, custom: null },
    });
  });

  it("shows the server's reason for a bad safetensors file and sends nothing", async () => {
    const { store, sent } = storeWith(() => json({ detail: "corrupt header" }, 422));
    store.apply(hello());
    await store.importFile(new File([new Uint8Array([0])], "bad.safetensors"));
    expect(sent).toEqual([]);
    expect(store.notices[0]!.text).toBe("bad.safetensors not loaded: corrupt header");
  });

  it("fetches the PyTorch code of the settings, or says why not", async () => {
    let status = 200;
    const { store, requests } = storeWith(() =>
      status === 200 ? json({ code: "net = nn.Sequential()\n" }) : json({ detail: "no" }, 422),
    );
    store.apply(hello());
    await store.copyAsPytorch();
    expect(store.pytorchCode).toBe("net = nn.Sequential()\n");
    expect(requests[0]!.url).toBe("/api/pytorch");
    expect(JSON.parse(requests[0]!.init.body as string)).toEqual({ settings: SETTINGS });
    store.pytorchCode = null;
    status = 422;
    await store.copyAsPytorch();
    expect(store.pytorchCode).toBeNull();
    expect(store.notices[0]!.text).toBe("No PyTorch code: no");
  });

  it("brings back the setup of a shared link on the first hello", () => {
    const shared = { ...SETTINGS, seed: 11, dataset: { ...SETTINGS.dataset, name: "custom" } };
    const { location, bound } = fakeHash(encodeSetupHash({ settings: shared, custom: POINTS }));
    const { store, sent } = storeWith();
    store.followUrlHash(bound);
    store.apply(hello());
    const { outputs: _outputs, ...network } = SETTINGS.network;
    expect(sent).toEqual([
      {
        type: "configure",
        network,
        dataset: { name: "custom", train_fraction: 0.5, label_noise: 0, custom: POINTS },
        training: SETTINGS.training,
        seed: 11,
      },
    ]);
    expect(store.settings).toEqual(shared);
    expect(location.writes).toEqual([]);
    store.apply({ type: "settings", settings: shared });
    expect(location.writes).toEqual([]); // the address already says so
  });

  it("keeps the address current with each confirmed setup, writing only changes", () => {
    const { location, bound } = fakeHash();
    const { store } = storeWith();
    store.followUrlHash(bound);
    store.apply(hello());
    expect(location.writes).toEqual([]);
    const xor = { ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "xor" } };
    store.apply({ type: "settings", settings: xor });
    store.apply({ type: "settings", settings: xor });
    expect(location.writes).toEqual([encodeSetupHash({ settings: xor, custom: null })]);
    store.setCustomData(POINTS);
    const custom = { ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "custom" } };
    store.apply({ type: "settings", settings: custom });
    expect(decodeSetupHash(location.hash)).toEqual({
      kind: "setup",
      setup: { settings: custom, custom: POINTS },
    });
  });

  it("ignores an unreadable link with a notice and starts from the server's defaults", () => {
    const { bound } = fakeHash("#setup=not*base64");
    const { store, sent } = storeWith();
    store.followUrlHash(bound);
    store.apply(hello());
    expect(sent).toEqual([]);
    expect(store.settings).toEqual(SETTINGS);
    expect(store.notices[0]!.text).toMatch(/setup in this link was ignored.*base64url/);
  });
});

describe("Playground across drops and reloads", () => {
  const XOR = { ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "xor" } };
  const CUSTOM = { ...SETTINGS, seed: 4, dataset: { ...SETTINGS.dataset, name: "custom" } };
  const { outputs: _outputs, ...NETWORK } = SETTINGS.network;

  /** A store on a recording socket, following a fake address bar and a Map as localStorage. */
  function pageWith(hash = "", saved: Record<string, string> = {}) {
    const sent: ClientCommand[] = [];
    const store = new Playground((command) => {
      if (command.type !== "inspect") sent.push(command);
      return true;
    });
    const location = { hash };
    const items = new Map(Object.entries(saved));
    const storage = storedSetup(() => ({
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => void items.set(key, value),
      removeItem: (key) => void items.delete(key),
    }));
    store.followUrlHash(
      { read: () => location.hash, write: (next) => (location.hash = next) },
      storage,
    );
    return { store, sent, location, items };
  }

  it("says why the server closed while reconnecting, and forgets it once connected", () => {
    const { store } = pageWith();
    store.setConnection("closed", {
      code: 1013,
      reason: "server busy: 1 sessions open, try again later",
      wasOpen: false,
    });
    const busy =
      "Server busy: 1 sessions open, try again later. This page keeps trying and joins when " +
      "a place frees up.";
    expect(store.connectionProblem).toBe(busy);
    store.setConnection("connecting");
    expect(store.connectionProblem).toBe(busy); // still true until the server lets us in
    store.setConnection("closed", { code: 1012, reason: "", wasOpen: true });
    expect(store.connectionProblem).toBe("The server is restarting — reconnecting…");
    store.setConnection("closed", { code: 1006, reason: "", wasOpen: false }); // still down
    expect(store.connectionProblem).toBe("The server is restarting — reconnecting…");
    store.setConnection("closed", { code: 1008, reason: "origin not allowed", wasOpen: false });
    expect(store.connectionProblem).toMatch(/refused this page: origin not allowed/);
    store.setConnection("open");
    store.apply(hello());
    expect(store.connectionProblem).toBeNull();
  });

  it("says it cannot reach a server that never answered", () => {
    const { store } = pageWith();
    store.setConnection("closed", { code: 1006, reason: "", wasOpen: false });
    expect(store.connectionProblem).toBe("Cannot reach the server — trying again…");
  });

  it("keeps a copy of each confirmed setup, with the user's points", () => {
    const { store, items, location } = pageWith();
    store.apply(hello());
    store.setCustomData(POINTS);
    store.apply({ type: "settings", settings: CUSTOM });
    expect(items.get("nn-playground:setup")).toBe(location.hash);
    expect(decodeSetupHash(location.hash)).toEqual({
      kind: "setup",
      setup: { settings: CUSTOM, custom: POINTS },
    });
  });

  it("brings the stored setup back on a bare address, points and all", () => {
    const saved = encodeSetupHash({ settings: CUSTOM, custom: POINTS });
    const { store, sent } = pageWith("", { "nn-playground:setup": saved });
    store.setConnection("open");
    store.apply(hello());
    expect(sent).toEqual([
      {
        type: "configure",
        network: NETWORK,
        dataset: { name: "custom", train_fraction: 0.5, label_noise: 0, custom: POINTS },
        training: SETTINGS.training,
        seed: 4,
      },
    ]);
    expect(store.settings).toEqual(CUSTOM);
    expect(store.customPoints).toEqual(POINTS);
  });

  it("prefers a link's setup to the stored one, and then stores the link's", () => {
    const link = encodeSetupHash({ settings: XOR, custom: null });
    const saved = encodeSetupHash({ settings: CUSTOM, custom: POINTS });
    const { store, sent, items } = pageWith(link, { "nn-playground:setup": saved });
    store.apply(hello());
    expect(sent).toHaveLength(1);
    expect((sent[0] as ConfigureCommand).dataset).toEqual(XOR.dataset);
    store.apply({ type: "settings", settings: XOR });
    expect(items.get("nn-playground:setup")).toBe(link);
  });

  it("drops an unreadable stored copy quietly and starts from the defaults", () => {
    const { store, sent, items } = pageWith("", { "nn-playground:setup": "#setup=%%%" });
    expect(items.size).toBe(0);
    store.apply(hello());
    expect(sent).toEqual([]);
    expect(store.notices).toEqual([]);
  });

  it("starts fresh: the defaults, no points, a bare address and no stored copy", () => {
    const saved = encodeSetupHash({ settings: CUSTOM, custom: POINTS });
    const { store, sent, items, location } = pageWith(saved, { "nn-playground:setup": saved });
    store.apply(hello());
    store.apply({ type: "settings", settings: CUSTOM });
    sent.length = 0;
    store.startFresh();
    expect(sent).toEqual([
      {
        type: "configure",
        network: NETWORK,
        dataset: SETTINGS.dataset,
        training: SETTINGS.training,
        seed: 0,
      },
    ]);
    expect(store.customPoints).toBeNull();
    store.apply({ type: "settings", settings: SETTINGS });
    expect(location.hash).toBe("");
    expect(items.size).toBe(0);
    // A reload now starts from the defaults: nothing to bring back.
    const reloaded = pageWith(location.hash, Object.fromEntries(items));
    reloaded.store.apply(hello());
    expect(reloaded.sent).toEqual([]);
  });

  it("restores the setup on a new socket after the server restarted", () => {
    const { store, sent } = pageWith();
    store.setConnection("open");
    store.apply(hello());
    store.setCustomData(POINTS);
    store.apply({ type: "settings", settings: CUSTOM });
    store.setConnection("closed", { code: 1012, reason: "", wasOpen: true });
    sent.length = 0;
    store.setConnection("open");
    store.apply(hello()); // the restarted server's new session, on its defaults
    expect(sent).toHaveLength(1);
    expect((sent[0] as ConfigureCommand).dataset).toEqual({
      name: "custom",
      train_fraction: 0.5,
      label_noise: 0,
      custom: POINTS,
    });
    expect(store.settings?.dataset.name).toBe("custom");
  });
});
