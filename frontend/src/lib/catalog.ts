// GET /api/catalog: every name and bound the controls offer.

import { answer, createApi, type Api } from "./api";
import type { Catalog } from "./protocol.gen";

/** Fetches the catalog; throws an Error a person can read when the server does not answer. */
export async function fetchCatalog(api: Api = createApi()): Promise<Catalog> {
  const catalog = await answer(api.GET("/api/catalog"));
  if (!Array.isArray(catalog.datasets) || typeof catalog.limits !== "object") {
    throw new Error("/api/catalog answered without datasets or limits");
  }
  return catalog;
}

/** Fetches the catalog, retrying with a doubling delay until it arrives. */
export async function fetchCatalogWithRetry(
  onFailure: (error: Error) => void,
  api: Api = createApi(),
): Promise<Catalog> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fetchCatalog(api);
    } catch (error) {
      onFailure(error as Error);
      await new Promise((resolve) => setTimeout(resolve, Math.min(5000, 250 * 2 ** attempt)));
    }
  }
}

/** A named bound from the catalog (`max_units`, ...); the fallback covers an older server. */
export function limit(catalog: Catalog | null, name: string, fallback: number): number {
  return catalog?.limits[name] ?? fallback;
}
