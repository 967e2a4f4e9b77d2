// The page's evaluator off the main thread: one job at a time, the planes handed back without a
// copy (PageGrid in pageGrid.ts keeps at most one job waiting, the newest).

import { compileNet, evaluateGrid } from "./evaluate";
import type { EvaluateJob, EvaluateResult } from "./pageGrid";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<EvaluateJob>) => void) | null;
  postMessage(message: EvaluateResult, transfer: Transferable[]): void;
};

scope.onmessage = ({ data: job }) => {
  const started = performance.now();
  try {
    const grid = evaluateGrid(compileNet(job.weights), job.box, job.side, job.line);
    const ms = performance.now() - started;
    scope.postMessage(
      { id: job.id, grid, ms },
      grid.planes.map((plane) => plane.buffer),
    );
  } catch (error) {
    scope.postMessage({ id: job.id, error: (error as Error).message }, []);
  }
};
