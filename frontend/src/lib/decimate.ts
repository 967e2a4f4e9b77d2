// Long series drawn at the chart's resolution: for each pixel column, each series' minimum and
// maximum. Kept incrementally, so a frame costs O(columns · log n), not O(n).

const NONE = -1;

/** Where the smaller (or, with `max`, larger) of two positions' values is; NaN never wins. */
function pick(values: ArrayLike<number>, a: number, b: number, max: boolean): number {
  if (a === NONE) return b;
  if (b === NONE) return a;
  const va = values[a]!;
  const vb = values[b]!;
  return (max ? vb > va : vb < va) ? b : a;
}

/** Folds `values[from..to)` into the positions of the minimum and maximum in `out`. */
function scan(values: ArrayLike<number>, from: number, to: number, out: Int32Array | number[]) {
  let min = out[0]!;
  let max = out[1]!;
  for (let i = from; i < to; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (min === NONE || v < values[min]!) min = i;
    if (max === NONE || v > values[max]!) max = i;
  }
  out[0] = min;
  out[1] = max;
}

/**
 * The positions of the minimum and maximum over any range of a series that only grows (or is
 * rebuilt whole). Level k holds, for each run of `block`·2^k samples, where its minimum and
 * maximum are; a query reads O(log n) runs and scans at most 2·`block` samples at its ends.
 * Positions of NaN samples are never returned; a range of NaN only gives NONE (-1).
 */
export class MinMaxIndex {
  private mins: Int32Array[] = [];
  private maxs: Int32Array[] = [];
  private count = 0;
  private readonly shift: number;

  constructor(readonly block = 16) {
    this.shift = Math.log2(block);
    if (!Number.isInteger(this.shift) || block < 1) {
      throw new Error(`block must be a power of two, got ${block}`);
    }
  }

  get length(): number {
    return this.count;
  }

  /** Takes in `values[length]`, which the caller has just written. */
  push(values: ArrayLike<number>): void {
    const i = this.count++;
    const candidate = Number.isNaN(values[i]!) ? NONE : i;
    for (let k = 0; ; k++) {
      const node = i >> (this.shift + k);
      if (k === this.mins.length) {
        // A new top level: its first run holds everything so far, i.e. the level below's first
        // two runs, the second of which is `i` alone.
        this.mins.push(new Int32Array(16));
        this.maxs.push(new Int32Array(16));
        if (k > 0) {
          this.mins[k]![0] = this.mins[k - 1]![0]!;
          this.maxs[k]![0] = this.maxs[k - 1]![0]!;
        }
      }
      const mins = this.grow(k, node);
      const maxs = this.maxs[k]!;
      if ((i & ((this.block << k) - 1)) === 0) {
        mins[node] = candidate;
        maxs[node] = candidate;
      } else {
        mins[node] = pick(values, mins[node]!, candidate, false);
        maxs[node] = pick(values, maxs[node]!, candidate, true);
      }
      // Levels above one whose runs are all still in its first run are not needed yet.
      if (node === 0) break;
    }
  }

  /** Re-reads the first `length` values (after they were rewritten in place), in O(length). */
  rebuild(values: ArrayLike<number>, length: number): void {
    this.clear();
    if (length === 0) return;
    this.count = length;
    const found = new Int32Array(2);
    let runs = Math.ceil(length / this.block);
    let mins = new Int32Array(Math.max(16, runs));
    let maxs = new Int32Array(mins.length);
    for (let r = 0; r < runs; r++) {
      found[0] = found[1] = NONE;
      scan(values, r << this.shift, Math.min(length, (r + 1) << this.shift), found);
      mins[r] = found[0]!;
      maxs[r] = found[1]!;
    }
    this.mins.push(mins);
    this.maxs.push(maxs);
    // As push() does: a level above another only once that one has two runs.
    while (runs > 1) {
      const [lowMins, lowMaxs, lowRuns] = [mins, maxs, runs];
      runs = Math.ceil(lowRuns / 2);
      mins = new Int32Array(Math.max(16, runs));
      maxs = new Int32Array(mins.length);
      for (let r = 0; r < runs; r++) {
        const a = 2 * r;
        const b = a + 1 < lowRuns ? a + 1 : a;
        mins[r] = pick(values, lowMins[a]!, lowMins[b]!, false);
        maxs[r] = pick(values, lowMaxs[a]!, lowMaxs[b]!, true);
      }
      this.mins.push(mins);
      this.maxs.push(maxs);
    }
  }

  clear(): void {
    this.mins = [];
    this.maxs = [];
    this.count = 0;
  }

