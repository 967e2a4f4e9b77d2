// The Runs sub-store driven through the Playground as the page drives it: which server events
// keep a run (a new run, a new session, the page going away, a pause), that a run which trained
// no step is not kept, weights fetched before a run is left, reopening, and a storage that fails.

import "fake-indexeddb/auto";
import { describe, expect, it, vi } from "vitest";
import type { ClientCommand, FrameEvent, ServerEvent } from "./protocol.gen";
import { frame as fixtureFrame } from "./fixtures";
import { SETTINGS } from "./runFixtures";
import { openRunHistory, type RunStorage } from "./runHistory";
import { Playground } from "./store.svelte";

let dbCount = 0;

const hello: ServerEvent = {
  type: "hello",
  protocol: 3,
  version: "0.1.0",
  device: "cpu",
  settings: SETTINGS,
  steps_per_second: 200,
};

function frame(run: number, step: number, running = true): FrameEvent {
  const [train, test] = [1 / (step + 1), 2 / (step + 1)];
  return fixtureFrame({
    run,
    step,
    running,
    train_loss: train,
    test_loss: test,
    history: { steps: [step], train_loss: [train], test_loss: [test] },
    grid: null,
    regions: 7,
  });
}

/** A storage that keeps nothing, with some methods replaced. */
function stubStorage(overrides: Partial<RunStorage>): RunStorage {
  return {
    save: () => Promise.resolve(0),
    list: () => Promise.resolve({ runs: [], skipped: 0 }),
    get: () => Promise.resolve(undefined),
    rename: () => Promise.resolve(),
    delete: () => Promise.resolve(),
    clear: () => Promise.resolve(),
    ...overrides,
  };
}

async function setUp(storage?: Promise<RunStorage>) {
  const sent: ClientCommand[] = [];
  const store = new Playground();
  store.connect((command) => {
    sent.push(command);
    return true;
  });
  const history = storage ?? openRunHistory(`runs-store-${++dbCount}`);
  await store.runs.attach(history, () => "data:image/png;base64,AAAA");
  store.apply(hello);
  /** Waits for the saves in flight, then lists what is kept. */
  const kept = async () => {
    await vi.waitFor(async () =>
      expect((await (await history).list()).runs.length).toBe(store.runs.records.length),
    );
    return (await (await history).list()).runs;
  };
  return { store, sent, kept };
}

/** Plays run `run` from step 0 to `steps` (a few frames). */
function train(store: Playground, run: number, steps: number): void {
  for (let step = 0; step <= steps; step += Math.max(1, Math.floor(steps / 4)))
    store.apply(frame(run, step));
  store.apply(frame(run, steps));
}

