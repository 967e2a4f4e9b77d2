// Frames that carry weights (server/page_grid.py): the page evaluates the output grid itself, in
// Web Workers when it can (else on the main thread), newest frame wins: two jobs are in flight
// (so a worker starts the next the moment it is done, or two workers run side by side), at most
// one waits, and a result that a newer one or a server grid has overtaken is dropped. The grid's side adapts
// to the time an evaluation takes, so the boundary keeps the display's rate.

import { drawCounts } from "./draw/counts";
import { compileNet, evaluateGrid } from "./evaluate";
import type { DecodedGrid } from "./grid";
import type { NetWeights } from "./protocol.gen";

type Box = readonly [number, number, number, number];

export interface EvaluateJob {
  id: number;
  weights: NetWeights;
  box: Box;
  side: number;
  line: boolean;
  /**
   * WebGL2 where the worker has it on a GPU ("auto"), even on a software renderer ("on",
   * `?grid_gl=1`), or never ("off", `?grid_gl=0`).
   */
  webgl: "auto" | "on" | "off";
}

export type EvaluateResult =
  | { id: number; grid: DecodedGrid; ms: number; engine?: "webgl" | "js" }
  | { id: number; error: string };

/** Grid sides, finest first: 256 where an evaluation fits a display frame, coarser where not. */
export const SIDES = [256, 192, 128, 96, 64] as const;
/** Samples along 1D data's line, as the server sends (limits.GRID_RESOLUTION_1D). */
export const LINE_SAMPLES = 256;
/** Milliseconds an evaluation may take: beyond it the grid gets coarser, well under it finer. */
const SLOW_MS = 14;
const FAST_MS = 5;

/** The side after an evaluation at `side` that took `ms` (smoothed). */
export function nextSide(side: number, ms: number): number {
  const i = SIDES.indexOf(side as (typeof SIDES)[number]);
  if (i < 0) return SIDES[0];
  if (ms > SLOW_MS && i < SIDES.length - 1) return SIDES[i + 1]!;
  // A finer side costs (finer/side)² as much: step up only when that still fits.
  const finer = SIDES[i - 1];
  if (finer !== undefined && ms * (finer / side) ** 2 < FAST_MS * 2) return finer;
  return side;
}

/**
 * The side a page opened with `?grid_side=N` keeps whatever the time (N one of SIDES; the live
 * boundary bench pins 256), else null: the side adapts.
 */
export function pinnedSide(search: string): number | null {
  const side = Number(new URLSearchParams(search).get("grid_side"));
  return (SIDES as readonly number[]).includes(side) ? side : null;
}

export interface Evaluator {
  post(job: EvaluateJob): void;
  onResult: (result: EvaluateResult) => void;
  /** The evaluator broke (a worker that failed to load): the job is lost. */
  onFailure: () => void;
}

/** Jobs the page keeps in flight: one evaluating and one queued behind it (or on a second worker). */
export const IN_FLIGHT = 2;

/**
 * Workers the page evaluates in: `?grid_workers=1` or `2` where given (the boundary bench
 * compares them), else two on a machine of four cores or more, else one: on two cores a second
 * worker takes CPU from the main thread's drawing (measured: no faster on this 2-core VM).
 */
export function workersOf(search: string): number {
  const asked = Number(new URLSearchParams(search).get("grid_workers"));
  if (asked >= 1 && asked <= IN_FLIGHT) return Math.round(asked);
  return (globalThis.navigator?.hardwareConcurrency ?? 1) >= 4 ? 2 : 1;
}

/**
 * Web Workers, each job to the one with the fewest jobs in flight, or null where there are none
 * (node, tests) or they cannot start.
 */
function startWorkers(count: number): Evaluator | null {
  if (typeof Worker === "undefined") return null;
  const workers: { worker: Worker; jobs: number }[] = [];
  const evaluator: Evaluator = {
    post: (job) => {
      const free = workers.reduce((best, w) => (w.jobs < best.jobs ? w : best));
      free.jobs++;
      free.worker.postMessage(job);
    },
    onResult: () => {},
    onFailure: () => {},
  };
  try {
    for (let i = 0; i < count; i++) {
      const entry = {
        worker: new Worker(new URL("./evaluate.worker.ts", import.meta.url), { type: "module" }),
        jobs: 0,
      };
      entry.worker.onmessage = (event: MessageEvent<EvaluateResult>) => {
        entry.jobs--;
        evaluator.onResult(event.data);
      };
      entry.worker.onerror = () => {
        workers.forEach(({ worker }) => worker.terminate());
        evaluator.onFailure();
      };
      workers.push(entry);
    }
    return evaluator;
  } catch {
    workers.forEach(({ worker }) => worker.terminate());
    return null;
  }
}

