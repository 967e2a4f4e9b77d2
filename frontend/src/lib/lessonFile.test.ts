import { describe, expect, it } from "vitest";
import { hiddenControlsCss } from "./hideControls";
import { checkLabel, lessonFromSetup, lessonId, lessonLink } from "./lessonFile";
import type { RunSettings } from "./protocol.gen";
import { decodeSetupHash, readHashKeys } from "./urlHash";

const SETTINGS = {
  network: { hidden: [{ units: 4, activation: "tanh" }], features: ["x1", "x2"], init: "default" },
  dataset: {
    name: "circle",
    points: 200,
    noise: 0.1,
    train_fraction: 0.5,
    label_noise: 0,
    classes: 2,
  },
  training: { optimizer: "adam", learning_rate: 0.03, batch_size: 10, loss: "bce" },
  seed: 0,
} as unknown as RunSettings;

describe("lesson files from the page", () => {
  it("makes a kebab-case id and readable check labels", () => {
    expect(lessonId("XOR, by hand!")).toBe("xor-by-hand");
    expect(lessonId("  ")).toBe("my-lesson");
    expect(checkLabel({ metric: "test_accuracy", op: ">=", value: 0.9 })).toBe(
      "test accuracy ≥ 0.9",
    );
  });

  it("puts the setup in the preset and the draft's checks in order", () => {
    const draft = { number: 12, title: "Circle", summary: "s", tryThis: "t", checks: [] };
    const file = lessonFromSetup(
      { ...draft, checks: [{ metric: "test_loss", op: "<=", value: 0.2 }] },
      SETTINGS,
      null,
    );
    expect(file.preset.network?.hidden).toEqual(SETTINGS.network.hidden);
    expect(file.preset.dataset?.name).toBe("circle");
    expect(file.checks[0]?.label).toBe("test loss ≤ 0.2");
    expect(file.number).toBe(12);
  });

  it("links a lesson with hidden controls and, when asked, its setup", () => {
    const link = lessonLink("http://h/x#old", 3, ["optimizer"], {
      settings: SETTINGS,
      custom: null,
    });
    expect(link.startsWith("http://h/x#lesson=3&hide=optimizer&setup=")).toBe(true);
    const hash = link.slice(link.indexOf("#"));
    expect(readHashKeys(hash).get("lesson")).toBe("3");
    expect(decodeSetupHash(hash).kind).toBe("setup");
    expect(lessonLink("http://h/", 1, [], null)).toBe("http://h/#lesson=1");
  });

  it("hides a control and the field around it, and nothing for unknown names", () => {
    const css = hiddenControlsCss(["learning_rate", "layers", "nonsense"]);
    expect(css).toContain('[data-testid="learning-rate"]');
    expect(css).toContain('label:has([data-testid="learning-rate"])');
    expect(css).toContain('[data-testid^="layer-units-"]');
    expect(hiddenControlsCss(["nonsense"])).toBe("");
  });
});
