import { describe, expect, it } from "vitest";
import { compileNet, erf, evaluateGrid } from "./evaluate";
import type { DecodedGrid } from "./grid";
import {
  PageGrid,
  nextSide,
  pinnedSide,
  workersOf,
  type EvaluateJob,
  type EvaluateResult,
  type Evaluator,
} from "./pageGrid";
import type { NetWeights } from "./protocol.gen";

const BOX = [-1, 1, -1, 1] as const;

function weights(
  values: number[],
  ops = ["linear:1"],
  head: NetWeights["head"] = "identity",
): NetWeights {
  return {
    features: ["x1", "x2"],
    ops,
    head,
    data: new Uint8Array(new Float32Array(values).buffer),
  };
}

/** An evaluator that answers when told to, so the test sees what waits and what runs. */
class Manual implements Evaluator {
  jobs: EvaluateJob[] = [];
  onResult: (result: EvaluateResult) => void = () => {};
  onFailure: () => void = () => {};
  post(job: EvaluateJob): void {
    this.jobs.push(job);
  }
  answer(): void {
    const job = this.jobs.shift()!;
    const grid = evaluateGrid(compileNet(job.weights), job.box, job.side, job.line);
    this.onResult({ id: job.id, grid, ms: 1 });
  }
}

describe("the page's evaluator", () => {
  it("computes a linear model at the cell centres, row 0 at the top", () => {
    // out = 2·x1 - 3·x2 + 0.5 on a 2×2 grid of [-1, 1]²: centres at ±0.5
    const grid = evaluateGrid(compileNet(weights([2, -3, 0.5])), BOX, 2);
    expect(grid.kind).toBe("value");
    expect(Array.from(grid.planes[0]!)).toEqual([
      -1 - 1.5 + 0.5,
      1 - 1.5 + 0.5,
      -1 + 1.5 + 0.5,
      1 + 1.5 + 0.5,
    ]);
  });

  it("says which weights do not fit their ops", () => {
    expect(() => compileNet(weights([1, 2]))).toThrow(/end early/);
    expect(() => compileNet(weights([1, 2, 3, 4]))).toThrow(/left over/);
    expect(() => compileNet(weights([1, 2, 3], ["linear:1", "act:user_expr"]))).toThrow(
      /unknown op/,
    );
    expect(() => compileNet(weights([1, 2, 3], ["linear:1"], "softmax"))).toThrow(/softmax/);
  });

  it("has an erf good to float32 and beyond", () => {
    // Reference values of erf (Abramowitz & Stegun, table 7.1).
    expect(erf(0.1)).toBeCloseTo(0.112462916, 9);
    expect(erf(0.5)).toBeCloseTo(0.5204998778, 9);
    expect(erf(1)).toBeCloseTo(0.8427007929, 9);
    expect(erf(-2)).toBeCloseTo(-0.995322265, 9);
    expect(erf(7)).toBe(1);
  });
});

/** A PageGrid on a Manual evaluator, and the grids it shows. */
function setup(): { manual: Manual; shown: DecodedGrid[]; pageGrid: PageGrid } {
  const manual = new Manual();
  const shown: DecodedGrid[] = [];
  const pageGrid = new PageGrid(
    (grid) => shown.push(grid),
    () => {},
    () => manual,
    "",
  );
  return { manual, shown, pageGrid };
}

describe("PageGrid", () => {
  it("keeps two jobs in flight, only the newest waiting, and drops overtaken results", () => {
    const { manual, shown, pageGrid } = setup();
    pageGrid.submit(weights([1, 0, 0]), BOX, false);
    pageGrid.submit(weights([2, 0, 0]), BOX, false); // in flight too: queued behind the first
    pageGrid.submit(weights([3, 0, 0]), BOX, false); // waits
    pageGrid.submit(weights([4, 0, 0]), BOX, false); // replaces the waiting one
    expect(manual.jobs.map((job) => job.id)).toEqual([1, 2]);
    manual.answer();
    expect(shown).toHaveLength(1);
    expect(manual.jobs.map((job) => job.id)).toEqual([2, 4]); // the newest now in flight
    pageGrid.cancel(); // a server grid arrived meanwhile
    manual.answer();
    manual.answer();
    expect(shown).toHaveLength(1);
  });

  it("drops a result that arrives after a newer one (two workers)", () => {
    const { manual, shown, pageGrid } = setup();
    pageGrid.submit(weights([1, 0, 0]), BOX, false);
    pageGrid.submit(weights([2, 0, 0]), BOX, false);
    manual.jobs.reverse(); // the second worker finishes first
    manual.answer();
    manual.answer();
    expect(shown.map((grid) => grid.planes[0]![0])).toEqual([2 * (-1 + 1 / 256)]); // job 2 (x1 weight 2) only
  });

  it("reports weights it cannot evaluate", () => {
    const manual = new Manual();
    const errors: string[] = [];
    const pageGrid = new PageGrid(
      () => {},
      (text) => errors.push(text),
      () => manual,
    );
    pageGrid.submit(weights([1]), BOX, false);
    manual.onResult({ id: 1, error: "boom" });
    expect(errors[0]).toMatch(/could not evaluate.*boom/);
  });

  it("evaluates 1D data along its line at the server's 256 samples", () => {
    const { manual, shown, pageGrid } = setup();
    pageGrid.submit({ ...weights([1, 0]), features: ["x1"] }, [-2, 2, -1, 1], true);
    manual.answer();
    expect([shown[0]!.width, shown[0]!.height]).toEqual([256, 1]);
    expect(shown[0]!.planes[0]![0]).toBe(-2);
    expect(shown[0]!.planes[0]![255]).toBe(2);
  });
});

describe("PageGrid sides", () => {
  it("evaluates a resting frame at the finest side, whatever the side while training", () => {
    const { manual, shown, pageGrid } = setup();
    pageGrid.side = 96;
    pageGrid.submit(weights([1, 0, 0]), BOX, false);
    manual.answer();
    pageGrid.submit(weights([1, 0, 0]), BOX, false, true);
    manual.answer();
    expect(shown.map((grid) => grid.width)).toEqual([96, 256]);
  });
});

describe("pinnedSide", () => {
  it("pins a side the page offers, else lets it adapt", () => {
    expect(pinnedSide("?grid_side=256")).toBe(256);
    expect(pinnedSide("?grid_side=100")).toBeNull();
    expect(pinnedSide("")).toBeNull();
  });
});

describe("workersOf", () => {
  it("takes one or two workers from the URL, else two where there are four cores", () => {
    expect(workersOf("?grid_workers=1")).toBe(1);
    expect(workersOf("?grid_workers=2")).toBe(2);
    const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
    expect(workersOf("?grid_workers=7")).toBe(cores >= 4 ? 2 : 1);
  });
});

describe("nextSide", () => {
  it("coarsens a slow grid and refines a fast one", () => {
    expect(nextSide(256, 30)).toBe(192);
    expect(nextSide(128, 1)).toBe(192);
    expect(nextSide(256, 1)).toBe(256);
    expect(nextSide(192, 8)).toBe(192);
  });
});
