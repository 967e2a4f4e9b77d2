import { describe, expect, it } from "vitest";
import {
  epochOf,
  formatEpoch,
  Pace,
  parseSpeed,
  SPEED_CHOICES,
  SPEED_STORAGE_KEY,
  speedChoices,
  speedLabel,
  speedValue,
} from "./pace.svelte";
import type { StorageLike } from "./persist";
import type {
  ClientCommand,
  DatasetEvent,
  FrameEvent,
  HelloEvent,
  RunSettings,
} from "./protocol.gen";
import { Playground } from "./store.svelte";

function memoryStorage(
  entries: Record<string, string> = {},
): StorageLike & { data: Map<string, string> } {
  const data = new Map(Object.entries(entries));
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

const hello = (steps_per_second: number | null): HelloEvent => ({
  type: "hello",
  protocol: 3,
  version: "0",
  device: "cpu",
  settings: {} as RunSettings,
  steps_per_second,
});

describe("speed values", () => {
  it("round-trips every choice through the select's option value", () => {
    for (const speed of SPEED_CHOICES) expect(parseSpeed(speedValue(speed))).toBe(speed);
    expect(speedValue(null)).toBe("max");
    expect(speedValue(300)).toBe("300");
  });

  it("reads nothing from values that name no pace", () => {
    for (const value of ["", " ", "0", "-3", "fast", "NaN", "Infinity", null]) {
      expect(parseSpeed(value)).toBeUndefined();
    }
  });

  it("labels speeds as rates, so they read as a pace", () => {
    expect(speedLabel(1)).toBe("1 step/s");
    expect(speedLabel(3000)).toBe("3,000 steps/s");
    expect(speedLabel(null)).toBe("max");
  });

  it("offers a pace the server runs at even when it is not a standard choice", () => {
    expect(speedChoices(200)).toEqual([...SPEED_CHOICES]);
    expect(speedChoices(250)).toEqual([1, 3, 10, 30, 100, 200, 250, 500, 1000, 3000, null]);
  });
});

describe("epochs", () => {
  it("counts whole batches per epoch, as the trainer draws them", () => {
    expect(epochOf(1250, 10, 250, false)).toBe(50); // the default: 25 steps an epoch
    expect(epochOf(30, 16, 250, false)).toBe(2); // 15 batches of 16, the ragged 10 dropped
    expect(epochOf(125, 1, 250, true)).toBe(1); // BatchNorm batches hold at least 2 points
    expect(epochOf(7, 5000, 250, false)).toBe(7); // a batch larger than the data is all of it
    expect(epochOf(10, 10, 0, false)).toBeNull();
  });

  it("shows tenths while the first epochs go by, then whole epochs", () => {
    expect(formatEpoch(0)).toBe("epoch 0");
    expect(formatEpoch(0.44)).toBe("epoch 0.4");
    expect(formatEpoch(9.99)).toBe("epoch 9.9");
    expect(formatEpoch(1250.7)).toBe("epoch 1,250");
  });
});

describe("Pace", () => {
  function pace(storage: StorageLike | null = null, accept = true) {
    const sent: ClientCommand[] = [];
    const p = new Pace(
      (command) => {
        sent.push(command);
        return accept;
      },
      () => storage,
    );
    return { p, sent };
  }

  it("shows the session's pace from the hello and sends nothing when none was chosen", () => {
    const { p, sent } = pace(memoryStorage());
    expect(p.known).toBe(false);
    p.onHello(hello(200));
    expect([p.known, p.stepsPerSecond, sent]).toEqual([true, 200, []]);
  });

  it("sends and remembers a choice, and brings it back to the next session", () => {
    const storage = memoryStorage();
    const { p, sent } = pace(storage);
    p.onHello(hello(200));
    p.choose(null);
    expect(sent).toEqual([{ type: "speed", steps_per_second: null }]);
    expect(storage.data.get(SPEED_STORAGE_KEY)).toBe("max");
    p.onHello(hello(200)); // a reconnect: a new session at the default pace
    expect(sent.at(-1)).toEqual({ type: "speed", steps_per_second: null });
    expect(p.stepsPerSecond).toBeNull();
  });

  it("follows the server's answer", () => {
    const { p } = pace();
    p.onHello(hello(200));
    p.onSpeed({ type: "speed", steps_per_second: 10 });
    expect(p.stepsPerSecond).toBe(10);
  });

  it("keeps the shown pace when the command could not be sent", () => {
    const { p } = pace(memoryStorage(), false);
    p.onHello(hello(200));
    p.choose(3);
    expect(p.stepsPerSecond).toBe(200);
  });

  it("ignores a stored value it cannot read, and storage that throws", () => {
    const { p, sent } = pace(memoryStorage({ [SPEED_STORAGE_KEY]: "warp 9" }));
    p.onHello(hello(200));
    expect(sent).toEqual([]);
    const refusing: StorageLike = {
      getItem: () => {
        throw new Error("denied");
      },
      setItem: () => {
        throw new Error("denied");
      },
      removeItem: () => undefined,
    };
    const other = pace(refusing);
    other.p.onHello(hello(200));
    other.p.choose(10);
    expect(other.p.stepsPerSecond).toBe(10);
  });
});

describe("the store's pace and epochs", () => {
  const settings = {
    network: { hidden: [{ units: 4, activation: "tanh", batch_norm: false }] },
    training: { batch_size: 10 },
  } as unknown as RunSettings;
  const dataset = { type: "dataset", train_x: Array.from({ length: 250 }, () => [0, 0]) };

  it("follows hello and speed events, and counts epochs of the shown step", () => {
    const sent: ClientCommand[] = [];
    const store = new Playground((command) => sent.push(command) > 0);
    store.apply({ ...hello(200), settings });
    expect(store.pace.stepsPerSecond).toBe(200);
    store.apply({ type: "speed", steps_per_second: null });
    expect(store.pace.stepsPerSecond).toBeNull();
    expect(store.epoch).toBeNull(); // no data yet
    store.apply(dataset as DatasetEvent);
    expect(store.epoch).toBe(0);
    store.frame = { step: 1250 } as FrameEvent;
    expect(store.epoch).toBe(50);
    store.pace.choose(10);
    expect(sent).toContainEqual({ type: "speed", steps_per_second: 10 });
  });
});
