// The setup kept for sharing and coming back: the address bar (`#setup=`), the stored copy for
// a bare address, and what a reconnect or a restarted server brings back.

import { describe, expect, it } from "vitest";
import {
  POINTS,
  SETTINGS,
  customPatch,
  fakeHash,
  hello,
  openStore,
  settingsEvent,
} from "./fixtures";
import { storedSetup } from "./persist";
import type { ConfigureCommand } from "./protocol.gen";
import { decodeSetupHash, encodeSetupHash } from "./urlHash";

describe("SetupAddress: shared links", () => {
  it("brings back the setup of a shared link on the first hello", () => {
    const shared = { ...SETTINGS, seed: 11, dataset: { ...SETTINGS.dataset, name: "custom" } };
    const location = fakeHash(encodeSetupHash({ settings: shared, custom: POINTS }));
    const { store, sent } = openStore({ hello: null });
    store.followUrlHash(location);
    store.apply(hello());
    const { outputs: _outputs, ...network } = SETTINGS.network;
    expect(sent).toEqual([
      {
        type: "configure",
        network,
        dataset: { name: "custom", train_fraction: 0.5, label_noise: 0, custom: POINTS },
        training: SETTINGS.training,
        seed: 11,
      },
    ]);
    expect(store.settings).toEqual(shared);
    expect(location.writes).toEqual([]);
    store.apply(settingsEvent(shared));
    expect(location.writes).toEqual([]); // the address already says so
  });

  it("keeps the address current with each confirmed setup, writing only changes", () => {
    const location = fakeHash();
    const { store } = openStore({ hello: null });
    store.followUrlHash(location);
    store.apply(hello());
    expect(location.writes).toEqual([]);
    const xor = { ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "xor" } };
    store.apply(settingsEvent(xor));
    store.apply(settingsEvent(xor));
    expect(location.writes).toEqual([encodeSetupHash({ settings: xor, custom: null })]);
    store.edits.use(POINTS);
    const custom = { ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "custom" } };
    store.apply(settingsEvent(custom));
    expect(decodeSetupHash(location.hash)).toEqual({
      kind: "setup",
      setup: { settings: custom, custom: POINTS },
    });
  });

  it("ignores an unreadable link with a notice and starts from the server's defaults", () => {
    const { store, sent } = openStore({ hello: null });
    store.followUrlHash(fakeHash("#setup=not*base64"));
    store.apply(hello());
    expect(sent).toEqual([]);
    expect(store.settings).toEqual(SETTINGS);
    expect(store.banner.notices[0]!.text).toMatch(/setup in this link was ignored.*base64url/);
  });
});

