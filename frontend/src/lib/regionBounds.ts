// How many linear regions a ReLU network on a 2D input can have: exact maxima and bounds.
// Everything is exact integer arithmetic in BigInt, since deep products grow past 2^53.

/** The input dimension of every network here. */
export const INPUT_DIM = 2;

/** The binomial coefficient C(n, k), exactly; 0 when k < 0 or k > n. */
export function binomial(n: number, k: number): bigint {
  if (!Number.isInteger(n) || !Number.isInteger(k)) throw new Error("binomial needs integers");
  if (k < 0 || n < 0 || k > n) return 0n;
  const m = Math.min(k, n - k);
  let result = 1n;
  // After step i the running value is C(n - m + i, i), always an integer.
  for (let i = 1; i <= m; i++) result = (result * BigInt(n - m + i)) / BigInt(i);
  return result;
}

/** Σ_{j=0..d} C(n, j): the most pieces n lines (hyperplanes) cut d-dimensional space into. */
export function hyperplaneRegions(n: number, d = INPUT_DIM): bigint {
  let total = 0n;
  for (let j = 0; j <= d; j++) total += binomial(n, j);
  return total;
}

/** The exact maximum number of linear regions of a network with one hidden layer of n units. */
export function oneLayerMaximum(units: number, inputs = INPUT_DIM): bigint {
  return hyperplaneRegions(units, inputs);
}

/**
 * Serra, Tjandraatmadja & Ramalingam (2018), Theorem 1: an upper bound on the linear regions of
 * a ReLU network with input dimension n0 and hidden widths n1..nL:
 *   Σ over (j1..jL) in J of Π_l C(n_l, j_l),
 *   J = { 0 ≤ j_l ≤ min(n0, n1 − j1, …, n_{l−1} − j_{l−1}, n_l) for every l }.
 * Dynamic programme over the layers; the state is the running minimum (at most n0).
 */
export function serraUpperBound(widths: readonly number[], inputs = INPUT_DIM): bigint {
  checkWidths(widths);
  // ways.get(d) = Σ of Π C(n_l, j_l) over the prefixes whose running minimum is d.
  let ways = new Map<number, bigint>([[inputs, 1n]]);
  for (const n of widths) {
    const next = new Map<number, bigint>();
    for (const [d, weight] of ways) {
      for (let j = 0; j <= Math.min(d, n); j++) {
        const key = Math.min(d, n - j);
        next.set(key, (next.get(key) ?? 0n) + weight * binomial(n, j));
      }
    }
    ways = next;
  }
  let total = 0n;
  for (const weight of ways.values()) total += weight;
  return total;
}

/**
 * Montúfar, Pascanu, Cho & Bengio (2014): a lower bound, reached by a construction, on the most
 * linear regions of a ReLU network with widths n_l ≥ n0:
 *   (Π_{l=1}^{L−1} ⌊n_l / n0⌋^{n0}) · Σ_{j=0}^{n0} C(n_L, j).
 * Null when some layer is narrower than the input (the construction needs n_l ≥ n0).
 */
export function montufarLowerBound(widths: readonly number[], inputs = INPUT_DIM): bigint | null {
  checkWidths(widths);
  if (widths.length === 0 || widths.some((n) => n < inputs)) return null;
  let product = 1n;
  for (const n of widths.slice(0, -1)) product *= BigInt(Math.floor(n / inputs)) ** BigInt(inputs);
  return product * hyperplaneRegions(widths.at(-1)!, inputs);
}

/** 16^L: the regions of the hand-built "folding" net with L hidden layers of 8 units on 2D. */
export function foldingRegions(depth: number): bigint {
  return 16n ** BigInt(depth);
}

/** An exact integer with thin-space thousands separators: 1234567 → "1 234 567". */
export function formatCount(value: bigint | number): string {
  const digits = (typeof value === "bigint" ? value : BigInt(Math.round(value))).toString();
  const negative = digits.startsWith("-");
  const body = negative ? digits.slice(1) : digits;
  const grouped = body.replace(/\B(?=(\d{3})+(?!\d))/g, "\u2009");
  return negative ? `-${grouped}` : grouped;
}

/** A count too long to read as digits, as "≈ 1.23 × 10^45"; short counts stay exact. */
export function formatLargeCount(value: bigint, maxDigits = 15): string {
  const digits = value.toString();
  if (digits.length <= maxDigits) return formatCount(value);
  const mantissa = `${digits[0]}.${digits.slice(1, 3)}`;
  return `≈ ${mantissa} × 10^${digits.length - 1}`;
}

function checkWidths(widths: readonly number[]): void {
  for (const n of widths) {
    if (!Number.isInteger(n) || n < 0) throw new Error(`not a layer width: ${n}`);
  }
}

/** What the theory panel shows for hidden widths n1..nL on a 2D input. */
export interface RegionTheory {
  depth: number;
  neurons: number;
  /** The exact maximum, known only for one hidden layer (null otherwise). */
  exactMaximum: bigint | null;
  /** The most regions all the neurons could make side by side in one layer. */
  oneLayerSameNeurons: bigint;
  upper: bigint;
  lower: bigint | null;
}

export function regionTheory(widths: readonly number[]): RegionTheory {
  const neurons = widths.reduce((sum, n) => sum + n, 0);
  return {
    depth: widths.length,
    neurons,
    exactMaximum: widths.length === 1 ? oneLayerMaximum(widths[0]!) : null,
    oneLayerSameNeurons: oneLayerMaximum(neurons),
    upper: serraUpperBound(widths),
    lower: montufarLowerBound(widths),
  };
}

/** log10 of a positive integer of any size (to about 15 significant digits). */
export function log10Big(value: bigint): number {
  if (value <= 0n) throw new Error("log10Big needs a positive integer");
  const digits = value.toString();
  const head = Number(digits.slice(0, 15));
  return Math.log10(head) + Math.max(0, digits.length - 15);
}

/** Where `value` sits between 1 and `top` on a log scale, clamped to 0..1 (for a meter). */
export function logShare(value: bigint | number, top: bigint): number {
  const v = typeof value === "bigint" ? value : BigInt(Math.max(1, Math.round(value)));
  if (top <= 1n || v <= 1n) return 0;
  return Math.min(1, log10Big(v) / log10Big(top));
}
