import { describe, expect, it } from "vitest";
import { fakeFetch, json } from "./fixtures";
import { LossHistory } from "./history";
import type {
  ClientCommand,
  FrameEvent,
  PublishedRun,
  RunSettings,
  ServerEvent,
} from "./protocol.gen";
import { thinCurves } from "./publish.svelte";
import { Playground } from "./store.svelte";

/** What the store reads of settings here (a reconnect sends them back as a configure). */
const SETTINGS = {
  seed: 0,
  dataset: { name: "xor" },
  network: { hidden: [], features: ["x1", "x2"], init: "default", outputs: 1 },
  training: {},
} as unknown as RunSettings;
const SETUP: PublishedRun["setup"] = {
  format: "nn-playground/setup",
  version: 1,
  settings: SETTINGS,
  custom: null,
  step: 30,
  weights: { "0.weight": { shape: [1, 2], values: [0.5, -2] } },
};
const RUN: PublishedRun = {
  id: "r".repeat(24),
  published_at: 1_800_000_000,
  setup: SETUP,
  history: { steps: [10, 20, 30], train_loss: [0.7, null, 0.5], test_loss: [0.8, 0.7, 0.6] },
};
/** The session's first event; what the store does not read here is left out. */
const hello = {
  type: "hello",
  protocol: 3,
  settings: SETTINGS,
  steps_per_second: 200,
} as ServerEvent;

/** A paused frame of `run` at `step` carrying one loss sample; what it does not show is null. */
function frame(run: number, step: number): FrameEvent {
  const shown = { type: "frame", run, step, running: false, regions_exact: true };
  const history = { steps: [step], train_loss: [0.5], test_loss: [0.6] };
  const absent = "grid regions region_polygons diverged_at train_accuracy test_accuracy";
  const nulls = Object.fromEntries(absent.split(" ").map((name) => [name, null]));
  return { ...nulls, ...shown, history, train_loss: 0.5, test_loss: 0.6 } as FrameEvent;
}