describe("Playground across drops and reloads", () => {
  const XOR = { ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "xor" } };
  const CUSTOM = { ...SETTINGS, seed: 4, dataset: { ...SETTINGS.dataset, name: "custom" } };
  const { outputs: _outputs, ...NETWORK } = SETTINGS.network;

  /** A store on a recording socket, following a fake address bar and a Map as localStorage. */
  function pageWith(hash = "", saved: Record<string, string> = {}) {
    const { store, sent } = openStore({ hello: null });
    store.setConnection("connecting");
    const location = fakeHash(hash);
    const items = new Map(Object.entries(saved));
    const storage = storedSetup(() => ({
      getItem: (key) => items.get(key) ?? null,
      setItem: (key, value) => void items.set(key, value),
      removeItem: (key) => void items.delete(key),
    }));
    store.followUrlHash(location, storage);
    return { store, sent, location, items };
  }

  it("says why the server closed while reconnecting, and forgets it once connected", () => {
    const { store } = pageWith();
    store.setConnection("closed", {
      code: 1013,
      reason: "server busy: 1 sessions open, try again later",
      wasOpen: false,
    });
    const busy =
      "Server busy: 1 sessions open, try again later. This page keeps trying and joins when " +
      "a place frees up.";
    expect(store.connectionProblem).toBe(busy);
    store.setConnection("connecting");
    expect(store.connectionProblem).toBe(busy); // still true until the server lets us in
    store.setConnection("closed", { code: 1012, reason: "", wasOpen: true });
    expect(store.connectionProblem).toBe("The server is restarting — reconnecting…");
    store.setConnection("closed", { code: 1006, reason: "", wasOpen: false }); // still down
    expect(store.connectionProblem).toBe("The server is restarting — reconnecting…");
    store.setConnection("closed", { code: 1008, reason: "origin not allowed", wasOpen: false });
    expect(store.connectionProblem).toMatch(/refused this page: origin not allowed/);
    store.setConnection("open");
    store.apply(hello());
    expect(store.connectionProblem).toBeNull();
  });

  it("says it cannot reach a server that never answered", () => {
    const { store } = pageWith();
    store.setConnection("closed", { code: 1006, reason: "", wasOpen: false });
    expect(store.connectionProblem).toBe("Cannot reach the server — trying again…");
  });

  it("keeps a copy of each confirmed setup, with the user's points", () => {
    const { store, items, location } = pageWith();
    store.apply(hello());
    store.edits.use(POINTS);
    store.apply(settingsEvent(CUSTOM));
    expect(items.get("nn-playground:setup")).toBe(location.hash);
    expect(decodeSetupHash(location.hash)).toEqual({
      kind: "setup",
      setup: { settings: CUSTOM, custom: POINTS },
    });
  });

  it("brings the stored setup back on a bare address, points and all", () => {
    const saved = encodeSetupHash({ settings: CUSTOM, custom: POINTS });
    const { store, sent } = pageWith("", { "nn-playground:setup": saved });
    store.setConnection("open");
    store.apply(hello());
    expect(sent).toEqual([
      {
        type: "configure",
        network: NETWORK,
        dataset: { name: "custom", train_fraction: 0.5, label_noise: 0, custom: POINTS },
        training: SETTINGS.training,
        seed: 4,
      },
    ]);
    expect(store.settings).toEqual(CUSTOM);
    expect(store.edits.points).toEqual(POINTS);
  });

  it("prefers a link's setup to the stored one, and then stores the link's", () => {
    const link = encodeSetupHash({ settings: XOR, custom: null });
    const saved = encodeSetupHash({ settings: CUSTOM, custom: POINTS });
    const { store, sent, items } = pageWith(link, { "nn-playground:setup": saved });
    store.apply(hello());
    expect(sent).toHaveLength(1);
    expect((sent[0] as ConfigureCommand).dataset).toEqual(XOR.dataset);
    store.apply(settingsEvent(XOR));
    expect(items.get("nn-playground:setup")).toBe(link);
  });

  it("drops an unreadable stored copy quietly and starts from the defaults", () => {
    const { store, sent, items } = pageWith("", { "nn-playground:setup": "#setup=%%%" });
    expect(items.size).toBe(0);
    store.apply(hello());
    expect(sent).toEqual([]);
    expect(store.banner.notices).toEqual([]);
  });

  it("starts fresh: the defaults, no points, a bare address and no stored copy", () => {
    const saved = encodeSetupHash({ settings: CUSTOM, custom: POINTS });
    const { store, sent, items, location } = pageWith(saved, { "nn-playground:setup": saved });
    store.apply(hello());
    store.apply(settingsEvent(CUSTOM));
    sent.length = 0;
    store.startFresh();
    expect(sent).toEqual([
      {
        type: "configure",
        network: NETWORK,
        dataset: SETTINGS.dataset,
        training: SETTINGS.training,
        seed: 0,
      },
    ]);
    expect(store.edits.points).toBeNull();
    store.apply(settingsEvent(SETTINGS));
    expect(location.hash).toBe("");
    expect(items.size).toBe(0);
    // A reload now starts from the defaults: nothing to bring back.
    const reloaded = pageWith(location.hash, Object.fromEntries(items));
    reloaded.store.apply(hello());
    expect(reloaded.sent).toEqual([]);
  });

  it("restores the setup on a new socket after the server restarted", () => {
    const { store, sent } = pageWith();
    store.setConnection("open");
    store.apply(hello());
    store.edits.use(POINTS);
    store.apply(settingsEvent(CUSTOM));
    store.setConnection("closed", { code: 1012, reason: "", wasOpen: true });
    sent.length = 0;
    store.setConnection("open");
    store.apply(hello()); // the restarted server's new session, on its defaults
    expect(sent).toHaveLength(1);
    expect((sent[0] as ConfigureCommand).dataset).toEqual(customPatch(POINTS));
    expect(store.settings?.dataset.name).toBe("custom");
  });
});
