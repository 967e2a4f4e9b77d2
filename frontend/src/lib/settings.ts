// What the settings controls offer for the data in force: losses, features, dataset groups.
// Pure functions of the catalog and the settings echo, so vitest can check them without a page.
// Facts about an entry (a loss's head, its naive twin) come from the catalog, never its name.

import { lossName } from "./lossNames";
import type { CatalogEntry, DatasetEvent, DatasetSettings, LossEntry } from "./protocol.gen";

export type Task = "classification" | "regression";

/** The data in force as the controls need it: what it asks for, how many classes, 1D or 2D. */
export interface DataShape {
  task: Task;
  classes: number;
  dims: number;
}

/** The name of the user's own points; not a catalog dataset. */
export const CUSTOM_DATASET = "custom";

/** The catalog entry called `name`, if there is one. */
export function findEntry<E extends CatalogEntry>(
  entries: readonly E[],
  name: string,
): E | undefined {
  return entries.find((entry) => entry.name === name);
}

/** The one-sentence description of `name`, or "" when the catalog does not know it. */
export function describe(entries: readonly CatalogEntry[], name: string | undefined): string {
  return name === undefined ? "" : (findEntry(entries, name)?.description ?? "");
}

/** Task, classes and dims of the data: from the catalog, or from the dataset event for custom data. */
export function dataShape(
  datasets: readonly CatalogEntry[],
  data: DatasetSettings,
  event: DatasetEvent | null,
): DataShape {
  const entry = findEntry(datasets, data.name);
  if (!entry) {
    if (event) return { task: event.task, classes: event.classes, dims: event.dims };
    return { task: "classification", classes: data.classes, dims: 2 };
  }
  const task = entry.task ?? "classification";
  return { task, classes: task === "regression" ? 1 : data.classes, dims: entry.dims ?? 2 };
}

/** The losses that can train on this data: one sigmoid logit takes two classes only. */
export function lossesFor(losses: readonly LossEntry[], shape: DataShape): LossEntry[] {
  return losses.filter(
    (entry) =>
      (entry.task ?? "classification") === shape.task &&
      !(entry.head === "sigmoid" && shape.classes > 2),
  );
}

/** A loss as an option: the stable one of a pair says so, next to its naive twin. */
export function lossLabel(entry: LossEntry): string {
  const long = lossName(entry.name).long;
  return entry.twin !== null && !entry.naive ? `${long} (stable)` : long;
}

/** The output layer in words, for the network builder. */
export function outputSummary(loss: LossEntry | undefined, outputs: number): string {
  if (!loss || loss.head === "sigmoid") return "one logit, sigmoid → P(blue)";
  if (loss.head === "identity") return "one value, the prediction itself";
  return `${outputs} logits, softmax → P(each class)`;
}

const FEATURE_LABELS: Record<string, string> = {
  x1: "x₁",
  x2: "x₂",
  x1_squared: "x₁²",
  x2_squared: "x₂²",
  x1_x2: "x₁x₂",
  sin_x1: "sin x₁",
  sin_x2: "sin x₂",
};

/** A feature as it is written on the page ("x₁²" for x1_squared). */
export function featureLabel(name: string): string {
  return FEATURE_LABELS[name] ?? name;
}

/** True when data with `dims` coordinates can compute the feature. */
export function featureFits(entry: CatalogEntry, dims: number): boolean {
  return (entry.dims ?? 1) <= dims;
}

/**
 * The features after switching `name` on or off, in catalog order; never empty, so switching
 * off the last one changes nothing.
 */
export function toggleFeature(
  catalog: readonly CatalogEntry[],
  current: readonly string[],
  name: string,
  on: boolean,
): string[] {
  const chosen = new Set(current);
  if (on) chosen.add(name);
  else chosen.delete(name);
  if (chosen.size === 0) return [...current];
  const known = catalog.map((entry) => entry.name).filter((n) => chosen.has(n));
  return [...known, ...[...chosen].filter((n) => !known.includes(n))];
}

export interface DatasetGroup {
  label: string;
  entries: CatalogEntry[];
}

/** True for image data (digits): more coordinates per point than the plane has. */
export function isImageEntry(entry: CatalogEntry): boolean {
  return entry.image_shape != null || (entry.dims ?? 2) > 2;
}

/**
 * The catalog's datasets by task: two classes, more classes, regression, images (empty groups
 * left out).
 */
export function datasetGroups(datasets: readonly CatalogEntry[]): DatasetGroup[] {
  const isRegression = (entry: CatalogEntry) => entry.task === "regression";
  const maxClasses = (entry: CatalogEntry) => entry.max_classes ?? 2;
  const planar = datasets.filter((d) => !isImageEntry(d));
  const groups: DatasetGroup[] = [
    { label: "2 classes", entries: planar.filter((d) => !isRegression(d) && maxClasses(d) <= 2) },
    {
      label: "2 or more classes",
      entries: planar.filter((d) => !isRegression(d) && maxClasses(d) > 2),
    },
    { label: "Regression", entries: planar.filter(isRegression) },
    { label: "Images", entries: datasets.filter(isImageEntry) },
  ];
  return groups.filter((group) => group.entries.length > 0);
}

/** The range of classes a dataset draws, when the user can choose it; null for fixed ones. */
export function classRange(entry: CatalogEntry | undefined): [min: number, max: number] | null {
  const min = entry?.min_classes ?? null;
  const max = entry?.max_classes ?? null;
  return min !== null && max !== null && min < max ? [min, max] : null;
}

/** A dataset's name as a tile label ("multi gauss"). */
export function datasetLabel(name: string): string {
  return name.replaceAll("_", " ");
}