/** A store on a recording socket, with a fetcher that answers from `routes` and an address. */
function setUp(routes: (path: string, request: Request) => Response, hash = "") {
  const sent: ClientCommand[] = [];
  const address = { hash };
  const socket = { open: true };
  const { fetcher, requests } = fakeFetch(routes);
  const store = new Playground((command) => {
    if (!socket.open) return false;
    if (command.type !== "inspect") sent.push(command);
    return true;
  }, fetcher);
  store.setConnection("open");
  const location = { read: () => address.hash, write: (h: string) => (address.hash = h) };
  store.followUrlHash(location);
  return { store, sent, requests, address, socket };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe("publishing a run", () => {
  it("exports the session's weights, then posts them with the curves and shows the link", async () => {
    const { store, sent, requests } = setUp((path) =>
      path === "/api/publishing"
        ? json({
            enabled: true,
            token_required: true,
            max_run_bytes: 1,
            runs_per_hour: 1,
            max_curve_points: 2,
          })
        : json({ id: RUN.id, hash: `#run=${RUN.id}` }, 201),
    );
    store.apply(hello);
    store.apply(frame(1, 10));
    store.apply(frame(1, 20));
    store.apply(frame(1, 30));
    await store.publish.openDialog();
    store.publish.token = " s3cret ";
    store.publishRun();
    const exported = sent.at(-1)!;
    expect(exported).toMatchObject({ type: "export", weights: true });
    const request_id = exported.type === "export" ? (exported.request_id ?? null) : null;
    expect(store.publish.busy).toBe(true);
    store.apply({ type: "setup_file", setup: SETUP, request_id });
    await settle();
    const post = requests.at(-1)!;
    expect(post.path).toBe("/api/runs");
    expect(post.request.headers.get("X-Publish-Token")).toBe("s3cret");
    // The server's max_curve_points (2) thins the three samples, keeping the first and last.
    expect(JSON.parse(await post.request.text())).toEqual({
      setup: SETUP,
      history: { steps: [10, 30], train_loss: [0.5, 0.5], test_loss: [0.6, 0.6] },
    });
    expect(store.publish.link).toBe(`#run=${RUN.id}`); // no page address under node
    expect(store.publish.busy).toBe(false);
    expect(store.banner.notices).toEqual([]); // a publish saves no file and shows no banner
  });

  it("shows the server's reason when it refuses", async () => {
    const { store, sent } = setUp(() =>
      json({ detail: "publishing is switched off on this server" }, 403),
    );
    store.apply(hello);
    store.publishRun();
    const exported = sent.at(-1)!;
    const request_id = exported.type === "export" ? (exported.request_id ?? null) : null;
    store.apply({ type: "setup_file", setup: SETUP, request_id });
    await settle();
    expect(store.publish.error).toBe("Not published: publishing is switched off on this server");
    expect(store.publish.link).toBeNull();
  });
});

describe("opening a published run", () => {
  it("imports the run read-only, puts its curves back, and holds back training", async () => {
    const { store, sent, requests } = setUp(() => json(RUN), `#run=${RUN.id}`);
    expect(requests[0]!.path).toBe(`/api/runs/${RUN.id}`);
    expect(store.publish.readOnly).toBe(true); // already while it loads
    store.apply(hello); // the socket opens before the run arrives
    await settle();
    expect(sent).toMatchObject([{ type: "import", setup: SETUP }]); // not the defaults' setup
    store.apply(frame(1, 0)); // the default session's frame before the import
    expect(store.history.length).toBe(1);
    store.apply(frame(2, 30)); // the imported run
    expect(store.history.samples()).toEqual([
      [10, 20, 30],
      [0.7, null, 0.5],
      [0.8, 0.7, 0.6],
    ]);
    store.play();
    store.step();
    store.reset();
    store.setSeed(4);
    expect(sent).toMatchObject([{ type: "import", setup: SETUP }]);
    expect(store.banner.notices[0]!.text).toMatch(/read-only: “Train a copy”/);
  });

  it("imports again on a new socket, and Train a copy unlocks it and drops the link", async () => {
    const { store, sent, address, socket } = setUp(() => json(RUN), `#run=${RUN.id}&lesson=2`);
    socket.open = false;
    await settle(); // the run arrives before the socket opens
    socket.open = true;
    store.apply(hello);
    expect(sent.filter((c) => c.type === "import")).toHaveLength(1);
    store.apply(hello);
    expect(sent.filter((c) => c.type === "import")).toHaveLength(2);
    store.publish.trainCopy();
    expect(store.publish.readOnly).toBe(false);
    expect(address.hash).toBe("#lesson=2");
    store.play();
    expect(sent.at(-1)).toEqual({ type: "play" });
  });

  it("says so and starts from the defaults when the run is gone", async () => {
    const gone = { detail: "no published run has this id (it may have been removed for room)" };
    const { store, sent, address } = setUp(() => json(gone, 404), `#run=${RUN.id}`);
    await settle();
    store.apply(hello);
    expect(store.publish.readOnly).toBe(false);
    expect(sent.filter((c) => c.type === "import" || c.type === "configure")).toEqual([]);
    expect(address.hash).toBe("");
    expect(store.banner.notices[0]!.text).toBe(
      "The published run in this link cannot be opened: no published run has this id " +
        "(it may have been removed for room). Starting from the defaults.",
    );
  });
});

describe("thinCurves", () => {
  it("keeps short curves whole and thins long ones evenly, first and last kept", () => {
    const history = new LossHistory();
    const steps = Array.from({ length: 101 }, (_, i) => i + 1);
    history.append({ steps, train_loss: steps.map(() => 1), test_loss: steps.map(() => 2) });
    expect(thinCurves(history.samples(), 500).steps).toEqual(steps);
    const thin = thinCurves(history.samples(), 5);
    expect(thin.steps).toEqual([1, 26, 51, 76, 101]);
    expect(thin.train_loss).toHaveLength(5);
  });
});
