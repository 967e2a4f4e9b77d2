// The render benchmark (`#bench` in the URL): instead of a socket, synthetic but realistic events
// go through the store's apply(), a 256×256 frame per display frame and a loss history of 100,000
// samples and growing, and the page's draws are counted. Results land on window.__renderBench.

import { drawCounts } from "./draw/counts";
import { SETTINGS as BASE, dataset, frame, hello } from "./fixtures";
import { encodeFloat16 } from "./float16";
import type { DatasetEvent, FrameEvent, NetWeights, RunSettings } from "./protocol.gen";
import type { Playground } from "./store.svelte";

export interface BenchOptions {
  /** Grid cells per side. */
  grid: number;
  /** Loss samples already in the history when measuring starts. */
  prefill: number;
  /** Loss samples each frame adds (the server sends at most 2,000). */
  perFrame: number;
  warmupS: number;
  measureS: number;
  /** Frames carry a 2-8-8-1 tanh network's weights for the page to evaluate, not a grid. */
  weights: boolean;
}

export interface RenderBenchResult {
  done: true;
  /** Display frames per second in which the heatmap drew a new grid, over the whole window. */
  fps: number;
  /** The same in the window's first and last second: equal when nothing slows down. */
  fpsFirstS: number;
  fpsLastS: number;
  /** Loss chart redraws per second over the window. */
  chartFps: number;
  /** Animation frame callbacks per second (drawn or not). */
  rafPerS: number;
  /** Samples in the loss history at the end. */
  chartPoints: number;
  /** Mean milliseconds per frame spent applying events (decoding the grid, growing history). */
  applyMs: number;
  measureS: number;
}

declare global {
  interface Window {
    __renderBench?: RenderBenchResult | { done: false; measuring?: boolean };
  }
}

export const DEFAULTS: BenchOptions = {
  grid: 256,
  prefill: 100_000,
  perFrame: 50,
  warmupS: 2,
  measureS: 5,
  weights: false,
};

