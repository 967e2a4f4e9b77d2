// Over 300 lines for one reason: every check kind is driven through the same lesson fixtures.
// The lessons panel's state: checks against frames, progress in storage, the way through.

import { describe, expect, it, vi } from "vitest";
import {
  checkMet,
  evaluateChecks,
  graphCheckMet,
  LESSONS_STORAGE_KEY,
  parseProgress,
  storedProgress,
  type LessonProgress,
  type ProgressStorage,
} from "./lessonChecks";
import { frame } from "./fixtures";
import { Lessons } from "./lessons.svelte";
import type { Check, ClientCommand, Lesson, LessonAction, RunSettings } from "./protocol.gen";

function settingsWithSeed(seed: number): RunSettings {
  return { seed } as RunSettings;
}

function check(overrides: Partial<Check> = {}): Check {
  return {
    label: "test accuracy ≥ 0.95",
    metric: "test_accuracy",
    op: ">=",
    value: 0.95,
    after_step: null,
    field: null,
    after_action: null,
    expected_failure: false,
    after_edit: false,
    own_activation: false,
    ...overrides,
  };
}

function lesson(id: string, number: number, overrides: Partial<Lesson> = {}): Lesson {
  return {
    id,
    number,
    title: `Lesson ${number}`,
    summary: "",
    try_this: "",
    preset: { type: "configure", seed: number } as Lesson["preset"],
    checks: [check()],
    actions: [],
    experiment: null,
    available: true,
    note: null,
    ...overrides,
  };
}

function memoryStorage(initial: LessonProgress = {}): ProgressStorage & { saved: LessonProgress } {
  const box = { saved: initial };
  return {
    get saved() {
      return box.saved;
    },
    read: () => box.saved,
    write: (progress) => void (box.saved = progress),
  };
}

function setup(storage = memoryStorage()) {
  const sent: ClientCommand[] = [];
  const lessons = new Lessons(
    (command) => (sent.push(command), true),
    () => Promise.reject(new Error("no fetch in tests")),
    storage,
  );
  lessons.list = [
    lesson("linear-model", 1),
    lesson("softmax", 2),
    lesson("digits", 3, { available: false, checks: [], note: "needs images" }),
    lesson("xor", 4),
  ];
  return { lessons, sent, storage };
}

describe("graphCheckMet", () => {
  it("reads a Backward on the Graph view, never a frame", () => {
    const seen = check({ metric: "graph_overflow", op: ">=", value: 1 });
    expect(graphCheckMet(seen, true)).toBe(true);
    expect(graphCheckMet(seen, false)).toBe(false);
    expect(graphCheckMet(check(), true)).toBe(false); // a frame metric
    expect(checkMet(seen, frame({ step: 10 }))).toBe(false);
  });
});

describe("checkMet", () => {
  it("compares the frame's metric with >= and <=", () => {
    expect(checkMet(check(), frame({ test_accuracy: 0.96 }))).toBe(true);
    expect(checkMet(check(), frame({ test_accuracy: 0.9 }))).toBe(false);
    const low = check({ metric: "test_loss", op: "<=", value: 0.01 });
    expect(checkMet(low, frame({ test_loss: 0.009 }))).toBe(true);
    expect(checkMet(low, frame({ test_loss: 0.02 }))).toBe(false);
  });

  it("ignores frames before after_step, and missing or non-finite metrics", () => {
    const stays = check({ op: "<=", value: 0.6, after_step: 500 });
    expect(checkMet(stays, frame({ step: 499, test_accuracy: 0.5 }))).toBe(false);
    expect(checkMet(stays, frame({ step: 500, test_accuracy: 0.5 }))).toBe(true);
    expect(checkMet(check({ metric: "regions", value: 150 }), frame({ regions: null }))).toBe(
      false,
    );
    expect(checkMet(check({ metric: "regions", value: 150 }), frame({ regions: 160 }))).toBe(true);
    expect(checkMet(check({ metric: "test_accuracy" }), frame({ test_accuracy: null }))).toBe(
      false,
    );
    const loss = check({ metric: "test_loss", op: ">=", value: 1 });
    expect(checkMet(loss, frame({ test_loss: Number.NaN }))).toBe(false);
  });

  it("keeps a passed check passed and returns the same array when nothing changed", () => {
    const checks = [check(), check({ metric: "step", value: 100 })];
    const none = [false, false];
    expect(evaluateChecks(checks, frame(), none)).toBe(none);
    const first = evaluateChecks(checks, frame({ test_accuracy: 0.99 }), none);
    expect(first).toEqual([true, false]);
    expect(evaluateChecks(checks, frame({ test_accuracy: 0.1, step: 100 }), first)).toEqual([
      true,
      true,
    ]);
  });
});

