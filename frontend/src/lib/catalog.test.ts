import { describe, expect, it } from "vitest";

import { createApi } from "./api";
import { fetchCatalog, limitsOf, rangeOf } from "./catalog";
import { LIMITS_AT_CODEGEN, type Catalog } from "./protocol.gen";

describe("limitsOf", () => {
  it("reads the catalog's limits once it has arrived", () => {
    const catalog = { limits: { ...LIMITS_AT_CODEGEN, max_units: 7 } } as Catalog;
    expect(limitsOf(catalog).max_units).toBe(7);
  });

  it("uses the generated values until then", () => {
    expect(limitsOf(null)).toBe(LIMITS_AT_CODEGEN);
    expect(LIMITS_AT_CODEGEN.max_units).toBeGreaterThan(0);
  });
});

describe("rangeOf", () => {
  it("pairs a setting's min_ and max_ limits", () => {
    const limits = { ...LIMITS_AT_CODEGEN, min_points: 12, max_points: 345 };
    expect(rangeOf({ limits } as Catalog, "points")).toEqual({ min: 12, max: 345 });
    expect(rangeOf(null, "learning_rate")).toEqual({
      min: LIMITS_AT_CODEGEN.min_learning_rate,
      max: LIMITS_AT_CODEGEN.max_learning_rate,
    });
  });
});

describe("fetchCatalog", () => {
  it("says so when the answer has no limits", async () => {
    const fetcher = (async () =>
      new Response(JSON.stringify({ datasets: [] }), { status: 200 })) as typeof fetch;
    await expect(fetchCatalog(createApi(fetcher))).rejects.toThrow(/without datasets or limits/);
  });
});