describe("Runs", () => {
  it("keeps a run when the server starts the next one (reset, a restarting change)", async () => {
    const { store, kept } = await setUp();
    train(store, 1, 40);
    store.apply(frame(2, 0)); // reset
    await vi.waitFor(() => expect(store.runs.records).toHaveLength(1));
    const [run] = await kept();
    expect(run!.metrics.step).toBe(40);
    expect(run!.metrics.regions).toBe(7);
    expect(run!.metrics.testLoss).toBeCloseTo(2 / 41);
    expect(run!.defaultName).toBe("relu 2-4-2-1 on spiral · 40 steps");
    expect(run!.setup.settings).toEqual(SETTINGS);
    expect(run!.setup.weights).toBeNull();
    expect(run!.curves.steps).toEqual([0, 10, 20, 30, 40]);
  });

  it("keeps the settings the run trained with, not those of the run that replaces it", async () => {
    const { store } = await setUp();
    train(store, 1, 20);
    const other = { ...SETTINGS, seed: 7 };
    store.apply({ type: "settings", settings: other, request_id: null }); // a restarting change: settings, then its run
    store.apply(frame(2, 0));
    train(store, 2, 30);
    store.apply(frame(3, 0));
    await vi.waitFor(() => expect(store.runs.records).toHaveLength(2));
    expect(store.runs.records.map((r) => [r.metrics.step, r.setup.settings.seed])).toEqual([
      [30, 7],
      [20, 0],
    ]);
  });

  it("does not keep a run that trained no step", async () => {
    const { store, kept } = await setUp();
    store.apply(frame(1, 0, false));
    store.apply(frame(2, 0, false)); // reset before any training
    store.runs.leave();
    store.apply(hello); // a new session
    expect(await kept()).toEqual([]);
  });

  it("keeps the run in progress when the page goes away and when a new session starts", async () => {
    const { store, kept } = await setUp();
    train(store, 1, 12);
    store.runs.leave();
    await vi.waitFor(() => expect(store.runs.records).toHaveLength(1));
    train(store, 1, 15);
    store.apply(hello); // reconnected: the session's run is over
    await vi.waitFor(() => expect(store.runs.records[0]!.metrics.step).toBe(15));
    expect(await kept()).toHaveLength(1); // the same run, updated, not a second one
  });

  it("a rename of the run in progress survives its next save", async () => {
    const { store, kept } = await setUp();
    train(store, 1, 10);
    store.apply(frame(1, 10, false));
    await vi.waitFor(() => expect(store.runs.records).toHaveLength(1));
    void store.runs.rename(store.runs.records[0]!.id, "mine");
    train(store, 1, 20);
    store.apply(frame(1, 20, false)); // paused again: saved again, before the rename's refresh
    await vi.waitFor(async () => expect((await kept())[0]!.metrics.step).toBe(20));
    expect((await kept())[0]!.name).toBe("mine");
  });

  it("saves a paused run at once, so a closed tab has nothing to lose", async () => {
    const { store } = await setUp();
    train(store, 1, 25);
    store.apply(frame(1, 25, false));
    await vi.waitFor(() => expect(store.runs.records).toHaveLength(1));
  });

  it("with keep weights, fetches the weights before the command that ends the run", async () => {
    const { store, sent, kept } = await setUp();
    store.runs.keepWeights = true;
    train(store, 1, 30);
    sent.length = 0;
    store.reset();
    expect(sent).toMatchObject([{ type: "export", weights: true }, { type: "reset" }]);
    const exported = sent[0]!;
    const request_id = exported.type === "export" ? (exported.request_id ?? null) : null;
    const weights = { "0.weight": { shape: [1], values: [0.5] } };
    const answer = {
      format: "nn-playground/setup" as const,
      version: 1 as const,
      settings: SETTINGS,
      custom: null,
      step: 30,
      weights,
    };
    store.apply({ type: "setup_file", setup: answer, request_id });
    store.apply(frame(2, 0));
    await vi.waitFor(() => expect(store.runs.records[0]?.setup.weights).toEqual(weights));
    expect((await kept())[0]!.setup.step).toBe(30);
    // A setup file asked for by the Runs list is not downloaded.
    expect(store.banner.notices).toEqual([]);
  });

  it("remembers the keep-weights choice for the next page", async () => {
    const saved = new Map<string, string>();
    const preferences = () => ({
      getItem: (key: string) => saved.get(key) ?? null,
      setItem: (key: string, value: string) => void saved.set(key, value),
      removeItem: (key: string) => void saved.delete(key),
    });
    const first = new Playground();
    await first.runs.attach(openRunHistory(`runs-store-${++dbCount}`), () => null, preferences);
    expect(first.runs.keepWeights).toBe(false);
    first.runs.keepWeights = true;
    const next = new Playground();
    await next.runs.attach(openRunHistory(`runs-store-${++dbCount}`), () => null, preferences);
    expect(next.runs.keepWeights).toBe(true);
  });

  it("without keep weights asks for none", async () => {
    const { store, sent } = await setUp();
    train(store, 1, 30);
    sent.length = 0;
    store.reset();
    expect(sent).toEqual([{ type: "reset" }]);
  });

  it("reopens a run through the import, and an imported run that trains no further is not kept again", async () => {
    const { store, sent } = await setUp();
    train(store, 1, 30);
    store.apply(frame(2, 0));
    await vi.waitFor(() => expect(store.runs.records).toHaveLength(1));
    sent.length = 0;
    store.runs.reopen(store.runs.records[0]!.id);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]).toMatchObject({ type: "import", setup: { settings: SETTINGS } });
    store.apply(frame(3, 30, false)); // the import's run starts where the file's step was
    store.apply(frame(4, 0, false));
    store.runs.leave();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.runs.records).toHaveLength(1);
  });

  it("renames and deletes", async () => {
    const { store, kept } = await setUp();
    train(store, 1, 30);
    store.apply(frame(2, 0));
    await vi.waitFor(() => expect(store.runs.records).toHaveLength(1));
    const id = store.runs.records[0]!.id;
    await store.runs.rename(id, "first try");
    expect(store.runs.records[0]!.name).toBe("first try");
    expect((await kept())[0]!.name).toBe("first try");
    store.runs.toggleSelected(id);
    await store.runs.remove(id);
    expect(store.runs.records).toEqual([]);
    expect(store.runs.selected).toEqual([]);
  });

  it("says once, in one line, that runs are not kept when the storage fails, and trains on", async () => {
    const failing = stubStorage({
      save: () =>
        Promise.reject(new DOMException("The quota has been exceeded.", "QuotaExceededError")),
    });
    const { store } = await setUp(Promise.resolve(failing));
    train(store, 1, 30);
    store.apply(frame(2, 0));
    await vi.waitFor(() => expect(store.runs.problem).toMatch(/not kept.*quota/));
    const first = store.banner.notices[0]!.id;
    train(store, 2, 30);
    store.apply(frame(3, 0));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(store.banner.notices.map((n) => n.id)).toEqual([first]); // not again for every run
    expect(store.banner.notices[0]!.text).not.toContain("\n");
    expect(store.frame?.run).toBe(3);
  });

  it("says so when the browser refuses the storage altogether", async () => {
    const { store } = await setUp(Promise.reject(new Error("private mode")));
    expect(store.runs.problem).toMatch(/Run history is off.*private mode/);
    train(store, 1, 30);
    store.apply(frame(2, 0));
    expect(store.frame?.run).toBe(2);
  });

  it("reports records it could not read", async () => {
    const broken = stubStorage({ list: () => Promise.resolve({ runs: [], skipped: 2 }) });
    const { store } = await setUp(Promise.resolve(broken));
    expect(store.banner.notices[0]!.text).toMatch(/2 kept runs could not be read/);
  });
});
