// The functions the page's evaluator (evaluate.ts) applies: each activation of the catalog as
// torch computes it, and the loops that apply one to a column of values in place.

/** The page's activations, by catalog name: each torch module with the options its record builds. */
const SQRT_HALF = Math.SQRT1_2;
export const ACTIVATIONS: Record<string, (z: number) => number> = {
  relu: (z) => (z < 0 ? 0 : z),
  leaky_relu: (z) => (z > 0 ? z : 0.01 * z),
  elu: (z) => (z > 0 ? z : Math.expm1(z)),
  gelu: (z) => 0.5 * z * (1 + erf(z * SQRT_HALF)),
  hardtanh: (z) => (z < -1 ? -1 : z > 1 ? 1 : z),
  tanh: fastTanh,
  sigmoid,
  softplus,
  silu: (z) => z * sigmoid(z),
  mish: (z) => z * Math.tanh(softplus(z)),
  sin: Math.sin,
  linear: (z) => z,
};

export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** torch's softplus with beta 1 and threshold 20: linear above the threshold. */
function softplus(z: number): number {
  return z > 20 ? z : Math.log1p(Math.exp(z));
}

/** The rational form below holds tanh to 2.6e-7 up to here; beyond it, it stays at its value
 * here, 1 - 2.6e-7, instead of reaching 1 (float32 ulps at 1: 6e-8 below, 1.2e-7 above). */
const TANH_CLAMP = 7.90531110763549805;

/**
 * tanh(z) within 2.7e-7 of Math.tanh everywhere (≈ 2 float32 ulps at 1; pinned in
 * evaluateMath.test.ts), three times faster in V8: the odd rational approximation Eigen uses for
 * float32 tanh (a degree-13 polynomial over a degree-6 one, no exp, no branch), in float64.
 */
export function fastTanh(z: number): number {
  const x = Math.max(-TANH_CLAMP, Math.min(TANH_CLAMP, z));
  const x2 = x * x;
  const p =
    4.89352455891786e-3 +
    x2 *
      (6.37261928875436e-4 +
        x2 *
          (1.48572235717979e-5 +
            x2 *
              (5.12229709037114e-8 +
                x2 *
                  (-8.60467152213735e-11 +
                    x2 * (2.00018790482477e-13 + x2 * -2.76076847742355e-16)))));
  const q =
    4.89352518554385e-3 +
    x2 * (2.268434632439e-3 + x2 * (1.18534705686654e-4 + x2 * 1.19825839466702e-6));
  return (x * p) / q;
}

/** The error function to ~1e-13: its Taylor series below 2.5, erfc's continued fraction above. */
export function erf(x: number): number {
  const a = Math.abs(x);
  if (a < 2.5) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 80; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  const r = a > 6 ? 1 : 1 - erfcContinued(a);
  return x < 0 ? -r : r;
}

/** erfc(a) for a ≥ 2.5 by Lentz's continued fraction. */
function erfcContinued(a: number): number {
  // erfc(a) = exp(-a²)/√π · 1/(a + 1/2/(a + 1/(a + 3/2/(a + 2/(a + ...)))))
  const tiny = 1e-300;
  let f = a;
  let c = a;
  let d = 0;
  for (let n = 1; n < 200; n++) {
    const an = n / 2;
    d = a + an * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = a + an / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-a * a) / Math.sqrt(Math.PI) / f;
}

/**
 * Applies activation `name` to values [from, to) of `col` in place. The common ones get a loop
 * of their own, so the JIT inlines the function instead of calling through a closure per value.
 */
export function activate(
  name: string,
  fn: (z: number) => number,
  col: Float32Array,
  from: number,
  to: number,
): void {
  switch (name) {
    case "relu":
      for (let k = from; k < to; k++) if (col[k]! < 0) col[k] = 0;
      return;
    case "tanh":
      for (let k = from; k < to; k++) col[k] = fastTanh(col[k]!);
      return;
    case "sigmoid":
      for (let k = from; k < to; k++) col[k] = 1 / (1 + Math.exp(-col[k]!));
      return;
    case "linear":
      return;
    default:
      for (let k = from; k < to; k++) col[k] = fn(col[k]!);
  }
}
