// The charts' "RangeError: Invalid array length": uPlot's tick loops run away on some ranges.
// uPlot runs here on a do-nothing DOM, and a runaway loop is caught by bounding Array#push
// (unbounded, node dies of it instead of throwing as the browser does).
import type uPlot from "uplot";
import { beforeAll, describe, expect, it } from "vitest";
import { compactTick, fitLabelWidth, guardScales, safeRange } from "./chartAxis";

/** A do-nothing DOM object: every property is another stub, every call returns one, reads 0. */
function stub(): unknown {
  const own = new Map<PropertyKey, unknown>();
  return new Proxy(function () {}, {
    get(_t, key) {
      if (key === Symbol.toPrimitive) return () => 0;
      if (key === "then") return undefined;
      if (!own.has(key)) own.set(key, stub());
      return own.get(key);
    },
    set(_t, key, value) {
      own.set(key, value);
      return true;
    },
    apply: () => stub(),
    construct: () => stub() as object,
  });
}

/** Runs `run` with Array#push limited to `limit` calls; a runaway loop throws "runaway". */
function bounded<T>(run: () => T, limit = 100_000): T {
  const push = Array.prototype.push;
  let calls = 0;
  Array.prototype.push = function (this: unknown[], ...items: unknown[]) {
    if (++calls > limit) throw new RangeError("runaway");
    return push.apply(this, items);
  };
  try {
    return run();
  } finally {
    Array.prototype.push = push;
  }
}

let UPlot: typeof uPlot;

beforeAll(async () => {
  const g = globalThis as Record<string, unknown>;
  g.window ??= stub();
  g.document ??= stub();
  g.navigator ??= { language: "en-US" };
  g.devicePixelRatio ??= 1;
  g.matchMedia ??= stub();
  g.HTMLElement ??= class {};
  UPlot = (await import("uplot")).default;
});

type Splits = (
  self: uPlot,
  axis: number,
  min: number,
  max: number,
  incr: number,
  space: number,
) => number[];

/** uPlot's own tick splitting of a log (or linear) y axis, as a built chart holds it. */
function uplotSplits(log: boolean): { plot: uPlot; splits: Splits } {
  const plot = new UPlot(
    {
      width: 200,
      height: 100,
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: false }, y: log ? { distr: 3 } : {} },
      series: [{}, {}],
    },
    [
      [0, 1],
      [1, 2],
    ],
    document.body,
  );
  return { plot, splits: plot.axes[1]!.splits as unknown as Splits };
}

describe("uPlot's tick splits (the RangeError)", () => {
  it("run away on a log range that does not start on a decade (the monitors' old min/2)", () => {
    const { plot, splits } = uplotSplits(true);
    expect(() => bounded(() => splits(plot, 1, 0.00095, 0.02, 0, 30))).toThrow("runaway");
  });

  it("end on every range safeRange gives, log or linear, whatever the data", () => {
    const awkward = [
      null,
      NaN,
      Infinity,
      -Infinity,
      0,
      -1,
      1e-300,
      3.7e-7,
      0.00095,
      0.02,
      1,
      1.5e5,
      1e17,
      1e300,
    ];
    for (const log of [true, false]) {
      const { plot, splits } = uplotSplits(log);
      for (const min of awkward) {
        for (const max of awkward) {
          const [lo, hi] = safeRange(min, max, log);
          expect(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi).toBe(true);
          // uPlot's own increment search gives the step; a sane one for a 100 px axis.
          const incr = log
            ? 0
            : Number((10 ** Math.ceil(Math.log10((hi - lo) / 4))).toPrecision(1));
          // Ending is the point: a runaway throws, naming the range.
          try {
            bounded(() => splits(plot, 1, lo, hi, incr, 30));
          } catch (error) {
            throw new Error(`${log ? "log" : "linear"} [${lo}, ${hi}]: ${String(error)}`);
          }
        }
      }
    }
  });

  it("snaps a log range to whole decades", () => {
    expect(safeRange(0.00095, 0.02, true)).toEqual([0.0001, 0.1]);
    expect(safeRange(2e-7, 3e-5, true)).toEqual([1e-7, 0.0001]);
    expect(safeRange(null, null, true)).toEqual([0.1, 1]);
    expect(safeRange(5, 5, true)).toEqual([1, 10]);
  });

  it("guardScales routes a chart's own range functions through safeRange", () => {
    const guarded = guardScales({
      width: 1,
      height: 1,
      series: [],
      scales: {
        x: { time: false },
        y: { distr: 3, range: (_u, min, max) => [min / 2, max * 2] },
        z: { range: () => [NaN, Infinity] },
      },
    });
    const range = (key: string) =>
      (guarded.scales![key]!.range as uPlot.Range.Function)(null as never, 0.0019, 0.01, key);
    expect(range("y")).toEqual([0.0001, 0.1]);
    const [lo, hi] = range("z") as [number, number];
    expect(Number.isFinite(lo) && Number.isFinite(hi) && lo < hi).toBe(true);
    expect(guarded.scales!.x).toEqual({ time: false });
  });
});

describe("tick labels", () => {
  it("are compact enough never to be cut", () => {
    expect([100_000, 45_000, 2_500_000, 0, 0.5, 1e-5, 3e9].map(compactTick)).toEqual([
      "100k",
      "45k",
      "2.5M",
      "0",
      "0.5",
      "1e-5",
      "3e9",
    ]);
  });

  it("set the axis width from the widest label", () => {
    const size = fitLabelWidth(30, 10) as (s: uPlot, v: string[], i: number, c: number) => number;
    expect(size(null as never, ["1", "2"], 1, 0)).toBe(30);
    expect(size(null as never, ["-0.0001", "1"], 1, 0)).toBeGreaterThanOrEqual(7 * 6);
  });
});
