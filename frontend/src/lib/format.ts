// Number formatting for the page: one place, so every metric reads the same way.

/** A loss as text: four significant digits, "—" before the first value, "NaN"/"∞" kept. */
export function formatLoss(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  if (value !== 0 && Math.abs(value) < 1e-3) return value.toExponential(2);
  return value.toFixed(value >= 100 ? 1 : 4);
}

/** An accuracy fraction (0..1) as a percentage with one decimal, e.g. "97.5%". */
export function formatPercent(fraction: number | null | undefined): string {
  if (fraction === null || fraction === undefined || !Number.isFinite(fraction)) return "—";
  return `${(fraction * 100).toFixed(1)}%`;
}

/** A number as short input text: no float noise (0.30000000000000004 -> "0.3"). */
export function formatInput(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** Parses a number input; null when empty or not a finite number. */
export function parseNumber(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const value = Number(trimmed);
  return Number.isFinite(value) ? value : null;
}

/** Why a value is out of bounds, or null when it is valid. */
export function validateNumber(
  value: number | null,
  bounds: { min: number; max: number; integer?: boolean },
): string | null {
  if (value === null) return "enter a number";
  if (bounds.integer && !Number.isInteger(value)) return "must be a whole number";
  if (value < bounds.min) return `must be at least ${formatInput(bounds.min)}`;
  if (value > bounds.max) return `must be at most ${formatInput(bounds.max)}`;
  return null;
}