describe("Lessons", () => {
  it("starts a lesson from its seed's own weights: a neighbouring seed, then the preset", () => {
    const { lessons, sent } = setup();
    lessons.start(lessons.list[0]!);
    expect(sent).toEqual([
      { type: "configure", seed: 0 },
      { type: "configure", seed: 1 },
    ]);
    expect(lessons.current?.id).toBe("linear-model");
    expect(lessons.passed).toEqual([false]);
  });

  it("turns a check green on a frame of the lesson's run, never on an older run's", () => {
    const { lessons } = setup();
    lessons.onFrame(frame({ run: 3, test_accuracy: 0.5 }));
    lessons.start(lessons.list[0]!);
    lessons.onFrame(frame({ run: 3, test_accuracy: 0.99 })); // before the preset took effect
    lessons.onSettings(settingsWithSeed(0)); // the neighbouring seed, on the way
    lessons.onFrame(frame({ run: 4, test_accuracy: 0.99 }));
    expect(lessons.passed).toEqual([false]);
    lessons.onSettings(settingsWithSeed(1)); // the preset's own seed: its run comes next
    lessons.onFrame(frame({ run: 5, test_accuracy: 0.99 }));
    expect(lessons.passed).toEqual([true]);
    lessons.onFrame(frame({ run: 6, step: 0, test_accuracy: 0.5 })); // a new run: stays green
    expect(lessons.passed).toEqual([true]);
  });

  it("starting the lesson again clears its checks but keeps the stored progress", () => {
    const { lessons, storage } = setup();
    lessons.start(lessons.list[0]!);
    lessons.onSettings(settingsWithSeed(1));
    lessons.onFrame(frame({ run: 2, test_accuracy: 0.99 }));
    lessons.start(lessons.list[0]!);
    expect(lessons.passed).toEqual([false]);
    expect(storage.saved).toEqual({ "linear-model": [0] });
    expect(lessons.done(lessons.list[0]!)).toBe(true);
  });

  it("reads progress back from storage and counts passed checks per lesson", () => {
    const { lessons } = setup(memoryStorage({ softmax: [0], xor: [] }));
    expect(lessons.done(lessons.list[1]!)).toBe(true);
    expect(lessons.done(lessons.list[3]!)).toBe(false);
    expect(lessons.passedCount(lessons.list[0]!)).toBe(0);
  });

  it("goes next and previous through the list; an unavailable lesson is shown, not started", () => {
    const { lessons, sent } = setup();
    expect(lessons.neighbour(-1)).toBeNull();
    lessons.next();
    expect(lessons.current?.id).toBe("linear-model");
    lessons.next();
    expect(lessons.current?.id).toBe("softmax");
    sent.length = 0;
    lessons.next();
    expect(lessons.current?.id).toBe("digits");
    expect(sent).toEqual([]);
    lessons.next();
    expect(lessons.current?.id).toBe("xor");
    expect(lessons.neighbour(1)).toBeNull();
    lessons.previous();
    lessons.previous();
    expect(lessons.current?.id).toBe("softmax");
  });

  it("free play leaves the lesson: frames no longer count", () => {
    const { lessons, storage } = setup();
    lessons.start(lessons.list[0]!);
    lessons.freePlay();
    expect(lessons.current).toBeNull();
    lessons.onFrame(frame({ run: 9, test_accuracy: 0.99 }));
    expect(storage.saved).toEqual({});
  });

  it("sends an action's command as it is and says so when it cannot", () => {
    const sent: ClientCommand[] = [];
    let connected = true;
    const lessons = new Lessons((c) => connected && (sent.push(c), true), fetch, memoryStorage());
    const overfit = { type: "overfit_check", points: 8 } as const;
    lessons.runAction({ label: "Overfit", command: overfit, play: true, reset: false });
    expect(sent).toEqual([{ type: "overfit_check", points: 8 }]);
    connected = false;
    const fold = { type: "preset", name: "folding", depth: 2, bumps: 10 } as const;
    lessons.runAction({ label: "Fold", command: fold, play: true, reset: false });
    expect(lessons.problem).toMatch(/not connected/i);
  });

  it("starts what a demo loads: pause first when it asks for play, fresh weights when asked", () => {
    const sent: ClientCommand[] = [];
    const lessons = new Lessons((c) => (sent.push(c), true), fetch, memoryStorage());
    const configure = { type: "configure", seed: 3 } as unknown as LessonAction["command"];
    lessons.runAction({ label: "Go", command: configure, play: true, reset: true });
    expect(sent).toEqual([
      { type: "configure", seed: 2 },
      { type: "configure", seed: 3 },
      { type: "play" },
    ]);
    sent.length = 0;
    lessons.runAction({ label: "Look", command: configure, play: false, reset: false });
    expect(sent.map((c) => c.type)).toEqual(["pause", "configure"]);
    sent.length = 0;
    const fold = { type: "preset", name: "folding", depth: 2, bumps: 10 } as const;
    lessons.runAction({ label: "Fold", command: fold, play: true, reset: false });
    expect(sent).toEqual([fold]); // a hand-built network is shown as built, not trained away
  });

  it("reads a check with after_action only from the run that action started", () => {
    const { lessons } = setup();
    const demo = { type: "configure", seed: 5 } as unknown as LessonAction["command"];
    const target = lesson("demo", 1, {
      checks: [check({ after_action: 0, metric: "train_loss", op: ">=", value: 3 })],
      actions: [{ label: "Demo", command: demo, play: false, reset: false }],
    });
    lessons.list = [target];
    lessons.start(target);
    lessons.onSettings(settingsWithSeed(1));
    lessons.onFrame(frame({ run: 1, train_loss: 5 }));
    lessons.onFrame(frame({ run: 2, train_loss: 5 })); // the preset's run: not the action's
    expect(lessons.passed).toEqual([false]);
    lessons.runAction(target.actions[0]!);
    lessons.onFrame(frame({ run: 3, train_loss: 5 }));
    expect(lessons.passed).toEqual([true]);
  });

  it("reads a check with after_edit only after a hand edit, and only until training moves on", () => {
    const { lessons } = setup();
    const target = lesson("drag", 1, {
      checks: [check({ metric: "train_accuracy", value: 1, after_edit: true })],
    });
    lessons.list = [target];
    lessons.start(target);
    lessons.onSettings(settingsWithSeed(1));
    lessons.onFrame(frame({ run: 2, step: 0, train_accuracy: 1 })); // no edit yet: not the learner's
    expect(lessons.passed).toEqual([false]);
    lessons.sent({ type: "play" }); // not an edit
    lessons.sent({ type: "set_unit", layer: 0, unit: 0, weights: [1, 1], bias: -3 });
    lessons.onFrame(frame({ run: 2, step: 5, train_accuracy: 1 })); // trained since the drag
    expect(lessons.passed).toEqual([false]);
    lessons.onFrame(frame({ run: 3, step: 0, train_accuracy: 1 })); // another run
    expect(lessons.passed).toEqual([false]);
    lessons.onFrame(frame({ run: 3, step: 0, train_accuracy: 0.5 }));
    lessons.sent({ type: "set_weight", layer: 0, row: 1, col: null, value: -3 });
    lessons.onFrame(frame({ run: 3, step: 0, train_accuracy: 1 })); // the edit, before training
    expect(lessons.passed).toEqual([true]);
  });

  it("reads a check without after_action only from the lesson's own runs, not a demo's", () => {
    const { lessons } = setup();
    const demo = { type: "configure", seed: 5 } as unknown as LessonAction["command"];
    const target = lesson("demo", 1, {
      checks: [check()],
      actions: [{ label: "Demo", command: demo, play: false, reset: false }],
    });
    lessons.list = [target];
    lessons.start(target);
    lessons.onSettings(settingsWithSeed(1));
    lessons.onFrame(frame({ run: 1, test_accuracy: 0.5 }));
    lessons.runAction(target.actions[0]!);
    lessons.onFrame(frame({ run: 2, test_accuracy: 0.99 })); // the demo's run
    expect(lessons.passed).toEqual([false]);
    lessons.start(target); // Restart: the lesson's own run again
    lessons.onSettings(settingsWithSeed(1));
    lessons.onFrame(frame({ run: 4, test_accuracy: 0.99 }));
    expect(lessons.passed).toEqual([true]);
  });

  it("opens #lesson=N once loaded and connected, keeping a linked setup and hiding controls", async () => {
    const sent: ClientCommand[] = [];
    let connected = false;
    const course = [lesson("a", 1), lesson("b", 2)];
    const fetcher = (() =>
      Promise.resolve(new Response(JSON.stringify({ lessons: course })))) as typeof fetch;
    const lessons = new Lessons((c) => connected && (sent.push(c), true), fetcher, memoryStorage());
    let hash = "#lesson=2&hide=optimizer,learning_rate&setup=abc";
    lessons.followHash({ read: () => hash, write: (h) => (hash = h) });
    expect(lessons.hidden).toEqual(["optimizer", "learning_rate"]);
    await vi.waitFor(() => expect(lessons.list.length).toBe(2));
    expect(lessons.current).toBeNull(); // not connected yet
    connected = true;
    lessons.connected();
    expect(lessons.current?.id).toBe("b");
    expect(sent.map((c) => c.type)).toEqual(["pause", "reset"]); // the link's setup, not the preset
    expect(hash).toBe("#lesson=2&hide=optimizer,learning_rate&setup=abc");
    lessons.freePlay();
    expect(hash).toBe("#hide=optimizer,learning_rate&setup=abc");
  });
});

describe("progress storage", () => {
  it("round-trips through a Storage under its key", () => {
    const map = new Map<string, string>();
    const storage = storedProgress(() => ({
      getItem: (k) => map.get(k) ?? null,
      setItem: (k, v) => void map.set(k, v),
      removeItem: (k) => void map.delete(k),
    }));
    storage.write({ xor: [0, 1] });
    expect(JSON.parse(map.get(LESSONS_STORAGE_KEY)!)).toEqual({ xor: [0, 1] });
    expect(storage.read()).toEqual({ xor: [0, 1] });
  });

  it("reads missing, blocked or garbled storage as no progress, and survives failed writes", () => {
    const blocked = storedProgress(() => {
      throw new Error("SecurityError");
    });
    expect(blocked.read()).toEqual({});
    expect(() => blocked.write({ xor: [0] })).not.toThrow();
    expect(storedProgress(() => null).read()).toEqual({});
    expect(parseProgress("not json")).toEqual({});
    expect(parseProgress("[1,2]")).toEqual({});
    expect(parseProgress('{"xor": [1, "a", -1, 0, 1], "bad": 3}')).toEqual({ xor: [0, 1] });
  });
});
