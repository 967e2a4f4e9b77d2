import { describe, expect, it } from "vitest";
import type { CustomPoints, RunSettings } from "./protocol.gen";
import {
  decodeSetupHash,
  encodeSetupHash,
  fromBase64Url,
  readHashKeys,
  SETUP_HASH_PREFIX,
  toBase64Url,
  withHashKey,
  type SharedSetup,
} from "./urlHash";

const SETTINGS: RunSettings = {
  network: {
    hidden: [
      {
        units: 4,
        activation: "relu",
        batch_norm: false,
        layer_norm: true,
        dropout: 0.1,
        expression: "",
      },
    ],
    features: ["x1", "x2", "x1x2"],
    init: "he",
    outputs: 1,
  },
  dataset: {
    name: "xor",
    points: 400,
    noise: 0.15,
    train_fraction: 0.6,
    classes: 2,
    label_noise: 0,
  },
  training: {
    optimizer: "adam",
    learning_rate: 0.003,
    batch_size: 16,
    loss: "bce",
    momentum: 0.9,
    nesterov: false,
    schedule: "constant",
    schedule_steps: 1000,
    weight_decay: 1e-7,
    clip_norm: 0,
    l1: 0,
    l2: 0,
    input_noise: 0,
    early_stopping: 0,
    readout: "trained",
  },
  seed: 42,
};

/** base64url of a string's UTF-8 bytes, the long way round: btoa of the percent-decoded bytes. */
const otherBase64Url = (text: string) =>
  btoa(unescape(encodeURIComponent(text)))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");

function manyPoints(n: number): CustomPoints {
  const x = Array.from({ length: n }, (_, i) => [Math.sin(i) * 5.123456789, -(i + 1) / 7] as const);
  return {
    x: x as unknown as CustomPoints["x"],
    y: Array.from({ length: n }, (_, i) => i % 3),
    task: "classification",
  };
}

describe("the setup hash", () => {
  it("round-trips settings, awkward numbers included", () => {
    const settings = {
      ...SETTINGS,
      seed: 2 ** 31 - 1,
      training: { ...SETTINGS.training, learning_rate: 1e-5, weight_decay: 0.1 + 0.2 },
    };
    const hash = encodeSetupHash({ settings, custom: null });
    expect(hash.startsWith(SETUP_HASH_PREFIX)).toBe(true);
    expect(hash.slice(SETUP_HASH_PREFIX.length)).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeSetupHash(hash)).toEqual({ kind: "setup", setup: { settings, custom: null } });
  });

  it("round-trips 2000 custom points exactly", () => {
    const custom = manyPoints(2000);
    const setup: SharedSetup = {
      settings: { ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "custom" } },
      custom,
    };
    const reading = decodeSetupHash(encodeSetupHash(setup));
    expect(reading).toEqual({ kind: "setup", setup });
  });

  it("is base64url of the JSON, as another encoder writes it", () => {
    const setup = { settings: SETTINGS, custom: null };
    const encoded = otherBase64Url(JSON.stringify(setup));
    expect(encodeSetupHash(setup)).toBe(SETUP_HASH_PREFIX + encoded);
    const padded = encoded + "=".repeat((4 - (encoded.length % 4)) % 4);
    expect(decodeSetupHash(SETUP_HASH_PREFIX + padded)).toEqual({ kind: "setup", setup });
  });

  it("reads a setup written without `custom` as one without points", () => {
    const hash = SETUP_HASH_PREFIX + otherBase64Url(JSON.stringify({ settings: SETTINGS }));
    expect(decodeSetupHash(hash)).toEqual({
      kind: "setup",
      setup: { settings: SETTINGS, custom: null },
    });
  });

  it("ignores hashes that are not setups", () => {
    for (const hash of ["", "#", "#bench", "#setup", "#other=abc"]) {
      expect(decodeSetupHash(hash)).toEqual({ kind: "none" });
    }
  });

  it("says why garbage is not a setup", () => {
    const json = (value: unknown) => SETUP_HASH_PREFIX + otherBase64Url(JSON.stringify(value));
    const cases: [string, RegExp][] = [
      [SETUP_HASH_PREFIX + "ab$cd", /base64url/],
      [SETUP_HASH_PREFIX + "abcde", /base64url/],
      [SETUP_HASH_PREFIX + otherBase64Url("{not json"), /not JSON/],
      [SETUP_HASH_PREFIX + toBase64Url(new Uint8Array([0xff, 0xfe, 0x7b])), /not JSON/],
      [json([1, 2]), /not a JSON object/],
      [json({ custom: null }), /no settings/],
      [json({ settings: { ...SETTINGS, network: {} } }), /network/],
      [json({ settings: { ...SETTINGS, seed: "7" } }), /seed/],
      [json({ settings: { ...SETTINGS, dataset: { name: "custom" } }, custom: null }), /no points/],
      [json({ settings: SETTINGS, custom: { x: [[1, 2, 3]], y: [0] } }), /pairs/],
      [json({ settings: SETTINGS, custom: { x: [[1, 2]], y: [0, 1] } }), /differ/],
      [json({ settings: SETTINGS, custom: { x: [[1, 2]], y: ["a"] } }), /labels/],
    ];
    for (const [hash, reason] of cases) {
      const reading = decodeSetupHash(hash);
      expect(reading.kind, hash).toBe("invalid");
      expect(reading.kind === "invalid" && reading.reason, hash).toMatch(reason);
    }
  });
});

