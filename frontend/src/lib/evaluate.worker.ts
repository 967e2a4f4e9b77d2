// The page's evaluator off the main thread: one job at a time, the planes handed back without a
// copy (PageGrid in pageGrid.ts keeps at most two jobs in flight, so the next one is already
// queued here when this one is done). WebGL2 where the browser has it (evaluateGl.ts), else, or
// once it fails, the JavaScript loops (evaluate.ts).

import { compileNet, evaluateGrid } from "./evaluate";
import { glEvaluator, type GlEvaluator } from "./evaluateGl";
import type { EvaluateJob, EvaluateResult } from "./pageGrid";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<EvaluateJob>) => void) | null;
  postMessage(message: EvaluateResult, transfer: Transferable[]): void;
};

let gl: GlEvaluator | null | undefined;

function evaluate(job: EvaluateJob): [ReturnType<typeof evaluateGrid>, "webgl" | "js"] {
  const net = compileNet(job.weights);
  if (job.webgl !== "off" && gl === undefined) gl = glEvaluator(job.webgl === "on");
  if (job.webgl !== "off" && gl) {
    try {
      return [gl.evaluate(net, job.box, job.side, job.line), "webgl"];
    } catch {
      gl = null; // a shader the driver refused, or a lost context: JavaScript from now on
    }
  }
  return [evaluateGrid(net, job.box, job.side, job.line), "js"];
}

scope.onmessage = ({ data: job }) => {
  const started = performance.now();
  try {
    const [grid, engine] = evaluate(job);
    const ms = performance.now() - started;
    const transfer = grid.planes.map((plane) => plane.buffer);
    scope.postMessage({ id: job.id, grid, ms, engine }, transfer);
  } catch (error) {
    scope.postMessage({ id: job.id, error: (error as Error).message }, []);
  }
};
