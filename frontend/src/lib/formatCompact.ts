// Numbers in the inside card's tables and tooltips: short enough for a cell, never misleading.

/** A number in at most ~6 characters: 3 significant digits, exponent form when tiny or huge. */
export function formatCompact(value: number | null | undefined): string {
  if (value === null || value === undefined) return "—";
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "-∞";
  if (value === 0) return "0";
  const magnitude = Math.abs(value);
  if (magnitude < 1e-3 || magnitude >= 1e4) {
    const [mantissa, exponent] = value.toExponential(1).split("e");
    return `${mantissa}e${Number(exponent)}`;
  }
  return String(Number(value.toPrecision(3)));
}
