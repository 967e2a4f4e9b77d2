import { describe, expect, it } from "vitest";
import { SETUP_STORAGE_KEY, storedSetup, type StorageLike } from "./persist";

/** A Storage on a Map that counts its writes. */
function mapStorage() {
  const items = new Map<string, string>();
  let writes = 0;
  const storage: StorageLike = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => {
      writes++;
      items.set(key, value);
    },
    removeItem: (key) => void items.delete(key),
  };
  return { items, storage, writes: () => writes };
}

describe("storedSetup", () => {
  it("reads back what it wrote, writes only changes, and removes on an empty hash", () => {
    const { items, storage, writes } = mapStorage();
    const saved = storedSetup(() => storage);
    expect(saved.read()).toBeNull();
    saved.write("#setup=abc");
    saved.write("#setup=abc");
    expect(saved.read()).toBe("#setup=abc");
    expect(items.get(SETUP_STORAGE_KEY)).toBe("#setup=abc");
    expect(writes()).toBe(1);
    saved.write("");
    expect(saved.read()).toBeNull();
    expect(items.size).toBe(0);
  });

  it("works without storage: missing, blocked, or full", () => {
    expect(storedSetup(() => null).read()).toBeNull();
    const blocked = storedSetup(() => {
      throw new DOMException("denied", "SecurityError");
    });
    expect(blocked.read()).toBeNull();
    expect(() => blocked.write("#setup=abc")).not.toThrow();
    const full = storedSetup(() => ({
      getItem: () => null,
      setItem: () => {
        throw new DOMException("full", "QuotaExceededError");
      },
      removeItem: () => undefined,
    }));
    expect(() => full.write("#setup=abc")).not.toThrow();
  });
});
