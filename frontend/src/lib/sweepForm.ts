// What the Sweep panel's form holds (one or two axes, each a list or a range), how it becomes a
// SweepRequest, and the presets that set up a classic question and its form.

import { plainLayer } from "./network";
import type { RunSettings } from "./protocol.gen";
import { expandRange, parseList, sweepSettingInfo, type Threshold, type Values } from "./sweepMath";
import type { SweepLimits, SweepRequest, SweepSetting } from "./sweepWire";

export interface AxisForm {
  setting: SweepSetting;
  /** Width only: the hidden layer (0-based), or null for every layer. */
  layer: number | null;
  mode: "list" | "range";
  list: string;
  from: number;
  to: number;
  count: number;
  spacing: "linear" | "log";
}

export interface SweepForm {
  axes: AxisForm[];
  seeds: number;
  steps: number;
}

/** An axis over `setting` with a sensible first range. */
export function axisForm(setting: SweepSetting): AxisForm {
  const start: Record<SweepSetting, [number, number, number]> = {
    seed: [0, 9, 10],
    width: [2, 32, 5],
    depth: [1, 4, 4],
    learning_rate: [0.003, 0.3, 5],
    batch_size: [4, 64, 5],
    weight_decay: [0.0001, 0.1, 4],
    dropout: [0, 0.5, 3],
    label_noise: [0, 0.3, 4],
    points: [50, 800, 5],
  };
  const [from, to, count] = start[setting];
  const spacing = sweepSettingInfo(setting).log ? "log" : "linear";
  return { setting, layer: null, mode: "range", list: "", from, to, count, spacing };
}

export function defaultForm(): SweepForm {
  return { axes: [axisForm("learning_rate")], seeds: 3, steps: 500 };
}

/** The axis' values, from its list or its range. */
export function axisValues(axis: AxisForm): Values {
  const { integer } = sweepSettingInfo(axis.setting);
  return axis.mode === "list"
    ? parseList(axis.list, integer)
    : expandRange(axis.from, axis.to, axis.count, axis.spacing, integer);
}

/** The request the form describes, or the first thing to fix in it (checked against `limits`). */
export function formRequest(
  form: SweepForm,
  limits: SweepLimits,
): { request: SweepRequest; error: null } | { request: null; error: string } {
  const axes = [];
  for (const [i, axis] of form.axes.entries()) {
    const values = axisValues(axis);
    if (values.error !== null) return { request: null, error: `Axis ${i + 1}: ${values.error}` };
    if (values.values.length > limits.max_sweep_axis_values) {
      const error = `Axis ${i + 1}: at most ${limits.max_sweep_axis_values} values, got ${values.values.length}`;
      return { request: null, error };
    }
    axes.push({ setting: axis.setting, values: values.values, layer: axis.layer });
  }
  if (new Set(axes.map((axis) => axis.setting)).size !== axes.length) {
    return { request: null, error: "The two axes must vary different settings" };
  }
  const seeded = axes.some((axis) => axis.setting === "seed");
  const seeds = seeded ? 1 : form.seeds;
  if (!Number.isInteger(seeds) || seeds < 1 || seeds > limits.max_sweep_seeds) {
    return { request: null, error: `Seeds per point: 1 … ${limits.max_sweep_seeds}` };
  }
  if (!Number.isInteger(form.steps) || form.steps < 1 || form.steps > limits.max_sweep_steps) {
    return { request: null, error: `Steps: 1 … ${limits.max_sweep_steps}` };
  }
  return { request: { axes, seeds_per_point: seeds, steps: form.steps }, error: null };
}

/** A preset: the setup it trains (applied before the sweep), its form and how to read it. */
export interface SweepPreset {
  id: string;
  label: string;
  /** What `setup` changes, for the panel to say. */
  changes: string;
  /** The current settings changed to the preset's setup. */
  setup: (settings: RunSettings) => RunSettings;
  form: SweepForm;
  metric: "loss" | "accuracy";
  threshold: Threshold;
  /** What the learner should look for, shown with the results. */
  caption: string;
}

export const SWEEP_PRESETS: readonly SweepPreset[] = [
  {
    id: "xor-seeds",
    label: "XOR: how many of 100 seeds solve it with 2, 3, 4, 8 units",
    changes:
      "the classic XOR (xor4: four clusters, noise 0.25, 100 points), one tanh hidden layer, Adam 0.03, batch 10",
    setup: (s) => ({
      ...s,
      network: { ...s.network, features: ["x1", "x2"], hidden: [plainLayer(2, "tanh")] },
      dataset: { ...s.dataset, name: "xor4", points: 100, noise: 0.25, label_noise: 0 },
      training: { ...s.training, optimizer: "adam", learning_rate: 0.03, batch_size: 10 },
    }),
    form: {
      axes: [{ ...axisForm("width"), mode: "list", list: "2, 3, 4, 8", layer: 0 }],
      seeds: 100,
      steps: 300,
    },
    metric: "accuracy",
    threshold: { metric: "test_accuracy", value: 0.95 },
    caption:
      "Success = test accuracy ≥ 95% after 300 steps. Two tanh units are enough for XOR (a band " +
      "between two parallel lines holds one class), but from a random start gradient descent " +
      "often settles in a local minimum: watch the success rate climb as extra units give it " +
      "more ways down (lesson 4's experiment: about 3 in 10 starts with two units).",
  },
  {
    id: "double-descent",
    label: "Double descent on my network",
    changes:
      "200 points (30 to train, 170 to test), label noise 0.2, one hidden layer, full-batch Adam 0.01",
    setup: (s) => ({
      ...s,
      network: { ...s.network, hidden: [plainLayer(8, s.network.hidden[0]?.activation ?? "relu")] },
      dataset: { ...s.dataset, points: 200, train_fraction: 0.15, label_noise: 0.2 },
      training: { ...s.training, optimizer: "adam", learning_rate: 0.01, batch_size: 30 },
    }),
    form: {
      axes: [{ ...axisForm("width"), from: 1, to: 128, count: 12, layer: null }],
      seeds: 10,
      steps: 3000,
    },
    metric: "loss",
    threshold: { metric: "test_loss", value: 0.5 },
    caption:
      "Label noise 0.2 on 30 training points, full-batch Adam. The dashed line marks the " +
      "interpolation threshold, where the parameters equal the training points: roughly the " +
      "smallest net that can fit every noisy label. Double descent is test error rising to it, " +
      "peaking near it, and falling again as the net grows far past it; training loss falls " +
      "throughout. Whether your network shows the second descent is the experiment: with 128 " +
      "units (about 25× the threshold here) and a few thousand steps it is often weak or " +
      "noisy, so compare loss and accuracy, and try more seeds, more steps or another dataset.",
  },
];
