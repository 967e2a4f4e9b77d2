// The multiply-adds of the page's evaluator (evaluate.ts), its hot loop: a linear layer over a
// block of points stored column by column (column i of the block at [i·block, (i + 1)·block)).
// Two output units and four inputs at a time, summed in registers: each load of an input value
// serves two multiply-adds and each store of an output four, where a plain loop loads and stores
// the output once per multiply-add.

/** Reads as zeros: the inputs past a layer's width, so every group has four. */
let zeros = new Float32Array(0);
/** Takes the second unit's sums when a layer has an odd number of units. */
let discard = new Float32Array(0);

/**
 * out's columns o = 0 … units - 1 over the block's first m points: bias[o] + Σ_i weight[o·width
 * + i] · column i of `cols`.
 */
export function linearBlock(
  weight: Float32Array,
  bias: Float32Array,
  cols: Float32Array,
  width: number,
  m: number,
  out: Float32Array,
  block: number,
): void {
  if (zeros.length < m) [zeros, discard] = [new Float32Array(m), new Float32Array(m)];
  const units = bias.length;
  const column = (i: number) => (i < width ? cols.subarray(i * block, i * block + m) : zeros);
  for (let o = 0; o < units; o += 2) {
    const pair = o + 1 < units;
    const ta = out.subarray(o * block, o * block + m);
    const tb = pair ? out.subarray((o + 1) * block, (o + 1) * block + m) : discard;
    const w = (unit: number, i: number) => (i < width ? weight[unit * width + i]! : 0);
    for (let i = 0; i < width; i += 4) {
      const [a, b, c, d] = [column(i), column(i + 1), column(i + 2), column(i + 3)];
      const [wa, wb, wc, wd] = [w(o, i), w(o, i + 1), w(o, i + 2), w(o, i + 3)];
      const u = pair ? o + 1 : o;
      const [va, vb, vc, vd] = [w(u, i), w(u, i + 1), w(u, i + 2), w(u, i + 3)];
      if (i === 0) {
        const [ba, bb] = [bias[o]!, bias[u]!];
        for (let k = 0; k < m; k++) {
          const x = a[k]!;
          const y = b[k]!;
          const z = c[k]!;
          const t = d[k]!;
          ta[k] = ba + wa * x + wb * y + wc * z + wd * t;
          tb[k] = bb + va * x + vb * y + vc * z + vd * t;
        }
      } else {
        for (let k = 0; k < m; k++) {
          const x = a[k]!;
          const y = b[k]!;
          const z = c[k]!;
          const t = d[k]!;
          ta[k]! += wa * x + wb * y + wc * z + wd * t;
          tb[k]! += va * x + vb * y + vc * z + vd * t;
        }
      }
    }
  }
}
