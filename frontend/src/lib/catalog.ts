// GET /api/catalog: every name and bound the controls offer.

import { answer, createApi, type Api } from "./api";
import { LIMITS_AT_CODEGEN, type Catalog, type Limits } from "./protocol.gen";

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

/** The bounds in force: the catalog's, or until it arrives the values generated with the
 * protocol (the page keeps no other copy of a server constant). */
export function limitsOf(catalog: Catalog | null): Limits {
  return catalog?.limits ?? LIMITS_AT_CODEGEN;
}

/** The settings bounded on both sides by the limits (`min_x` and `max_x`). */
export type Bounded = "learning_rate" | "points" | "train_fraction";

/** A field's `min` and `max` from the limits in force, to spread into its props. */
export function rangeOf(catalog: Catalog | null, name: Bounded): { min: number; max: number } {
  const limits = limitsOf(catalog);
  return { min: limits[`min_${name}`], max: limits[`max_${name}`] };
}
