// Where the confirmed setup is kept for sharing and coming back: the address bar (`#setup=`,
// beside other hash keys) and a copy in the browser's storage for a bare address.

import type { SetupStorage } from "./persist";
import type { CustomPoints, RunSettings } from "./protocol.gen";
import {
  SETUP_HASH_PREFIX,
  decodeSetupHash,
  encodeSetupHash,
  readHashKeys,
  withHashKey,
  type HashLocation,
  type HashReading,
} from "./urlHash";

export class SetupAddress {
  private location: HashLocation | null = null;
  private storage: SetupStorage | null = null;

  /**
   * Mirrors the setup in `location` (and a copy in `storage`) from now on, and reads the setup
   * the page opens with: the address's, else the stored copy. A stored copy that cannot be
   * read is dropped quietly (an unreadable link is for the caller to report).
   */
  follow(location: HashLocation, storage: SetupStorage | null): HashReading {
    this.location = location;
    this.storage = storage;
    const reading = decodeSetupHash(location.read());
    // A link to a lesson brings its own setup (its preset): the stored copy would only race it.
    if (reading.kind !== "none" || !storage || readHashKeys(location.read()).has("lesson")) {
      return reading;
    }
    const stored = decodeSetupHash(storage.read() ?? "");
    if (stored.kind !== "invalid") return stored;
    storage.write("");
    return { kind: "none" };
  }

  /**
   * Writes `settings` (with the user's points, if any) into the address and the stored copy,
   * if it changed. The defaults are written as nothing: a bare address, no copy.
   */
  write(settings: RunSettings, defaults: RunSettings | null, custom: CustomPoints | null): void {
    if (!this.location) return;
    const fresh = custom === null && sameSettings(settings, defaults);
    const hash = fresh ? "" : encodeSetupHash({ settings, custom });
    // Other keys of the address (`lesson=`, `hide=`) stay beside the setup.
    const setup = hash.slice(SETUP_HASH_PREFIX.length);
    const address = withHashKey(this.location.read(), "setup", hash ? setup : null);
    if (address !== this.location.read()) this.location.write(address);
    this.storage?.write(hash);
  }
}

/** Whether two settings are the same (both from the server, so their keys come in one order). */
function sameSettings(a: RunSettings, b: RunSettings | null): boolean {
  return b !== null && JSON.stringify(a) === JSON.stringify(b);
}
