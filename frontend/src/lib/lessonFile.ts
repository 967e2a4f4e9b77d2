// "Save as lesson" and "Share this lesson": a lesson file made from the page's setup, and the
// link that opens a lesson with controls hidden. Pure functions; the components send and save.

import type { Check, CustomPoints, Lesson, RunSettings } from "./protocol.gen";
import { encodeSetupHash, withHashKey } from "./urlHash";

/** What the teacher writes on the page; the setup comes from the playground. */
export interface LessonDraft {
  number: number;
  title: string;
  summary: string;
  tryThis: string;
  checks: Pick<Check, "metric" | "op" | "value">[];
}

/** Kebab-case id from a title ("XOR, by hand!" -> "xor-by-hand"); "my-lesson" when empty. */
export function lessonId(title: string): string {
  const id = title
    .normalize("NFKD")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return id || "my-lesson";
}

const METRIC_WORDS: Record<Check["metric"], string> = {
  train_loss: "training loss",
  test_loss: "test loss",
  train_accuracy: "training accuracy",
  test_accuracy: "test accuracy",
  regions: "linear regions",
  step: "step",
  diverged_at: "diverged at step",
  experiment: "the experiment's answer",
  graph_overflow: "a node overflowed in the Graph view (1 = yes)",
};

/** "test accuracy ≥ 0.9" */
export function checkLabel(check: Pick<Check, "metric" | "op" | "value">): string {
  return `${METRIC_WORDS[check.metric]} ${check.op === ">=" ? "≥" : "≤"} ${check.value}`;
}

/**
 * The lesson file (the JSON the server's lesson schema reads) for the current setup: the
 * settings become its preset, custom points included.
 */
export function lessonFromSetup(
  draft: LessonDraft,
  settings: RunSettings,
  custom: CustomPoints | null,
): Lesson {
  const { network, dataset, training, seed } = settings;
  const data =
    dataset.name === "custom" && custom
      ? {
          name: "custom",
          train_fraction: dataset.train_fraction,
          label_noise: dataset.label_noise,
          custom,
        }
      : dataset;
  return {
    id: lessonId(draft.title),
    number: draft.number,
    title: draft.title.trim(),
    summary: draft.summary.trim(),
    try_this: draft.tryThis.trim(),
    preset: {
      type: "configure",
      network: { hidden: network.hidden, features: network.features, init: network.init },
      dataset: data,
      training,
      seed,
    },
    checks: draft.checks.map((check) => ({
      label: checkLabel(check),
      metric: check.metric,
      op: check.op,
      value: check.value,
      after_step: null,
      after_action: null,
      expected_failure: false,
      after_edit: false,
      own_activation: false,
    })),
    actions: [],
    experiment: null,
    available: true,
    note: null,
  } as unknown as Lesson;
}

/**
 * The address that opens lesson `number` for whoever follows it: `hide` names controls to hide,
 * and a setup, when given, replaces the lesson's preset as the starting point.
 */
export function lessonLink(
  base: string,
  number: number,
  hide: readonly string[],
  setup: { settings: RunSettings; custom: CustomPoints | null } | null,
): string {
  let hash = withHashKey("", "lesson", String(number));
  if (hide.length) hash = withHashKey(hash, "hide", hide.join(","));
  if (setup) hash = withHashKey(hash, "setup", encodeSetupHash(setup).slice("#setup=".length));
  return base.replace(/#.*$/, "") + hash;
}
