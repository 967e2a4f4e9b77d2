// The one HTTP client: typed calls through an injected fetcher, and one error path that says
// what the server said (its `detail`), or that it could not be reached.

import { describe, expect, it } from "vitest";
import { answer, createApi, errorDetail } from "./api";
import { fakeFetch, json } from "./fixtures";

describe("answer", () => {
  it("returns the data of a 2xx answer, the request sent as the route expects", async () => {
    const { fetcher, requests } = fakeFetch(() => json({ code: "import torch\n" }));
    const api = createApi(fetcher);
    const settings = { seed: 1 } as never;
    await expect(answer(api.POST("/api/pytorch", { body: { settings } }))).resolves.toEqual({
      code: "import torch\n",
    });
    expect(requests.map((r) => [r.method, r.path])).toEqual([["POST", "/api/pytorch"]]);
    expect(await requests[0]!.request.json()).toEqual({ settings: { seed: 1 } });
  });

  it("throws the server's detail, else the status it answered", async () => {
    const refused = createApi(
      fakeFetch(() => json({ detail: "budget must be at most 64" }, 422)).fetcher,
    );
    await expect(answer(refused.GET("/api/catalog"))).rejects.toThrow("budget must be at most 64");
    const broken = createApi(fakeFetch(() => new Response("oops", { status: 500 })).fetcher);
    await expect(answer(broken.GET("/api/catalog"))).rejects.toThrow("the server answered 500");
  });

  it("says when the server cannot be reached", async () => {
    const offline = createApi((async () => {
      throw new TypeError("Failed to fetch");
    }) as typeof fetch);
    await expect(answer(offline.GET("/api/catalog"))).rejects.toThrow(
      "cannot reach the server (Failed to fetch)",
    );
  });
});

describe("errorDetail", () => {
  it("joins FastAPI validation errors", () => {
    const body = {
      detail: [
        { loc: ["body", "seeds"], msg: "Input should be less than or equal to 20" },
        { loc: ["body"], msg: "bad" },
      ],
    };
    expect(errorDetail(body)).toBe("seeds: Input should be less than or equal to 20; bad");
    expect(errorDetail({})).toBeNull();
  });
});
