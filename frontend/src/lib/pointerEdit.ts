// Edit mode on the output canvas: a click adds a point of the chosen class or value, a drag with
// the eraser (or with shift or alt held) takes away the points it passes over.

import { addPoint, erasePoints } from "./customData";
import { toData, type Box } from "./draw/points";
import type { Playground } from "./store.svelte";

/** How near the pointer (CSS pixels) the eraser takes points. */
export const ERASE_RADIUS_PX = 12;

/** The data point under a pointer at (left, top) of an element of `width`×`height`, in the box. */
export function pointerToData(
  box: Box,
  size: { width: number; height: number },
  left: number,
  top: number,
): [number, number] {
  const [x, y] = toData(box, size, left, top);
  const [xmin, xmax, ymin, ymax] = box;
  return [Math.min(xmax, Math.max(xmin, x)), Math.min(ymax, Math.max(ymin, y))];
}

/** Turns pointer events on one canvas into store edits. */
export class PointerEditor {
  private erasing = false;

  /** `store` is read on each event, so a component may hand over its (reactive) prop. */
  constructor(private readonly getStore: () => Playground) {}

  private get store(): Playground {
    return this.getStore();
  }

  down(event: PointerEvent, canvas: HTMLCanvasElement): void {
    const data = this.store.dataset;
    if (!this.store.edits.active || data?.dims !== 2 || event.button !== 0) return;
    event.preventDefault();
    if (this.store.edits.tool === "erase" || event.shiftKey || event.altKey) {
      this.erasing = true;
      canvas.setPointerCapture(event.pointerId);
      this.eraseAt(event, canvas);
      return;
    }
    const [x, y] = this.dataAt(event, canvas, data.box);
    const value = Number.isFinite(this.store.edits.addValue) ? this.store.edits.addValue : 0;
    const label = data.task === "regression" ? value : this.store.edits.addClass;
    this.store.edits.editData(addPoint(data, x, y, label));
  }

  move(event: PointerEvent, canvas: HTMLCanvasElement): void {
    if (this.erasing) this.eraseAt(event, canvas);
  }

  /** Ends a drag and sends what it erased. */
  up(): void {
    if (!this.erasing) return;
    this.erasing = false;
    this.store.edits.flush();
  }

  private dataAt(event: PointerEvent, canvas: HTMLCanvasElement, box: Box): [number, number] {
    const rect = canvas.getBoundingClientRect();
    return pointerToData(box, rect, event.clientX - rect.left, event.clientY - rect.top);
  }

  private eraseAt(event: PointerEvent, canvas: HTMLCanvasElement): void {
    const data = this.store.dataset;
    if (!data) return;
    const [x, y] = this.dataAt(event, canvas, data.box);
    const width = canvas.getBoundingClientRect().width;
    const radius = (ERASE_RADIUS_PX / width) * (data.box[1] - data.box[0]);
    const next = erasePoints(data, x, y, radius);
    if (next) this.store.edits.editData(next, true);
  }
}
