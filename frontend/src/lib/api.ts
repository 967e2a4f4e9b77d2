// The one HTTP client: /api/* typed from the server's own OpenAPI schema (api.gen.ts, made by
// `make codegen`), with one error path that turns a refusal into the server's `detail`.

import createClient, { type Client } from "openapi-fetch";
import type { paths } from "./api.gen";

export type Api = Client<paths>;

/** Sends a body as it is (text, bytes, a file) instead of as JSON. */
export const raw = <T>(body: T): T => body;

/** The typed client, fetching through `fetcher` (tests hand in a fake one). */
export function createApi(fetcher: typeof fetch = (input, init) => fetch(input, init)): Api {
  // Relative paths need an origin outside the browser (vitest builds Requests in Node).
  const baseUrl = typeof location === "undefined" ? "http://localhost" : location.origin;
  return createClient<paths>({ baseUrl, fetch: (request) => fetcher(request) });
}

/**
 * The data of a call, or an Error a person can read: "cannot reach the server (…)" when no
 * answer came, else the server's `detail`, else the status it answered.
 */
export async function answer<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch (error) {
    throw new Error(`cannot reach the server (${(error as Error).message})`);
  }
  const { data, error, response } = result;
  if (!response.ok || data === undefined) {
    throw new Error(errorDetail(error) ?? `the server answered ${response.status}`);
  }
  return data;
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
