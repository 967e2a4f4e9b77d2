// A small picture of a canvas for the Runs list: the whole canvas scaled into a square.

export const THUMBNAIL_SIZE = 96;

/** The canvas drawn into a `size`×`size` PNG data URL, or null when it cannot be read. */
export function canvasThumbnail(
  canvas: HTMLCanvasElement | null,
  size = THUMBNAIL_SIZE,
): string | null {
  if (!canvas || canvas.width === 0 || canvas.height === 0) return null;
  const small = document.createElement("canvas");
  small.width = size;
  small.height = size;
  const context = small.getContext("2d");
  if (!context) return null;
  context.imageSmoothingQuality = "high";
  context.drawImage(canvas, 0, 0, size, size);
  try {
    return small.toDataURL("image/png");
  } catch {
    return null; // a tainted canvas cannot be read; the run is kept without a picture
  }
}
