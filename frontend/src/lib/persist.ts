// A copy of the setup in the browser's localStorage, so the bare address (a bookmark, a typed
// URL) brings back what the user had even without the `#setup=` hash. It holds the same text as
// the hash, so one reader (urlHash.ts) checks both.

/** Where the store keeps its copy; the browser's localStorage in main.ts, a Map in tests. */
export interface SetupStorage {
  /** The saved setup hash (`#setup=…`), or null when there is none. */
  read(): string | null;
  /** Saves this setup hash; an empty string removes the copy. */
  write(hash: string): void;
}

export const SETUP_STORAGE_KEY = "nn-playground:setup";

/** The subset of the DOM Storage this module uses. */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/**
 * A SetupStorage on `storage`. Storage may be missing or refuse writes (private windows, a full
 * quota, cookies blocked): the page then works as before, from the address alone.
 */
export function storedSetup(storage: () => StorageLike | null): SetupStorage {
  const attempt = <T>(use: (s: StorageLike) => T, otherwise: T): T => {
    try {
      const s = storage();
      return s ? use(s) : otherwise;
    } catch {
      return otherwise;
    }
  };
  return {
    read: () => attempt((s) => s.getItem(SETUP_STORAGE_KEY), null),
    write: (hash) =>
      attempt((s) => {
        if (hash === "") s.removeItem(SETUP_STORAGE_KEY);
        else if (s.getItem(SETUP_STORAGE_KEY) !== hash) s.setItem(SETUP_STORAGE_KEY, hash);
      }, undefined),
  };
}

/** The browser's localStorage (reading `window.localStorage` itself can throw). */
export const browserStorage: SetupStorage = storedSetup(() => window.localStorage);