/** Evaluates on the calling thread, answering at once. */
export function inlineEvaluator(): Evaluator {
  const evaluator: Evaluator = {
    post: (job) => {
      const started = performance.now();
      try {
        const grid = evaluateGrid(compileNet(job.weights), job.box, job.side, job.line);
        evaluator.onResult({ id: job.id, grid, ms: performance.now() - started, engine: "js" });
      } catch (error) {
        evaluator.onResult({ id: job.id, error: (error as Error).message });
      }
    },
    onResult: () => {},
    onFailure: () => {},
  };
  return evaluator;
}

export class PageGrid {
  /** Side of the grid the next evaluation makes. */
  side: number = SIDES[0];
  /** Grids evaluated so far (the live bench reads it). */
  evaluated = 0;
  private evaluator: Evaluator | null = null;
  /** Jobs posted and not yet answered, oldest first. */
  private inFlight: EvaluateJob[] = [];
  private waiting: EvaluateJob | null = null;
  /** Id of the newest result shown: an older one arriving later (another worker's) is dropped. */
  private shownId = 0;
  private nextId = 1;
  /** Results of jobs before this id are stale: a server grid came after them. */
  private validFrom = 0;
  private smoothedMs = 0;

  private readonly pinned: number | null;
  private readonly webgl: EvaluateJob["webgl"];
  /** What evaluated the last grid shown: "webgl", "js", or "" before the first. */
  engine = "";

  constructor(
    private readonly deliver: (grid: DecodedGrid) => void,
    private readonly report: (text: string) => void,
    private readonly makeEvaluator: () => Evaluator = () =>
      startWorkers(workersOf(search)) ?? inlineEvaluator(),
    search: string = globalThis.location?.search ?? "",
  ) {
    this.pinned = pinnedSide(search);
    const gl = new URLSearchParams(search).get("grid_gl");
    this.webgl = gl === "1" ? "on" : gl === "0" ? "off" : "auto";
    if (this.pinned !== null) this.side = this.pinned;
  }

  /**
   * Evaluates `weights` over `box` (a line for 1D data) soon; a newer call replaces it. A
   * `resting` frame (training paused) gets the finest side whatever the time, so a paused
   * picture is the same on every page (a published run, say).
   */
  submit(weights: NetWeights, box: Box, line: boolean, resting = false): void {
    const side = line ? LINE_SAMPLES : resting ? (this.pinned ?? SIDES[0]) : this.side;
    const job = { id: this.nextId++, weights, box, side, line, webgl: this.webgl };
    if (this.inFlight.length >= IN_FLIGHT) this.waiting = job;
    else this.start(job);
  }

  /** A server grid replaced the page's: drop what is evaluating or waiting. */
  cancel(): void {
    this.validFrom = this.nextId;
    this.waiting = null;
  }

  private start(job: EvaluateJob): void {
    if (!this.evaluator) this.use(this.makeEvaluator());
    this.inFlight.push(job);
    this.evaluator!.post(job);
  }

  private use(evaluator: Evaluator): void {
    this.evaluator = evaluator;
    evaluator.onResult = (result) => this.finished(result);
    evaluator.onFailure = () => {
      // The worker would not run (blocked, or failed to load): evaluate here from now on.
      this.use(inlineEvaluator());
      const job = this.waiting ?? this.inFlight.at(-1);
      this.waiting = null;
      this.inFlight = [];
      if (job) this.start(job);
    };
  }

  private finished(result: EvaluateResult): void {
    this.inFlight = this.inFlight.filter((job) => job.id !== result.id);
    if (result.id >= this.validFrom && result.id > this.shownId) {
      if ("error" in result) {
        this.report(`The page could not evaluate the network's weights: ${result.error}`);
      } else {
        this.evaluated++;
        this.shownId = result.id;
        this.engine = result.engine ?? "js";
        drawCounts.evaluator = this.engine;
        if (result.grid.height > 1 && this.pinned === null) {
          this.smoothedMs = this.smoothedMs ? 0.7 * this.smoothedMs + 0.3 * result.ms : result.ms;
          this.side = nextSide(result.grid.width, this.smoothedMs);
          if (this.side !== result.grid.width) this.smoothedMs = 0;
        }
        this.deliver(result.grid);
      }
    }
    const next = this.waiting;
    this.waiting = null;
    if (next) this.start(next);
  }
}