describe("base64url", () => {
  it("gives RFC 4648's test vectors, with the url-safe letters and no padding", () => {
    const vectors: [string, string][] = [
      ["", ""],
      ["f", "Zg"],
      ["fo", "Zm8"],
      ["foo", "Zm9v"],
      ["foob", "Zm9vYg"],
      ["fooba", "Zm9vYmE"],
      ["foobar", "Zm9vYmFy"],
    ];
    for (const [plain, encoded] of vectors) {
      const bytes = new TextEncoder().encode(plain);
      expect(toBase64Url(bytes)).toBe(encoded);
      expect(fromBase64Url(encoded)).toEqual(bytes);
    }
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe("-_8"); // "+/8=" in plain base64
  });

  it("round-trips every byte value, and more bytes than one chunk", () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7919) % 256);
    expect(fromBase64Url(toBase64Url(bytes))).toEqual(bytes);
  });

  it("refuses characters outside the alphabet and impossible lengths", () => {
    expect(fromBase64Url("a+b/")).toBeNull();
    expect(fromBase64Url("abcde")).toBeNull();
    expect(fromBase64Url("ab=c")).toBeNull();
  });
});

describe("hash keys beside the setup", () => {
  it("reads lesson, hide and setup, and keeps the others when one changes", () => {
    const keys = readHashKeys("#lesson=3&hide=optimizer,learning_rate&setup=abc");
    expect(keys.get("lesson")).toBe("3");
    expect(keys.get("hide")).toBe("optimizer,learning_rate");
    expect(withHashKey("#lesson=3&setup=abc", "setup", "xyz")).toBe("#lesson=3&setup=xyz");
    expect(withHashKey("#setup=abc", "lesson", "2")).toBe("#lesson=2&setup=abc");
    expect(withHashKey("#lesson=2", "lesson", null)).toBe("");
  });

  it("decodes a setup that stands beside a lesson", () => {
    const hash = encodeSetupHash({ settings: SETTINGS, custom: null });
    const both = withHashKey(hash, "lesson", "4");
    expect(both.startsWith("#lesson=4&setup=")).toBe(true);
    expect(decodeSetupHash(both)).toEqual(decodeSetupHash(hash));
    expect(decodeSetupHash("#lesson=4")).toEqual({ kind: "none" });
  });
});
