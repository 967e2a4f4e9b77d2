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
      "your 2D classification dataset (circle for other data) at 200 points, 30 of them to " +
      "train with label noise 0.2; one ReLU hidden layer; the output layer solved by least " +
      "squares (random features)",
    setup: (s) => {
      const own = s.training.loss !== "mse" && !["digits", "custom"].includes(s.dataset.name);
      return {
        ...s,
        network: {
          ...s.network,
          features: own ? s.network.features : ["x1", "x2"],
          hidden: [plainLayer(8, "relu")],
        },
        dataset: {
          ...s.dataset,
          name: own ? s.dataset.name : "circle",
          classes: own ? s.dataset.classes : 2,
          points: 200,
          train_fraction: 0.15,
          label_noise: 0.2,
        },
        training: { ...s.training, loss: own ? s.training.loss : "bce", readout: "least_squares" },
      };
    },
    form: {
      axes: [
        {
          ...axisForm("width"),
          mode: "list",
          list: "1, 2, 4, 6, 8, 12, 16, 20, 24, 27, 29, 31, 33, 36, 40, 48, 64, 96, 128",
          layer: 0,
        },
      ],
      seeds: 10,
      steps: 1,
    },
    metric: "accuracy",
    threshold: { metric: "test_accuracy", value: 0.75 },
    caption:
      "Random features, 30 training points, 20% of their labels flipped. The hidden layer " +
      "keeps its random start and the output layer is the least-squares fit, so the " +
      "parameters that learn are the output layer's: the dashed line marks where they equal " +
      "the training points, the interpolation threshold. Test accuracy climbs, falls to near " +
      "chance at the threshold (the only fit through every noisy point has huge weights), and " +
      "climbs again as the network grows past it: double descent. Switch to loss to see the " +
      "peak (its mean is dominated by the worst seeds), or load a point near the dashed line " +
      "and look at its boundary. Try tanh: its second descent is much weaker.",
  },
];
