// A picture that changes less often than what lies under it: kept on an offscreen canvas and
// copied over each frame with one drawImage, repainted only when its inputs change.

/** True when both lists hold the same values (Object.is), in the same order. */
export function sameInputs(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, i) => Object.is(value, b[i]));
}

export class CachedLayer {
  private canvas: HTMLCanvasElement | null = null;
  private inputs: readonly unknown[] | null = null;

  /**
   * Draws the layer over `ctx` at the origin, first repainting it with `paint` (on a cleared
   * canvas of `size`) when the size or any of `inputs` changed since the last paint.
   */
  draw(
    ctx: CanvasRenderingContext2D,
    size: { width: number; height: number },
    inputs: readonly unknown[],
    paint: (layer: CanvasRenderingContext2D) => void,
  ): void {
    if (!this.canvas) this.canvas = document.createElement("canvas");
    const canvas = this.canvas;
    if (canvas.width !== size.width || canvas.height !== size.height) {
      canvas.width = size.width;
      canvas.height = size.height;
      this.inputs = null;
    }
    const layer = canvas.getContext("2d");
    if (!layer) return;
    if (!this.inputs || !sameInputs(this.inputs, inputs)) {
      layer.clearRect(0, 0, size.width, size.height);
      paint(layer);
      this.inputs = [...inputs];
    }
    ctx.drawImage(canvas, 0, 0);
  }
}