  /**
   * Writes the positions of the minimum and maximum of `values[lo..hi)` into `out[0]` and
   * `out[1]` (NONE when the range holds no number). Ties may give any of the tied positions.
   */
  query(values: ArrayLike<number>, lo: number, hi: number, out: Int32Array | number[]): void {
    hi = Math.min(hi, this.count);
    let left = (lo + this.block - 1) >> this.shift; // the first whole run
    let right = hi >> this.shift; // one past the last whole run
    out[0] = NONE;
    out[1] = NONE;
    if (left >= right) {
      scan(values, lo, hi, out);
      return;
    }
    scan(values, lo, left << this.shift, out);
    scan(values, right << this.shift, hi, out);
    let min = out[0]!;
    let max = out[1]!;
    // The classic bottom-up segment tree walk over runs [left, right).
    for (let k = 0; left < right; k++) {
      const mins = this.mins[k]!;
      const maxs = this.maxs[k]!;
      if (left & 1) {
        min = pick(values, min, mins[left]!, false);
        max = pick(values, max, maxs[left]!, true);
        left++;
      }
      if (right & 1) {
        right--;
        min = pick(values, min, mins[right]!, false);
        max = pick(values, max, maxs[right]!, true);
      }
      left >>= 1;
      right >>= 1;
    }
    out[0] = min;
    out[1] = max;
  }

  private grow(k: number, node: number): Int32Array {
    let mins = this.mins[k]!;
    if (node >= mins.length) {
      const size = Math.max(node + 1, mins.length * 2);
      const nextMins = new Int32Array(size);
      const nextMaxs = new Int32Array(size);
      nextMins.set(mins);
      nextMaxs.set(this.maxs[k]!);
      this.mins[k] = mins = nextMins;
      this.maxs[k] = nextMaxs;
    }
    return mins;
  }
}

/** The first position in sorted `xs[0..n)` whose value is at least `x` (n when none is). */
export function lowerBound(xs: ArrayLike<number>, n: number, x: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface IndexedSeries {
  values: ArrayLike<number>;
  index: MinMaxIndex;
}

/** Per series, the lowest and highest value at each x; null where it has no number. */
export interface Envelope {
  x: number[];
  lo: (number | null)[][];
  hi: (number | null)[][];
}

/**
 * Where the end of pixel column `i` of `columns` lies on the x axis from `first` to `last`: a
 * linear axis splits the range evenly; a log-like one (the loss chart's log steps) does not.
 */
export type ColumnEdge = (first: number, last: number, i: number, columns: number) => number;

export const linearEdge: ColumnEdge = (first, last, i, columns) =>
  first + ((last - first) * i) / columns;

/**
 * What to draw of sorted `xs[0..n)` over `buckets` pixel columns: for each slice of the x range
 * that holds samples (equal slices on a linear axis; `edge` places them on another), each
 * series' lowest and highest value, placed at the slice's first sample; then the last sample
 * itself. Every sample (lo = hi) when there are few.
 * O(buckets · log n): nothing here touches every sample.
 */
export function envelope(
  xs: ArrayLike<number>,
  n: number,
  series: readonly IndexedSeries[],
  buckets: number,
  edge: ColumnEdge = linearEdge,
): Envelope {
  const result: Envelope = { x: [], lo: series.map(() => []), hi: series.map(() => []) };
  const add = (x: number, s: number, lo: number, hi: number) => {
    if (s === 0) result.x.push(x);
    result.lo[s]!.push(Number.isNaN(lo) ? null : lo);
    result.hi[s]!.push(Number.isNaN(hi) ? null : hi);
  };
  if (n <= buckets) {
    for (let i = 0; i < n; i++) {
      series.forEach(({ values }, s) => add(xs[i]!, s, values[i]!, values[i]!));
    }
    return result;
  }
  const x0 = xs[0]!;
  const xn = xs[n - 1]!;
  const found = new Int32Array(2);
  let start = 0;
  for (let b = 0; b < buckets && start < n - 1; b++) {
    // The last sample gets a point of its own below.
    const end =
      b === buckets - 1 ? n - 1 : Math.min(n - 1, lowerBound(xs, n, edge(x0, xn, b + 1, buckets)));
    if (end <= start) continue;
    for (let s = 0; s < series.length; s++) {
      const { values, index } = series[s]!;
      index.query(values, start, end, found);
      const lo = found[0] === NONE ? NaN : values[found[0]!]!;
      const hi = found[1] === NONE ? NaN : values[found[1]!]!;
      add(xs[start]!, s, lo, hi);
    }
    start = end;
  }
  series.forEach(({ values }, s) => add(xs[n - 1]!, s, values[n - 1]!, values[n - 1]!));
  return result;
}
