// The depth-vs-width explorer (POST /api/regions/explore): exact region counts of random
// networks, deep and narrow vs shallow and wide, under one budget of hidden neurons.

import { answer, type Api } from "./api";
import type { ExploreRequest, ExploreResponse } from "./protocol.gen";

export type { DepthCounts, ExploreRequest, ExploreResponse } from "./protocol.gen";

/** Runs one exploration; throws an Error a person can read (the server's `detail` on 422). */
export async function fetchExplore(request: ExploreRequest, api: Api): Promise<ExploreResponse> {
  return answer(api.POST("/api/regions/explore", { body: request }));
}

export class Explorer {
  /** The last answer, kept while a new one is asked for or refused. */
  result = $state.raw<ExploreResponse | null>(null);
  busy = $state(false);
  error = $state<string | null>(null);

  constructor(private readonly api: Api) {}

  /** Counts the regions of random nets of each depth on one neuron budget. */
  async run(request: ExploreRequest): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = null;
    try {
      this.result = await fetchExplore(request, this.api);
    } catch (error) {
      this.error = (error as Error).message;
    } finally {
      this.busy = false;
    }
  }
}
