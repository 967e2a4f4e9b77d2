// Shared fixtures for the run history's tests (not part of the app).

import type { RunSettings } from "./protocol.gen";
import { RUN_SCHEMA_VERSION, type RunRecord } from "./runRecord";

export const layer = (units: number, activation: string) => ({
  units,
  activation,
  batch_norm: false,
  layer_norm: false,
  dropout: 0,
});

export const SETTINGS = {
  network: {
    hidden: [layer(4, "relu"), layer(2, "relu")],
    features: ["x1", "x2"],
    init: "default",
    outputs: 1,
  },
  dataset: { name: "spiral", noise: 0 },
  training: { optimizer: "adam", learning_rate: 0.03, batch_size: 10 },
  seed: 0,
} as unknown as RunSettings;

export function record(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    schema: RUN_SCHEMA_VERSION,
    id: "a",
    name: null,
    defaultName: "relu 2-4-2-1 on spiral · 10 steps",
    createdAt: 1,
    savedAt: 1,
    setup: { format: "nn-playground/setup", version: 1, settings: SETTINGS },
    metrics: {
      step: 10,
      epoch: 1,
      trainLoss: 0.5,
      testLoss: 0.6,
      trainAccuracy: 0.8,
      testAccuracy: 0.7,
      regions: 12,
    },
    curves: { steps: [1, 10], train: [0.7, 0.5], test: [0.8, null] },
    thumbnail: null,
    ...overrides,
  };
}
