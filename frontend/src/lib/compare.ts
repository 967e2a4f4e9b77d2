// What a comparison may vary, each setting's current value, the values the dialog suggests,
// and how a lane is named in legends. Pure: the dialog and the lanes store read it.

import type { CompareCommand, RunSettings } from "./protocol.gen";

export type CompareSetting = CompareCommand["setting"];
export type LaneValue = CompareCommand["values"][number];

/** Where a setting's choices come from: a catalog list, or numbers typed in. */
export type ChoiceKind = "activations" | "optimizers" | "inits" | "number";

export interface SettingInfo {
  setting: CompareSetting;
  label: string;
  kind: ChoiceKind;
  /** Short prefix of a number in a legend ("lr 0.03"); names stand alone. */
  short: string;
}

/** What the dialog offers to vary, in the order it lists them. */
export const COMPARE_SETTINGS: readonly SettingInfo[] = [
  {
    setting: "activation",
    label: "Activation (all hidden layers)",
    kind: "activations",
    short: "",
  },
  { setting: "learning_rate", label: "Learning rate", kind: "number", short: "lr" },
  { setting: "optimizer", label: "Optimizer", kind: "optimizers", short: "" },
  { setting: "width", label: "Width (units per hidden layer)", kind: "number", short: "width" },
  { setting: "depth", label: "Depth (hidden layers)", kind: "number", short: "depth" },
  { setting: "batch_size", label: "Batch size", kind: "number", short: "batch" },
  { setting: "l2", label: "L2 regularization", kind: "number", short: "L2" },
  { setting: "dropout", label: "Dropout (all hidden layers)", kind: "number", short: "dropout" },
  { setting: "init", label: "Initialisation", kind: "inits", short: "init" },
];

export function settingInfo(setting: CompareSetting): SettingInfo {
  return COMPARE_SETTINGS.find((info) => info.setting === setting)!;
}

/** The run's value of `setting`: lane 1's. For per-layer settings, the first layer's. */
export function currentValue(settings: RunSettings, setting: CompareSetting): LaneValue {
  const { network, training } = settings;
  const first = network.hidden[0];
  switch (setting) {
    case "activation":
      return first?.activation ?? "tanh";
    case "width":
      return first?.units ?? 4;
    case "dropout":
      return first?.dropout ?? 0;
    case "depth":
      return network.hidden.length;
    case "init":
      return network.init;
    case "learning_rate":
    case "optimizer":
    case "batch_size":
    case "l2":
      return training[setting];
  }
}

/** A lane's name in the legend and the table: "relu", "lr 0.03", "width 8". */
export function laneLabel(setting: CompareSetting, value: LaneValue): string {
  const { short } = settingInfo(setting);
  return short && typeof value === "number" ? `${short} ${value}` : String(value);
}

/** The catalog names a name setting chooses from. */
export interface ChoiceLists {
  activations: readonly string[];
  optimizers: readonly string[];
  inits: readonly string[];
  /** The catalog's max_units and max_hidden_layers. */
  maxUnits: number;
  maxLayers: number;
}

const PREFERRED: Record<Exclude<ChoiceKind, "number">, readonly string[]> = {
  activations: ["relu", "tanh", "sigmoid", "linear"],
  optimizers: ["sgd", "adam", "momentum", "rmsprop"],
  inits: ["default", "he", "xavier_uniform", "zeros"],
};

/** Round to 3 significant digits, so suggestions read well (0.003, not 0.0030000000000000005). */
const tidy = (value: number): number => Number(value.toPrecision(3));

/**
 * `count` values to put beside `current` in new lanes: for names, others from the catalog
 * (common ones first); for numbers, a step down and a step up (then further up).
 */
export function suggestValues(
  setting: CompareSetting,
  current: LaneValue,
  count: number,
  lists: ChoiceLists,
): LaneValue[] {
  const { kind } = settingInfo(setting);
  if (kind !== "number") {
    const known = lists[kind];
    const ordered = [...PREFERRED[kind].filter((name) => known.includes(name)), ...known];
    return [...new Set(ordered)].filter((name) => name !== current).slice(0, count);
  }
  const v = Number(current);
  const candidates: Record<string, number[]> = {
    learning_rate: [v / 10, v * 10, v / 100, v * 100],
    width: [Math.round(v / 2), v * 2, v * 4, v + 1],
    depth: [v - 1, v + 1, v + 2, v + 3],
    batch_size: [Math.round(v / 2), v * 2, v * 4, v + 1],
    l2: v === 0 ? [0.001, 0.01, 0.1] : [v / 10, v * 10, 0],
    dropout: v === 0 ? [0.2, 0.5, 0.8] : [0, Math.min(0.9, v + 0.2), Math.max(0, v - 0.2)],
  };
  const fitting = (candidates[setting] ?? [])
    .map(tidy)
    .filter((x) => x >= 0 && x !== v)
    .filter((x) => setting !== "width" || (x >= 1 && x <= lists.maxUnits))
    .filter((x) => setting !== "depth" || x <= lists.maxLayers);
  return [...new Set(fitting)].slice(0, count);
}
