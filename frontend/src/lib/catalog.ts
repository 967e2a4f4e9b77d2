// GET /api/catalog: every name and bound the controls offer.

import { LIMITS_AT_CODEGEN, type Catalog, type Limits } from "./protocol.gen";

/** Fetches the catalog; throws an Error a person can read when the server does not answer. */
export async function fetchCatalog(fetcher: typeof fetch = fetch): Promise<Catalog> {
  let response: Response;
  try {
    response = await fetcher("/api/catalog", { headers: { accept: "application/json" } });
  } catch (error) {
    throw new Error(`cannot reach the server for /api/catalog (${(error as Error).message})`);
  }
  if (!response.ok) {
    throw new Error(`/api/catalog answered ${response.status} ${response.statusText}`.trim());
  }
  const catalog = (await response.json()) as Catalog;
  if (!Array.isArray(catalog.datasets) || typeof catalog.limits !== "object") {
    throw new Error("/api/catalog answered without datasets or limits");
  }
  return catalog;
}

/** Fetches the catalog, retrying with a doubling delay until it arrives. */
export async function fetchCatalogWithRetry(
  onFailure: (error: Error) => void,
  fetcher: typeof fetch = fetch,
): Promise<Catalog> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchCatalog(fetcher);
    } catch (error) {
      onFailure(error as Error);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
    }
  }
}

/** The bounds in force: the catalog's, or until it arrives the values generated with the
 * protocol (the page keeps no other copy of a server constant). */
export function limitsOf(catalog: Catalog | null): Limits {
  return catalog?.limits ?? LIMITS_AT_CODEGEN;
}
