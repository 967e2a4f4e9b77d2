// The depth-vs-width explorer: busy while a request runs, its answer kept, a refusal shown
// with the server's detail while the previous answer stays.

import { describe, expect, it } from "vitest";
import type { ExploreResponse } from "./explorer.svelte";
import { fakeFetch, json, openStore } from "./fixtures";

describe("Explorer in the store", () => {
  const ANSWER: ExploreResponse = {
    results: [{ depth: 1, width: 8, counts: [30, 32], mean: 31, std: 1, min: 30, max: 32 }],
    seconds: 0.1,
  };
  const REQUEST = { budget: 8, depths: [1] as [number], seeds: 2, activation: "relu" };

  it("is busy while the request runs, then keeps the answer", async () => {
    let answer: (response: Response) => void = () => {};
    const fetcher = (() => new Promise<Response>((resolve) => (answer = resolve))) as typeof fetch;
    const { store } = openStore({ fetcher });
    const pending = store.explorer.run(REQUEST);
    expect(store.explorer.busy).toBe(true);
    answer(new Response(JSON.stringify(ANSWER)));
    await pending;
    expect(store.explorer.busy).toBe(false);
    expect(store.explorer.result).toEqual(ANSWER);
    expect(store.explorer.error).toBeNull();
  });

  it("shows the server's 422 detail and keeps the previous answer", async () => {
    let status = 200;
    const { fetcher, requests } = fakeFetch(() =>
      json(status === 200 ? ANSWER : { detail: "budget: must be at most 64" }, status),
    );
    const { store } = openStore({ fetcher });
    await store.explorer.run(REQUEST);
    status = 422;
    await store.explorer.run({ ...REQUEST, budget: 999 });
    expect(store.explorer.error).toBe("budget: must be at most 64");
    expect(store.explorer.result).toEqual(ANSWER);
    expect(store.explorer.busy).toBe(false);
    expect(requests.map((r) => r.path)).toEqual(["/api/regions/explore", "/api/regions/explore"]);
    expect(await requests[1]!.request.json()).toEqual({ ...REQUEST, budget: 999 });
  });
});
