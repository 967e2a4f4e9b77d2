import { describe, expect, it } from "vitest";
import { envelope, lowerBound, MinMaxIndex } from "./decimate";

/** A seeded generator, so failures repeat. */
function random(seed: number): () => number {
  return () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
}

/** Values with ties (few distinct levels) and NaN gaps. */
function series(n: number, seed: number): Float64Array {
  const next = random(seed);
  return Float64Array.from({ length: n }, () =>
    next() < 0.05 ? NaN : Math.round(next() * 40) / 4 - 5,
  );
}

/** The brute-force answer: the smallest and largest number in values[lo..hi), or NaN. */
function oracle(values: ArrayLike<number>, lo: number, hi: number): [number, number] {
  let min = NaN;
  let max = NaN;
  for (let i = lo; i < hi; i++) {
    const v = values[i]!;
    if (Number.isNaN(v)) continue;
    if (!(v >= min)) min = v;
    if (!(v <= max)) max = v;
  }
  return [min, max];
}

/** What a query says, as values (ties may pick any position), checking the positions too. */
function answer(index: MinMaxIndex, values: ArrayLike<number>, lo: number, hi: number) {
  const out = [0, 0];
  index.query(values, lo, hi, out);
  for (const position of out) {
    if (position !== -1) expect(position >= lo && position < hi).toBe(true);
  }
  return out.map((position) => (position === -1 ? NaN : values[position]!));
}

describe("MinMaxIndex", () => {
  it.each([1, 2, 16])("matches brute force on every range as it grows (block %i)", (block) => {
    const values = series(150, block);
    const index = new MinMaxIndex(block);
    const out = [0, 0];
    const wrong: string[] = [];
    for (let n = 1; n <= values.length; n++) {
      index.push(values);
      for (let lo = 0; lo < n; lo += n < 40 ? 1 : 7) {
        for (let hi = lo + 1; hi <= n; hi++) {
          index.query(values, lo, hi, out);
          const [min, max] = oracle(values, lo, hi);
          const ok = out.every((p) => p === -1 || (p >= lo && p < hi));
          const got = out.map((p) => (p === -1 ? NaN : values[p]!));
          if (!ok || !Object.is(got[0], min) || !Object.is(got[1], max)) {
            wrong.push(`n=${n} [${lo}, ${hi}): got ${got}, want ${[min, max]}`);
          }
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
  });

  it("matches brute force on long series, built by push or rebuilt", () => {
    const next = random(7);
    for (const n of [1, 15, 16, 17, 1000, 4097, 50_000]) {
      const values = series(n, n);
      const pushed = new MinMaxIndex();
      for (let i = 0; i < n; i++) pushed.push(values);
      const rebuilt = new MinMaxIndex();
      rebuilt.rebuild(values, n);
      expect(rebuilt.length).toBe(n);
      for (let q = 0; q < 300; q++) {
        const a = Math.floor(next() * n);
        const b = Math.floor(next() * n);
        const [lo, hi] = [Math.min(a, b), Math.max(a, b) + 1];
        const expected = oracle(values, lo, hi);
        expect(answer(pushed, values, lo, hi)).toEqual(expected);
        expect(answer(rebuilt, values, lo, hi)).toEqual(expected);
      }
      expect(answer(rebuilt, values, 0, n)).toEqual(oracle(values, 0, n));
    }
  });

  it("keeps answering after a rebuild when pushed again", () => {
    const values = series(3000, 3);
    const index = new MinMaxIndex(4);
    index.rebuild(values, 1234);
    for (let i = 1234; i < values.length; i++) index.push(values);
    for (let lo = 0; lo < values.length; lo += 97) {
      for (let hi = lo + 1; hi <= values.length; hi += 89) {
        expect(answer(index, values, lo, hi)).toEqual(oracle(values, lo, hi));
      }
    }
  });

  it("answers NONE for NaN only, and refuses blocks that are not powers of two", () => {
    const values = [NaN, NaN, NaN];
    const index = new MinMaxIndex(2);
    index.rebuild(values, 3);
    const out = [0, 0];
    index.query(values, 0, 3, out);
    expect(out).toEqual([-1, -1]);
    expect(() => new MinMaxIndex(12)).toThrow(/power of two/);
  });
});

describe("lowerBound", () => {
  it("finds the first position at or above x", () => {
    const xs = [1, 3, 3, 7];
    expect([0, 1, 2, 3, 4, 7, 8].map((x) => lowerBound(xs, 4, x))).toEqual([0, 0, 1, 1, 3, 3, 4]);
  });
});

describe("envelope", () => {
  /** Steps spaced unevenly, as after the history thins: every 2 at first, then every 1. */
  function steps(n: number): Float64Array {
    return Float64Array.from({ length: n }, (_, i) => (i < n / 2 ? 2 * i : i + n / 2));
  }

  function indexed(values: Float64Array) {
    const index = new MinMaxIndex();
    index.rebuild(values, values.length);
    return { values, index };
  }

  const orNull = (v: number) => (Number.isNaN(v) ? null : v);

  it("keeps every sample when there are few", () => {
    const values = series(10, 1);
    const { x, lo, hi } = envelope(steps(10), 10, [indexed(values)], 100);
    expect(x).toEqual(Array.from(steps(10)));
    expect(lo[0]).toEqual(Array.from(values, orNull));
    expect(hi[0]).toEqual(Array.from(values, orNull));
  });

  it("gives exactly each series' minimum and maximum in every slice, like brute force", () => {
    const n = 20_000;
    const xs = steps(n);
    const all = [indexed(series(n, 11)), indexed(series(n, 12))];
    for (const buckets of [1, 7, 300, 2000, n - 1]) {
      const { x, lo, hi } = envelope(xs, n, all, buckets);
      // The oracle: walk the samples once, cutting where the slice's boundary lies.
      const want = {
        x: [] as number[],
        lo: [[], []] as (number | null)[][],
        hi: [[], []] as (number | null)[][],
      };
      const span = xs[n - 1]! - xs[0]!;
      let start = 0;
      for (let b = 0; b < buckets; b++) {
        const limit = b === buckets - 1 ? Infinity : xs[0]! + (span * (b + 1)) / buckets;
        let end = start;
        while (end < n - 1 && xs[end]! < limit) end++;
        if (end > start) {
          want.x.push(xs[start]!);
          all.forEach(({ values }, s) => {
            const [min, max] = oracle(values, start, end);
            want.lo[s]!.push(orNull(min));
            want.hi[s]!.push(orNull(max));
          });
        }
        start = end;
      }
      want.x.push(xs[n - 1]!);
      all.forEach(({ values }, s) => {
        want.lo[s]!.push(orNull(values[n - 1]!));
        want.hi[s]!.push(orNull(values[n - 1]!));
      });
      expect(x.length).toBeLessThanOrEqual(buckets + 1);
      expect({ x, lo, hi }).toEqual(want);
    }
  });

  it("leaves a gap where a series has no number over a whole slice", () => {
    const n = 1000;
    const xs = Float64Array.from({ length: n }, (_, i) => i);
    const values = Float64Array.from({ length: n }, (_, i) => (i >= 400 && i < 600 ? NaN : i % 7));
    const { lo, hi } = envelope(xs, n, [indexed(values)], 10);
    // Slices of 99.9 steps: [399.6, 499.5) and [499.5, 599.4) hold only NaN; 999 % 7 is 5.
    expect(lo[0]).toEqual([0, 0, 0, 0, null, null, 0, 0, 0, 0, 5]);
    expect(hi[0]).toEqual([6, 6, 6, 6, null, null, 6, 6, 6, 6, 5]);
  });
});
