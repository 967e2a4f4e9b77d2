// The page's colours: class 0 orange, class 1 blue, as in TensorFlow Playground.

export type Rgb = readonly [r: number, g: number, b: number];

export const CLASS_0 = "#f59322";
export const CLASS_1 = "#0877bd";
export const NEUTRAL = "#e8eaeb";
/** Cells whose value is not a number (a diverged network) are drawn in this grey. */
export const NAN_RGB: Rgb = [160, 164, 170];
/** How far the heatmap's ends are lightened towards white, so points stay readable on it. */
export const BACKGROUND_LIGHTEN = 0.3;

/** "#rrggbb" as [r, g, b]. */
export function hexToRgb(hex: string): Rgb {
  const match = /^#([0-9a-f]{6})$/i.exec(hex);
  if (!match) throw new Error(`not a #rrggbb colour: ${hex}`);
  const n = parseInt(match[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

const WHITE: Rgb = [255, 255, 255];

/** The colour of a class-1 probability: orange at 0, light grey at 0.5, blue at 1. */
export function probabilityColor(p: number, lighten = BACKGROUND_LIGHTEN): Rgb {
  if (Number.isNaN(p)) return NAN_RGB;
  const t = Math.min(1, Math.max(0, p));
  const neutral = hexToRgb(NEUTRAL);
  const end = t < 0.5 ? hexToRgb(CLASS_0) : hexToRgb(CLASS_1);
  const tinted = mix(end, WHITE, lighten);
  return mix(neutral, tinted, Math.abs(t - 0.5) * 2);
}

/** A lookup table of `size` RGBA colours for probabilities 0..1 (index = round(p·(size-1))). */
export function buildPalette(size = 256): Uint8ClampedArray {
  const palette = new Uint8ClampedArray(size * 4);
  for (let i = 0; i < size; i++) {
    const [r, g, b] = probabilityColor(i / (size - 1));
    palette.set([r, g, b, 255], i * 4);
  }
  return palette;
}

/** The colour of a data point's label. */
export function labelColor(label: number): string {
  return label === 1 ? CLASS_1 : CLASS_0;
}
