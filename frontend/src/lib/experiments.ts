// The lessons' experiments over HTTP: a lesson names the experiment and the request body, the
// answer comes back typed by the experiment's name.

import { answer, type Api } from "./api";
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
 * can read (the server's `detail` on 422). The body is the lesson's, checked by the server.
 */
export async function runExperiment(
  experiment: LessonExperiment,
  overrides: Record<string, unknown>,
  api: Api,
): Promise<ExperimentResult> {
  const body = { ...experiment.params, ...overrides } as never;
  switch (experiment.name) {
    case "xor_seeds":
      return tagged("xor_seeds", await answer(api.POST("/api/experiments/xor_seeds", { body })));
    case "approximation": {
      const call = api.POST("/api/experiments/approximation", { body });
      return tagged("approximation", await answer(call));
    }
    case "optimizers":
      return tagged("optimizers", await answer(api.POST("/api/experiments/optimizers", { body })));
    case "double_descent": {
      const call = api.POST("/api/experiments/double_descent", { body });
      return tagged("double_descent", await answer(call));
    }
    case "suspicious":
      return tagged("suspicious", await answer(api.POST("/api/experiments/suspicious", { body })));
    case "explore":
      return tagged("explore", await answer(api.POST("/api/regions/explore", { body })));
  }
}

/** The answer under its experiment's name, once it holds the results every view reads. */
function tagged<N extends ExperimentResult["name"]>(
  name: N,
  response: Extract<ExperimentResult, { name: N }>["response"],
): ExperimentResult {
  if (!Array.isArray((response as { results?: unknown }).results)) {
    throw new Error("the server answered without results");
  }
  return { name, response } as ExperimentResult;
}
