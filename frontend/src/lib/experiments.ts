// The lessons' experiments over HTTP: a lesson names the route and the request body, the
// answer comes back typed by the experiment's name.

import { errorDetail } from "./explore";
import type {
  ApproximationResponse,
  DoubleDescentResponse,
  ExploreResponse,
  LessonExperiment,
  OptimizersResponse,
  SuspiciousResponse,
  XorSeedsResponse,
} from "./protocol.gen";

/** An experiment's answer, tagged with its name. */
export type ExperimentResult =
  | { name: "xor_seeds"; response: XorSeedsResponse }
  | { name: "approximation"; response: ApproximationResponse }
  | { name: "optimizers"; response: OptimizersResponse }
  | { name: "double_descent"; response: DoubleDescentResponse }
  | { name: "suspicious"; response: SuspiciousResponse }
  | { name: "explore"; response: ExploreResponse };

/**
 * POSTs the experiment's body (with `overrides` on top) to its route; throws an Error a person
 * can read (the server's `detail` on 422).
 */
export async function runExperiment(
  experiment: LessonExperiment,
  overrides: Record<string, unknown> = {},
  fetcher: typeof fetch = fetch,
): Promise<ExperimentResult> {
  let response: Response;
  try {
    response = await fetcher(experiment.route, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({ ...experiment.params, ...overrides }),
    });
  } catch (error) {
    throw new Error(`cannot reach the server (${(error as Error).message})`);
  }
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok) throw new Error(errorDetail(body) ?? `the server answered ${response.status}`);
  const results = (body as { results?: unknown } | null)?.results;
  if (!Array.isArray(results)) throw new Error("the server answered without results");
  return { name: experiment.name, response: body } as ExperimentResult;
}
