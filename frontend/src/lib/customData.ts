// The user's own points: edits on the dataset the page shows, the points a configure sends, and
// CSV text for download. Pure functions of the dataset event.

import type { CustomPoints, DatasetEvent } from "./protocol.gen";

/** The fewest points custom data may have (one to train on, one to test). */
export const MIN_CUSTOM_POINTS = 2;

/** Every point of the dataset, training and test together, as custom data. */
export function customPoints(data: DatasetEvent): CustomPoints {
  const x = [...data.train_x, ...data.test_x].map((p) => [p[0]!, p[1]!] as [number, number]);
  // The server checks the lower bound on the count (MIN_CUSTOM_POINTS) and says so if unmet.
  return { x: x as CustomPoints["x"], y: [...data.train_y, ...data.test_y], task: data.task };
}

/** The dataset with one more training point at (x1, x2) with label or value `y`. */
export function addPoint(data: DatasetEvent, x1: number, x2: number, y: number): DatasetEvent {
  return { ...data, train_x: [...data.train_x, [x1, x2]], train_y: [...data.train_y, y] };
}

/**
 * The dataset without the points within `radius` of (x1, x2); null when nothing lies there or
 * fewer than MIN_CUSTOM_POINTS would be left.
 */
export function erasePoints(
  data: DatasetEvent,
  x1: number,
  x2: number,
  radius: number,
): DatasetEvent | null {
  const far = (p: readonly number[]) => Math.hypot(p[0]! - x1, p[1]! - x2) > radius;
  const keepTrain = data.train_x.map(far);
  const keepTest = data.test_x.map(far);
  const kept = [...keepTrain, ...keepTest].filter(Boolean).length;
  if (kept === keepTrain.length + keepTest.length || kept < MIN_CUSTOM_POINTS) return null;
  return {
    ...data,
    train_x: data.train_x.filter((_, i) => keepTrain[i]),
    train_y: data.train_y.filter((_, i) => keepTrain[i]),
    test_x: data.test_x.filter((_, i) => keepTest[i]),
    test_y: data.test_y.filter((_, i) => keepTest[i]),
  };
}

/** Total points, training and test. */
export function pointCount(data: DatasetEvent | null): number {
  return data ? data.train_x.length + data.test_x.length : 0;
}

/**
 * The points as the CSV the server reads back: `x1,x2,label` (whole-number classes) or
 * `x1,x2,y` (values). Numbers are written in full, so an upload gives the same points.
 */
export function toCsv(points: CustomPoints): string {
  const classes = points.task !== "regression";
  const header = classes ? "x1,x2,label" : "x1,x2,y";
  const rows = points.x.map(
    ([a, b], i) => `${a},${b},${classes ? Math.round(points.y[i]!) : points.y[i]!}`,
  );
  return [header, ...rows].join("\n") + "\n";
}
