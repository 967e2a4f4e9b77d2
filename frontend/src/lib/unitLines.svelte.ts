// The "Unit lines" overlay's state: shown or not, the unit selected, the edits in flight. A drag
// sends `set_unit` (one edit: every weight of the unit and its bias) at most every THROTTLE_MS,
// the newest always last; until the server's weights catch up, the dragged line is drawn from
// the edit itself, so the line follows the pointer without waiting.

import type { LayerWeights } from "./inspection";
import type { ClientCommand } from "./protocol.gen";

export const THROTTLE_MS = 60;
/** How long an edit is drawn while the server's weights do not show it yet. */
export const SETTLE_MS = 1500;

/** A unit's parameters: its weights, then its bias. */
export type UnitParams = readonly number[];

export interface UnitLinesDeps {
  send: (command: ClientCommand) => boolean;
  now?: () => number;
  later?: (run: () => void, ms: number) => void;
}

/** The unit's weights and bias as the layer has them. */
export function layerParams(layer: LayerWeights, unit: number): number[] {
  const row = Array.from(layer.weight.subarray(unit * layer.inputs, (unit + 1) * layer.inputs));
  return [...row, layer.bias[unit] ?? 0];
}

/** Whether float32 weights from the server are the edit we sent (to float32 precision). */
export function sameParams(a: UnitParams, b: UnitParams): boolean {
  return (
    a.length === b.length && a.every((v, i) => Math.abs(v - b[i]!) <= 1e-5 * (1 + Math.abs(v)))
  );
}

export class UnitLines {
  /** The overlay is drawn (the "Unit lines" toggle). */
  shown = $state(false);
  /** The unit the keyboard moves (0-based), also drawn thicker. */
  selected = $state(0);
  /** What a screen reader hears after a move. */
  announcement = $state("");
  /** Unit -> the parameters sent last, until the server's weights show them. */
  edits = $state.raw<ReadonlyMap<number, UnitParams>>(new Map());

  private lastSent = -Infinity;
  private pending: { unit: number; params: UnitParams } | null = null;
  private timer = false;
  private readonly now: () => number;
  private readonly later: (run: () => void, ms: number) => void;

  constructor(private readonly deps: UnitLinesDeps) {
    this.now = deps.now ?? (() => performance.now());
    this.later = deps.later ?? ((run, ms) => void setTimeout(run, ms));
  }

  /** The unit's parameters to draw: the edit in flight, else the layer's. */
  params(layer: LayerWeights, unit: number): UnitParams {
    return this.edits.get(unit) ?? layerParams(layer, unit);
  }

  /** Sets a unit's parameters: drawn at once, sent now or after the throttle (latest wins). */
  edit(unit: number, params: UnitParams): void {
    if (!params.every(Number.isFinite)) return;
    this.edits = new Map(this.edits).set(unit, params);
    // Latest wins within one unit only: another unit's last position goes out first.
    if (this.pending && this.pending.unit !== unit) this.flush();
    this.pending = { unit, params };
    const wait = this.lastSent + THROTTLE_MS - this.now();
    if (wait <= 0) this.flush();
    else if (!this.timer) {
      this.timer = true;
      this.later(() => {
        this.timer = false;
        this.flush();
      }, wait);
    }
  }

  /** Sends the newest edit now (a drag's end sends its last position without waiting). */
  flush(): void {
    const edit = this.pending;
    if (!edit) return;
    this.pending = null;
    this.lastSent = this.now();
    const [first, ...rest] = edit.params.slice(0, -1);
    const bias = edit.params[edit.params.length - 1];
    if (first === undefined || bias === undefined) return;
    const weights: [number, ...number[]] = [first, ...rest];
    this.deps.send({ type: "set_unit", layer: 0, unit: edit.unit, weights, bias });
  }

  /** New weights from the server: edits they show are done; a new run drops every edit, and
   * so do weights that still differ SETTLE_MS after the last send (the edit was refused). */
  sync(layer: LayerWeights | null, newRun: boolean): void {
    if (this.edits.size === 0) return;
    const stale = !this.pending && this.now() - this.lastSent > SETTLE_MS;
    if (!layer || newRun || stale) {
      this.edits = new Map();
      return;
    }
    const left = new Map(
      [...this.edits].filter(([unit, params]) => !sameParams(layerParams(layer, unit), params)),
    );
    if (left.size !== this.edits.size) this.edits = left;
  }

  /** Keeps the selection inside a layer of `units` units. */
  select(unit: number, units: number): void {
    if (units <= 0) return;
    this.selected = ((unit % units) + units) % units;
  }
}
