// The training pace: the speed select's choices, the pace the server runs at, and the user's
// choice, kept in the browser so a reload or a reconnect (a new session) trains at it again.

import type {
  ClientCommand,
  DatasetEvent,
  HelloEvent,
  RunSettings,
  SpeedEvent,
} from "./protocol.gen";
import type { StorageLike } from "./persist";

/** Target optimizer steps per second; null is as fast as the machine goes ("max"). */
export type Speed = number | null;

/** What the select offers: slow motion (a frame per step), paces near the default, faster, max. */
export const SPEED_CHOICES: readonly Speed[] = [1, 3, 10, 30, 100, 200, 500, 1000, 3000, null];

export const SPEED_STORAGE_KEY = "nn-playground:speed";

/** The select's option value of a speed: the number, or "max". */
export function speedValue(speed: Speed): string {
  return speed === null ? "max" : String(speed);
}

/** The speed an option value names, or undefined when it names none. */
export function parseSpeed(value: string | null): Speed | undefined {
  if (value === "max") return null;
  if (value === null || value.trim() === "") return undefined;
  const speed = Number(value);
  return Number.isFinite(speed) && speed > 0 ? speed : undefined;
}

/** How the select shows a speed: "300 steps/s", "1 step/s", "max". */
export function speedLabel(speed: Speed): string {
  if (speed === null) return "max";
  return `${speed.toLocaleString("en-US")} step${speed === 1 ? "" : "s"}/s`;
}

/** The choices, with `current` among them in order when the server runs at another pace. */
export function speedChoices(current: Speed): Speed[] {
  if (SPEED_CHOICES.includes(current)) return [...SPEED_CHOICES];
  const numbers = [...SPEED_CHOICES.filter((s): s is number => s !== null), current!];
  return [...numbers.sort((a, b) => a - b), null];
}

/**
 * Epochs (passes over the training set) in `step` optimizer steps at this batch size: the
 * server's trainer takes floor(points / batch) batches an epoch and drops the ragged tail, and
 * BatchNorm needs batches of at least 2. Exact while the batch size stays as it is.
 */
export function epochOf(
  step: number,
  batchSize: number,
  trainPoints: number,
  batchNorm: boolean,
): number | null {
  if (trainPoints < 1 || batchSize < 1) return null;
  const batch = Math.min(batchNorm ? Math.max(batchSize, 2) : batchSize, trainPoints);
  return step / Math.floor(trainPoints / batch);
}

/** Epochs so far in a run of `settings` on `dataset` at `step`; null before both are known. */
export function runEpoch(
  settings: RunSettings | null,
  dataset: DatasetEvent | null,
  step: number,
): number | null {
  const points = dataset?.train_x.length;
  if (!settings || points === undefined) return null;
  const batchNorm = settings.network.hidden.some((layer) => layer.batch_norm);
  return epochOf(step, settings.training.batch_size, points, batchNorm);
}

/** "epoch 0.4" while the first epochs go by (slow motion shows them fill), then "epoch 1,250". */
export function formatEpoch(epoch: number): string {
  const shown = epoch < 10 ? Math.floor(epoch * 10) / 10 : Math.floor(epoch);
  return `epoch ${shown.toLocaleString("en-US")}`;
}

/** The browser's localStorage, or null where there is none or it may not be read. */
export function browserSpeedStorage(): StorageLike | null {
  try {
    return typeof localStorage === "undefined" ? null : localStorage;
  } catch {
    return null;
  }
}

/** The pace of this page's session: shown by the speed select, sent with `speed` commands. */
export class Pace {
  /** The pace in force (optimistically, the one last chosen); the server's until a hello. */
  stepsPerSecond = $state<Speed>(null);
  /** False until the first hello says what the session runs at. */
  known = $state(false);

  constructor(
    private readonly send: (command: ClientCommand) => boolean,
    private readonly storage: () => StorageLike | null = () => null,
  ) {}

  /** A new session: show its pace, then bring back the one the user chose, if another. */
  onHello(hello: HelloEvent): void {
    this.stepsPerSecond = hello.steps_per_second;
    this.known = true;
    const chosen = parseSpeed(this.attempt((s) => s.getItem(SPEED_STORAGE_KEY), null));
    if (chosen !== undefined && chosen !== hello.steps_per_second) this.choose(chosen, false);
  }

  /** The server's answer to a `speed` command. */
  onSpeed(event: SpeedEvent): void {
    this.stepsPerSecond = event.steps_per_second;
  }

  /** Trains at `speed` from now on (at once, while playing too) and remembers it. */
  choose(speed: Speed, remember = true): void {
    if (!this.send({ type: "speed", steps_per_second: speed })) return;
    this.stepsPerSecond = speed;
    if (remember) this.attempt((s) => s.setItem(SPEED_STORAGE_KEY, speedValue(speed)), undefined);
  }

  /** Storage may be missing or refuse (private windows, a full quota): the pace still works. */
  private attempt<T>(use: (storage: StorageLike) => T, otherwise: T): T {
    try {
      const storage = this.storage();
      return storage ? use(storage) : otherwise;
    } catch {
      return otherwise;
    }
  }
}