/** The options of `#bench` or `?bench=1`, with overrides like `#bench&measure=30`; else null. */
export function benchOptions(location: { hash: string; search: string }): BenchOptions | null {
  const hash = new URLSearchParams(location.hash.replace(/^#/, ""));
  const search = new URLSearchParams(location.search);
  if (!hash.has("bench") && search.get("bench") !== "1") return null;
  const number = (name: string, fallback: number): number => {
    const value = Number(hash.get(name) ?? search.get(name) ?? NaN);
    return Number.isFinite(value) && value >= 0 ? value : fallback;
  };
  return {
    grid: Math.max(2, Math.round(number("grid", DEFAULTS.grid))),
    prefill: Math.round(number("prefill", DEFAULTS.prefill)),
    perFrame: Math.round(number("per_frame", DEFAULTS.perFrame)),
    warmupS: number("warmup", DEFAULTS.warmupS),
    measureS: Math.max(1, number("measure", DEFAULTS.measureS)),
    weights: number("weights", 0) > 0,
  };
}

/** The default session's setup on 2-8-8-1, Adam, as the page trains it. */
const SETTINGS: RunSettings = {
  ...BASE,
  network: {
    ...BASE.network,
    hidden: BASE.network.hidden.map((layer) => ({ ...layer, units: 8 })),
  },
  dataset: { ...BASE.dataset, noise: 0.1 },
  training: { ...BASE.training, optimizer: "adam" },
};

/** A fixed-seed circle dataset: class 1 inside radius 3, class 0 in a ring outside it. */
function circleDataset(points: number): DatasetEvent {
  let seed = 1;
  const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
  const xs: [number, number][] = [];
  const ys: number[] = [];
  for (let i = 0; i < points; i++) {
    const inside = i % 2;
    const r = inside ? random() * 2.5 : 3.5 + random() * 2;
    const angle = random() * 2 * Math.PI;
    xs.push([r * Math.cos(angle), r * Math.sin(angle)]);
    ys.push(inside);
  }
  const half = Math.floor(points / 2);
  return dataset({
    train_x: xs.slice(0, half),
    train_y: ys.slice(0, half),
    test_x: xs.slice(half),
    test_y: ys.slice(half),
  });
}

/** Grids in a loop of this many frames, made before measuring so that making them costs nothing. */
const GRID_LOOP = 120;

/** Makes frames: a round boundary that wobbles and drifts, and a slowly falling noisy loss. */
class FrameMaker {
  private readonly grids: Uint8Array[] = [];
  private step = 0;
  private frames = 0;

  constructor(
    private readonly size: number,
    private readonly weights = false,
  ) {
    const n = size;
    const values = new Float32Array(n * n);
    const wave = new Float32Array(n);
    for (let f = 0; f < GRID_LOOP; f++) {
      const angle = (2 * Math.PI * f) / GRID_LOOP;
      const cx = Math.sin(angle);
      const cy = Math.cos(2 * angle) / 2;
      for (let j = 0; j < n; j++) wave[j] = Math.sin((j / n) * 12 + angle * 3);
      for (let i = 0; i < n; i++) {
        const y = 6 - (12 * (i + 0.5)) / n - cy;
        for (let j = 0; j < n; j++) {
          const x = -6 + (12 * (j + 0.5)) / n - cx;
          const z = 9 - x * x - y * y + 2 * wave[j]! * wave[i]!;
          values[i * n + j] = 1 / (1 + Math.exp(-z));
        }
      }
      this.grids.push(encodeFloat16(values));
    }
  }

  next(samples: number): FrameEvent {
    const n = this.size;
    const grid = this.grids[this.frames++ % GRID_LOOP]!;
    const weights = this.weights ? wobblingWeights(this.frames) : null;
    const steps: number[] = [];
    const train: number[] = [];
    const test: number[] = [];
    for (let k = 0; k < samples; k++) {
      const step = ++this.step;
      const base = 0.05 + 0.65 * Math.exp(-step / 30_000);
      steps.push(step);
      const noise = Math.abs(Math.sin(step * 12.9898) * 43758.5453) % 1;
      train.push(base * (1 + 0.3 * noise));
      test.push(base * 1.15 + 0.01 * Math.sin(step / 500));
    }
    return frame({
      step: this.step,
      train_loss: train.at(-1) ?? 0,
      test_loss: test.at(-1) ?? 0,
      train_accuracy: 0.9,
      test_accuracy: 0.88,
      history: { steps, train_loss: train, test_loss: test },
      grid: weights ? null : { width: n, height: n, kind: "probability", data: grid },
      weights,
    });
  }
}

/** A 2-8-8-1 tanh network's weights (105 values) that wobble from frame to frame. */
function wobblingWeights(frameNumber: number): NetWeights {
  const angle = (2 * Math.PI * frameNumber) / GRID_LOOP;
  const values = Float32Array.from(
    { length: 105 },
    (_, i) => Math.sin(i * 7.1) * (1 + 0.3 * Math.sin(angle + i)),
  );
  return {
    features: ["x1", "x2"],
    ops: ["linear:8", "act:tanh", "linear:8", "act:tanh", "linear:1"],
    head: "sigmoid",
    data: new Uint8Array(values.buffer),
  };
}

/**
 * Feeds the store one frame per display frame and counts the frames the page draws. Events
 * arrive as tasks posted from each animation frame, as websocket messages arrive between frames.
 */
export function runRenderBench(
  store: Playground,
  options: BenchOptions,
): Promise<RenderBenchResult> {
  window.__renderBench = { done: false };
  store.setConnection("open");
  store.apply({ ...hello(SETTINGS), version: "bench" });
  store.apply(circleDataset(SETTINGS.dataset.points));
  const maker = new FrameMaker(options.grid, options.weights);
  store.apply(maker.next(options.prefill));

  const channel = new MessageChannel();
  let applyMs = 0;
  let applied = 0;
  channel.port1.onmessage = () => {
    const frame = maker.next(options.perFrame);
    const start = performance.now();
    store.apply(frame);
    applyMs += performance.now() - start;
    applied++;
  };

  return new Promise((resolve) => {
    const ticks: { at: number; drew: boolean; chart: number }[] = [];
    let lastHeatmap = drawCounts.heatmap;
    let measureFrom = Infinity;
    let appliedFrom = 0;
    let applyMsFrom = 0;
    const begin = performance.now();
    const tick = (now: number) => {
      if (measureFrom === Infinity && now - begin >= options.warmupS * 1000) {
        measureFrom = now;
        window.__renderBench = { done: false, measuring: true };
        appliedFrom = applied;
        applyMsFrom = applyMs;
      }
      if (now >= measureFrom) {
        ticks.push({
          at: now - measureFrom,
          drew: drawCounts.heatmap > lastHeatmap,
          chart: drawCounts.lossChart,
        });
      }
      lastHeatmap = drawCounts.heatmap;
      if (now - measureFrom >= options.measureS * 1000) {
        channel.port1.close();
        const result = summarise(ticks, options.measureS, store.history.length);
        result.applyMs = (applyMs - applyMsFrom) / Math.max(1, applied - appliedFrom);
        window.__renderBench = result;
        showResult(result);
        resolve(result);
        return;
      }
      channel.port2.postMessage(null);
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
}

/** The rates of the measured window from its animation frames. */
export function summarise(
  ticks: { at: number; drew: boolean; chart: number }[],
  seconds: number,
  chartPoints: number,
): RenderBenchResult {
  const end = seconds * 1000;
  const drawn = (from: number, to: number) =>
    ticks.filter((t) => t.drew && t.at > from && t.at <= to).length;
  const round = (x: number) => Math.round(x * 10) / 10;
  const chartDraws = (ticks.at(-1)?.chart ?? 0) - (ticks[0]?.chart ?? 0);
  return {
    done: true,
    fps: round(drawn(0, end) / seconds),
    fpsFirstS: drawn(0, 1000),
    fpsLastS: drawn(end - 1000, end),
    chartFps: round(chartDraws / seconds),
    rafPerS: round(ticks.length / seconds),
    chartPoints,
    applyMs: 0,
    measureS: seconds,
  };
}

function showResult(result: RenderBenchResult): void {
  const badge = document.createElement("output");
  badge.dataset["testid"] = "render-bench";
  const { fps, fpsFirstS, fpsLastS, chartPoints } = result;
  badge.textContent = `render bench: ${fps} fps (first s ${fpsFirstS}, last s ${fpsLastS}), ${chartPoints} loss points`;
  badge.style.cssText =
    "position:fixed;right:8px;bottom:8px;z-index:100;padding:4px 8px;border-radius:6px;" +
    "background:#1c2430;color:white;font:12px system-ui,sans-serif";
  document.body.append(badge);
}
