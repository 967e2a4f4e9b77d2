import { describe, expect, it } from "vitest";
import { errorDetail, fetchExplore, type ExploreRequest, type ExploreResponse } from "./explore";

const REQUEST: ExploreRequest = { budget: 24, depths: [1, 2], seeds: 3, activation: "relu" };
const RESPONSE: ExploreResponse = {
  results: [
    { depth: 1, width: 24, counts: [200, 210, 190], mean: 200, std: 8.2, min: 190, max: 210 },
    { depth: 2, width: 12, counts: [150, 160, 170], mean: 160, std: 8.2, min: 150, max: 170 },
  ],
  seconds: 0.5,
};

function fakeFetch(status: number, body: unknown, seen: RequestInit[] = []): typeof fetch {
  return (async (_url: string, init: RequestInit) => {
    seen.push(init);
    return new Response(JSON.stringify(body), { status });
  }) as unknown as typeof fetch;
}

describe("fetchExplore", () => {
  it("posts the request as JSON and returns the results", async () => {
    const seen: RequestInit[] = [];
    await expect(fetchExplore(REQUEST, fakeFetch(200, RESPONSE, seen))).resolves.toEqual(RESPONSE);
    expect(seen[0]!.method).toBe("POST");
    expect(JSON.parse(seen[0]!.body as string)).toEqual(REQUEST);
  });

  it("throws the server's detail on 422", async () => {
    await expect(
      fetchExplore(REQUEST, fakeFetch(422, { detail: "budget must be at most 64" })),
    ).rejects.toThrow("budget must be at most 64");
  });

  it("says when the server cannot be reached", async () => {
    const failing = (async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    await expect(fetchExplore(REQUEST, failing)).rejects.toThrow(/cannot reach the server/);
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
