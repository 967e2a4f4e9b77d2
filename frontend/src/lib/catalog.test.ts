import { describe, expect, it } from "vitest";

import { createApi } from "./api";
import { fetchCatalog, limitsOf } from "./catalog";
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

describe("fetchCatalog", () => {
  it("says so when the answer has no limits", async () => {
    const fetcher = (async () =>
      new Response(JSON.stringify({ datasets: [] }), { status: 200 })) as typeof fetch;
    await expect(fetchCatalog(createApi(fetcher))).rejects.toThrow(/without datasets or limits/);
  });
});
