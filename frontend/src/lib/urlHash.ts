// The setup in the page's address (`#setup=` + base64url of UTF-8 JSON), so a link brings back
// the same network, data and training. Beside it, `lesson=N` opens lesson N and `hide=a,b` hides
// controls (a teacher's shared link): `#lesson=3&hide=optimizer&setup=…`. Keys are joined by `&`;
// base64url never holds one. Pure functions; the store decides when to read and write.

import type { CustomPoints, RunSettings } from "./protocol.gen";

/** What a shared link holds: the settings and, for custom data, the points themselves. */
export interface SharedSetup {
  settings: RunSettings;
  custom: CustomPoints | null;
}

/** What the address says: no setup at all, a setup, or a setup that cannot be read (and why). */
export type HashReading =
  { kind: "none" } | { kind: "setup"; setup: SharedSetup } | { kind: "invalid"; reason: string };

/** Where the store reads and writes the address; the browser's in main.ts, a fake in tests. */
export interface HashLocation {
  read(): string;
  /** Replaces the hash without a new history entry and without reloading. */
  write(hash: string): void;
}

export const SETUP_HASH_PREFIX = "#setup=";

/** The page's own address: replaceState, so settings changes neither reload nor pile up history. */
export const browserHash: HashLocation = {
  read: () => window.location.hash,
  write: (hash) => {
    const { pathname, search } = window.location;
    window.history.replaceState(window.history.state, "", `${pathname}${search}${hash}`);
  },
};

/** The hash (with its leading `#setup=`) that holds this setup. */
export function encodeSetupHash(setup: SharedSetup): string {
  const json = JSON.stringify({ settings: setup.settings, custom: setup.custom });
  return SETUP_HASH_PREFIX + toBase64Url(new TextEncoder().encode(json));
}

/** The `key=value` pairs of a hash such as `#lesson=3&setup=…`, in order; values as written. */
export function readHashKeys(hash: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const part of hash.replace(/^#/, "").split("&")) {
    const at = part.indexOf("=");
    if (at > 0) keys.set(part.slice(0, at), part.slice(at + 1));
  }
  return keys;
}

/** `hash` with `key` set to `value` (null: removed), the other keys kept in their order;
 * `setup` always goes last, so the short keys stay readable at the front. */
export function withHashKey(hash: string, key: string, value: string | null): string {
  const keys = readHashKeys(hash);
  if (value === null) keys.delete(key);
  else keys.set(key, value);
  const setup = keys.get("setup");
  keys.delete("setup");
  if (setup !== undefined) keys.set("setup", setup);
  const text = [...keys].map(([k, v]) => `${k}=${v}`).join("&");
  return text ? `#${text}` : "";
}

/** Reads a location hash; a hash without a `setup=` key is "none", never an error. */
export function decodeSetupHash(hash: string): HashReading {
  const text = readHashKeys(hash).get("setup");
  if (text === undefined) return { kind: "none" };
  const bytes = fromBase64Url(text);
  if (bytes === null) return { kind: "invalid", reason: "it is not base64url text" };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    return { kind: "invalid", reason: "it is not JSON" };
  }
  const problem = setupProblem(value);
  if (problem !== null) return { kind: "invalid", reason: problem };
  const { settings, custom } = value as { settings: RunSettings; custom?: CustomPoints | null };
  return { kind: "setup", setup: { settings, custom: custom ?? null } };
}

/**
 * Why `value` is not a shared setup, or null. Loose on purpose: only the shape the store relies
 * on is checked; the server validates every field and says what it refuses.
 */
function setupProblem(value: unknown): string | null {
  if (!isObject(value)) return "it is not a JSON object";
  const { settings, custom } = value;
  if (!isObject(settings)) return "it has no settings";
  const { network, dataset, training, seed } = settings;
  if (!isObject(network) || !Array.isArray(network["hidden"])) return "its network is missing";
  if (!network["hidden"].every(isObject)) return "its hidden layers are not objects";
  if (!Array.isArray(network["features"])) return "its features are missing";
  if (!isObject(dataset) || typeof dataset["name"] !== "string") return "its dataset is missing";
  if (!isObject(training)) return "its training settings are missing";
  if (typeof seed !== "number") return "its seed is missing";
  if (custom !== null && custom !== undefined) {
    const points = pointsProblem(custom);
    if (points !== null) return points;
  } else if (dataset["name"] === "custom") {
    return "it names custom data but holds no points";
  }
  return null;
}

function pointsProblem(custom: unknown): string | null {
  if (!isObject(custom)) return "its custom points are not an object";
  const { x, y } = custom;
  const pair = (p: unknown) =>
    Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === "number");
  if (!Array.isArray(x) || !x.every(pair)) return "its custom points are not (x1, x2) pairs";
  if (!Array.isArray(y) || !y.every((v) => typeof v === "number")) {
    return "its custom labels are not numbers";
  }
  if (x.length !== y.length) return "its custom points and labels differ in number";
  return null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** RFC 4648 §5 base64url without padding: safe in a URL fragment as is. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  // Chunks keep String.fromCharCode's argument list short: thousands of points make ~100 kB.
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  }
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The bytes of base64url text (padding optional), or null when it is not base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text) || text.replace(/=+$/, "").length % 4 === 1) {
    return null;
  }
  const base64 = text.replace(/=+$/, "").replace(/-/g, "+").replace(/_/g, "/");
  let binary: string;
  try {
    binary = atob(base64 + "=".repeat((4 - (base64.length % 4)) % 4));
  } catch {
    return null;
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
