// The user's own points: edits on the canvas (a drag sent once it pauses) and CSV uploads,
// both trained on as the "custom" dataset.

import { beforeEach, describe, expect, it, vi } from "vitest";
import { addPoint, erasePoints } from "./customData";
import {
  POINTS,
  SETTINGS,
  customPatch,
  dataset,
  fakeFetch,
  hello,
  json,
  openStore,
  settingsEvent,
} from "./fixtures";
import type { ClientCommand, ConfigureCommand } from "./protocol.gen";
import type { Playground } from "./store.svelte";

describe("DataEdits in the store", () => {
  let sent: ClientCommand[];
  let store: Playground;

  beforeEach(() => {
    ({ store, sent } = openStore());
  });

  it("sends an edit as custom data at once, and a drag's edits once it pauses", () => {
    vi.useFakeTimers();
    try {
      const data = dataset();
      store.apply(data);
      const added = addPoint(data, 0.5, 0.5, 1);
      store.edits.editData(added);
      expect(store.dataset).toBe(added);
      expect(sent).toEqual([
        {
          type: "configure",
          dataset: {
            name: "custom",
            custom: {
              x: [
                [1, 2],
                [0.5, 0.5],
                [-1, 0],
              ],
              y: [1, 1, 0],
              task: "classification",
            },
          },
        },
      ]);
      expect(store.settings?.dataset.name).toBe("custom");
      sent.length = 0;
      store.edits.editData(erasePoints(added, 1, 2, 0.1)!, true);
      store.apply(dataset()); // the answer to the first edit must not undo the second
      expect(store.dataset?.train_x).toEqual([[0.5, 0.5]]);
      expect(sent).toEqual([]);
      vi.advanceTimersByTime(200);
      expect(sent).toHaveLength(1);
      expect(store.edits.points?.x).toEqual([
        [0.5, 0.5],
        [-1, 0],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("sends the custom points again after reconnecting", () => {
    store.edits.use(POINTS);
    store.apply(settingsEvent({ ...SETTINGS, dataset: { ...SETTINGS.dataset, name: "custom" } }));
    store.setConnection("closed");
    sent.length = 0;
    store.setConnection("open");
    store.apply(hello());
    expect(sent).toHaveLength(1);
    expect((sent[0] as ConfigureCommand).dataset).toEqual(customPatch(POINTS));
  });
});

describe("DataEdits.uploadCsv", () => {
  it("configures the parsed points as custom data", async () => {
    const { store, sent } = openStore({ fetcher: fakeFetch(() => json(POINTS)).fetcher });
    expect(await store.edits.uploadCsv("x1,x2,label\n...")).toBe(true);
    expect(sent).toEqual([{ type: "configure", dataset: { name: "custom", custom: POINTS } }]);
    expect(store.edits.points).toEqual(POINTS);
  });

  it("shows the server's reason for a refused file and sends nothing", async () => {
    for (const status of [413, 422]) {
      const detail = "row 3, column x2: 'abc' is not a number";
      const { fetcher, requests } = fakeFetch(() => json({ detail }, status));
      const { store, sent } = openStore({ fetcher });
      expect(await store.edits.uploadCsv("x1,x2,label\n1,abc,0")).toBe(false);
      expect(sent).toEqual([]);
      expect(requests.map((r) => [r.method, r.path])).toEqual([["POST", "/api/datasets/csv"]]);
      expect(await requests[0]!.request.text()).toBe("x1,x2,label\n1,abc,0");
      expect(store.banner.notices[0]?.text).toContain(detail);
      expect(store.settings?.dataset.name).toBe("circle");
    }
  });
});
