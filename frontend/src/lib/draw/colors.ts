// The page's colours: class 0 orange, class 1 blue, as in TensorFlow Playground; four more
// classes from Okabe & Ito's colour-blind-safe set; a blue–red diverging scale for values.

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

/**
 * One colour per class, at most six. Orange and blue stay the two-class pair; bluish green,
 * reddish purple, sky blue and near-black follow, from Okabe & Ito's palette for colour-blind
 * readers (its yellow and vermillion are left out: beside this orange they are the pairs that
 * merge). Near-black differs from the rest in lightness, so it holds under any deficiency.
 */
export const CLASS_COLORS: readonly string[] = [
  CLASS_0,
  CLASS_1,
  "#009e73",
  "#cc79a7",
  "#56b4e9",
  "#4d4d4d",
];

/** The colour of a data point's label (class index; out-of-range labels wrap round). */
export function labelColor(label: number): string {
  const k = CLASS_COLORS.length;
  const i = Math.round(label);
  return CLASS_COLORS[((i % k) + k) % k]!;
}

/**
 * The colour of a cell whose most likely class is `label` with probability `p`, among
 * `classes` classes: neutral grey at chance (1/classes), the lightened class colour at 1.
 */
export function classCellColor(
  label: number,
  p: number,
  classes: number,
  lighten = BACKGROUND_LIGHTEN,
): Rgb {
  if (Number.isNaN(p) || Number.isNaN(label)) return NAN_RGB;
  const chance = 1 / Math.max(2, classes);
  const t = Math.min(1, Math.max(0, (p - chance) / (1 - chance)));
  return mix(hexToRgb(NEUTRAL), mix(hexToRgb(labelColor(label)), WHITE, lighten), t);
}

/** Lookup tables for class cells: `levels` confidences for each of `classes` classes, RGBA. */
export function buildClassPalette(classes: number, levels = 64): Uint8ClampedArray {
  const count = Math.max(1, classes);
  const palette = new Uint8ClampedArray(count * levels * 4);
  for (let c = 0; c < count; c++) {
    for (let i = 0; i < levels; i++) {
      const chance = 1 / Math.max(2, count);
      const p = chance + (i / (levels - 1)) * (1 - chance);
      const [r, g, b] = classCellColor(c, p, count);
      palette.set([r, g, b, 255], (c * levels + i) * 4);
    }
  }
  return palette;
}

/** The diverging value scale's stops: low blue, near-white middle, high red (ColorBrewer RdBu). */
export const VALUE_LOW = "#2166ac";
export const VALUE_MID = "#f4f1ee";
export const VALUE_HIGH = "#b2182b";

/** The colour of `t` in 0..1 on the diverging value scale (clamped; NaN is grey). */
export function divergingColor(t: number, lighten = 0): Rgb {
  if (Number.isNaN(t)) return NAN_RGB;
  const u = Math.min(1, Math.max(0, t));
  const end = hexToRgb(u < 0.5 ? VALUE_LOW : VALUE_HIGH);
  return mix(hexToRgb(VALUE_MID), mix(end, WHITE, lighten), Math.abs(u - 0.5) * 2);
}

/** A lookup table of `size` RGBA colours for the value scale, lightened as a background. */
export function buildValuePalette(size = 256): Uint8ClampedArray {
  const palette = new Uint8ClampedArray(size * 4);
  for (let i = 0; i < size; i++) {
    const [r, g, b] = divergingColor(i / (size - 1), BACKGROUND_LIGHTEN);
    palette.set([r, g, b, 255], i * 4);
  }
  return palette;
}

/** An [r, g, b] colour as CSS text. */
export function cssColor(rgb: Rgb): string {
  return `rgb(${rgb.map(Math.round).join(" ")})`;
}
