// The run's linear regions as the store keeps them from frames: the count between frames that
// carry one, the chart's history, exactness, and the polygons decoded off the wire.

import { beforeEach, describe, expect, it } from "vitest";
import { frame, openStore, overTheWire, trianglePolygons } from "./fixtures";
import type { Playground } from "./store.svelte";

describe("LinearRegions in the store", () => {
  let store: Playground;

  beforeEach(() => {
    ({ store } = openStore({ hello: null }));
  });

  it("keeps the last region count of the run between frames that carry one", () => {
    store.apply(frame({ run: 1, regions: 17 }));
    store.apply(frame({ run: 1, regions: null }));
    expect(store.regions.count).toBe(17);
    store.apply(frame({ run: 2, regions: null }));
    expect(store.regions.count).toBeNull();
  });

  it("records (step, regions) for the chart and whether the count is exact", () => {
    store.apply(frame({ run: 1, step: 0, regions: 4 }));
    store.apply(frame({ run: 1, step: 5, regions: null }));
    const revision = store.regions.revision;
    store.apply(frame({ run: 1, step: 10, regions: 300, regions_exact: false }));
    expect(store.regions.history.columns).toEqual([
      [0, 10],
      [4, 300],
    ]);
    expect(store.regions.exact).toBe(false);
    expect(store.regions.revision).toBeGreaterThan(revision);
    store.apply(frame({ run: 2, step: 0, regions: null }));
    expect(store.regions.history.length).toBe(0);
    expect(store.regions.exact).toBe(true);
  });

  it("decodes region polygons off the wire and keeps them until the next count or run", () => {
    store.apply(overTheWire(frame({ run: 1, regions: 1, region_polygons: trianglePolygons(9) })));
    expect(store.regions.polygons?.count).toBe(1);
    expect([...store.regions.polygons!.patternIds]).toEqual([9]);
    expect([...store.regions.polygons!.vertices]).toEqual([0, 0, 1, 0, 0, 1]);
    store.apply(frame({ run: 1, step: 11 }));
    expect(store.regions.polygons?.patternIds[0]).toBe(9);
    store.apply(frame({ run: 1, step: 12, regions: 1, region_polygons: trianglePolygons(4) }));
    expect(store.regions.polygons?.patternIds[0]).toBe(4);
    store.apply(frame({ run: 2, step: 0 }));
    expect(store.regions.polygons).toBeNull();
  });

  it("drops the polygons when a count arrives without them (too many to draw)", () => {
    store.apply(frame({ run: 1, regions: 1, region_polygons: trianglePolygons() }));
    store.apply(frame({ run: 1, step: 20, regions: 5000 }));
    expect(store.regions.count).toBe(5000);
    expect(store.regions.polygons).toBeNull();
  });

  it("reports unreadable polygons instead of throwing", () => {
    const broken = { ...trianglePolygons(), count: 2 };
    store.apply(frame({ regions: 2, region_polygons: broken }));
    expect(store.regions.polygons).toBeNull();
    expect(store.banner.notices[0]?.text).toMatch(/region polygons/);
  });
});
