// POST /api/regions/explore: exact region counts of random networks, deep and narrow vs shallow
// and wide, under one budget of hidden neurons.

import type { ExploreRequest, ExploreResponse } from "./protocol.gen";

export type { DepthCounts, ExploreRequest, ExploreResponse } from "./protocol.gen";

/** Runs one exploration; throws an Error a person can read (the server's `detail` on 422). */
export async function fetchExplore(
  request: ExploreRequest,
  fetcher: typeof fetch = fetch,
): Promise<ExploreResponse> {
  let response: Response;
  try {
    response = await fetcher("/api/regions/explore", {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(request),
    });
  } catch (error) {
    throw new Error(`cannot reach the server (${(error as Error).message})`);
  }
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON: the status line below says what happened.
  }
  if (!response.ok) throw new Error(errorDetail(body) ?? `the server answered ${response.status}`);
  const results = (body as ExploreResponse | null)?.results;
  if (!Array.isArray(results)) throw new Error("the server answered without results");
  return body as ExploreResponse;
}

/** FastAPI's `detail`: a string, or a list of validation errors with `loc` and `msg`. */
export function errorDetail(body: unknown): string | null {
  if (typeof body !== "object" || body === null || !("detail" in body)) return null;
  const detail = (body as { detail: unknown }).detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    const parts = detail.map((item: { loc?: unknown[]; msg?: string }) => {
      const field = (item.loc ?? []).filter((part) => part !== "body").join(".");
      return field ? `${field}: ${item.msg ?? "invalid"}` : (item.msg ?? "invalid");
    });
    return parts.join("; ") || null;
  }
  return null;
}
