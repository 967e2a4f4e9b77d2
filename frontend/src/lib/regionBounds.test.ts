import { describe, expect, it } from "vitest";
import {
  binomial,
  foldingRegions,
  formatCount,
  formatLargeCount,
  hyperplaneRegions,
  log10Big,
  logShare,
  montufarLowerBound,
  oneLayerMaximum,
  regionTheory,
  serraUpperBound,
} from "./regionBounds";

describe("binomial", () => {
  it("matches Pascal's triangle", () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((k) => binomial(6, k))).toEqual([
      1n,
      6n,
      15n,
      20n,
      15n,
      6n,
      1n,
    ]);
  });

  it("is 0 outside 0..n and exact past 2^53", () => {
    expect(binomial(3, 4)).toBe(0n);
    expect(binomial(3, -1)).toBe(0n);
    expect(binomial(100, 50)).toBe(100891344545564193334812497256n);
  });
});

describe("oneLayerMaximum", () => {
  it("is 1 + n + n(n-1)/2 lines in general position on the plane", () => {
    expect(oneLayerMaximum(0)).toBe(1n);
    expect(oneLayerMaximum(1)).toBe(2n);
    expect(oneLayerMaximum(2)).toBe(4n);
    expect(oneLayerMaximum(6)).toBe(22n);
    expect(oneLayerMaximum(8)).toBe(37n);
    expect(hyperplaneRegions(3, 3)).toBe(8n);
  });
});

describe("serraUpperBound", () => {
  it("equals the one-layer maximum for one layer", () => {
    for (let n = 0; n <= 32; n++) expect(serraUpperBound([n])).toBe(oneLayerMaximum(n));
  });

  it("matches hand-computed sums", () => {
    // [1, 1]: j1=0 leaves min 1 → 2 terms; j1=1 leaves min 0 → 1 term.
    expect(serraUpperBound([1, 1])).toBe(3n);
    // [2, 2]: j1=0 → 1·4, j1=1 → 2·3, j1=2 → 1·1.
    expect(serraUpperBound([2, 2])).toBe(11n);
    // [3, 3]: (1 + 3)·7 + 3·4.
    expect(serraUpperBound([3, 3])).toBe(40n);
    // Layers at least 2·n0 wide never lower the running minimum: the bound is a product.
    expect(serraUpperBound([8, 8])).toBe(37n * 37n);
    expect(serraUpperBound([8, 8, 8])).toBe(37n ** 3n);
  });

  it("is 1 for no hidden layers and stays exact for the widest network", () => {
    expect(serraUpperBound([])).toBe(1n);
    expect(serraUpperBound(Array(6).fill(32))).toBe(529n ** 6n);
  });

  it("lies between Montúfar's lower bound and the product of one-layer maxima", () => {
    for (const widths of [
      [2, 2],
      [3, 5],
      [8, 8],
      [4, 6, 8],
      [32, 32, 32],
    ]) {
      const upper = serraUpperBound(widths);
      expect(upper >= montufarLowerBound(widths)!).toBe(true);
      expect(upper <= widths.reduce((p, n) => p * oneLayerMaximum(n), 1n)).toBe(true);
    }
  });
});

describe("montufarLowerBound", () => {
  it("matches hand-computed products", () => {
    expect(montufarLowerBound([8])).toBe(37n);
    expect(montufarLowerBound([2, 2])).toBe(1n * 4n); // ⌊2/2⌋^2 · (1 + 2 + 1)
    expect(montufarLowerBound([3, 3])).toBe(7n); // ⌊3/2⌋^2 · 7
    expect(montufarLowerBound([4, 6])).toBe(4n * 22n);
    expect(montufarLowerBound([8, 8])).toBe(16n * 37n);
    expect(montufarLowerBound([8, 8, 8])).toBe(16n * 16n * 37n);
  });

  it("is null when a layer is narrower than the input or there are none", () => {
    expect(montufarLowerBound([1, 4])).toBeNull();
    expect(montufarLowerBound([])).toBeNull();
  });
});

describe("foldingRegions", () => {
  it("is 16 per layer", () => {
    expect([1, 2, 3].map(foldingRegions)).toEqual([16n, 256n, 4096n]);
  });
});

describe("formatCount", () => {
  it("groups digits with thin spaces", () => {
    expect(formatCount(0n)).toBe("0");
    expect(formatCount(999)).toBe("999");
    expect(formatCount(1234567n)).toBe("1\u2009234\u2009567");
    expect(formatCount(-1000)).toBe("-1\u2009000");
  });

  it("abbreviates only very long counts", () => {
    expect(formatLargeCount(1369n)).toBe("1\u2009369");
    expect(formatLargeCount(529n ** 6n)).toBe("≈ 2.19 × 10^16");
  });
});

describe("regionTheory", () => {
  it("gives the exact maximum only for one layer", () => {
    expect(regionTheory([6])).toEqual({
      depth: 1,
      neurons: 6,
      exactMaximum: 22n,
      oneLayerSameNeurons: 22n,
      upper: 22n,
      lower: 22n,
    });
    const deep = regionTheory([8, 8]);
    expect(deep.exactMaximum).toBeNull();
    expect(deep.oneLayerSameNeurons).toBe(137n); // 1 + 16 + 120
    expect(deep.upper).toBe(1369n);
    expect(deep.lower).toBe(592n);
  });
});

describe("log10Big", () => {
  it("matches Math.log10 and goes past doubles", () => {
    expect(log10Big(1n)).toBe(0);
    expect(log10Big(1000n)).toBeCloseTo(3);
    expect(log10Big(37n)).toBeCloseTo(Math.log10(37));
    expect(log10Big(10n ** 400n)).toBeCloseTo(400);
    expect(() => log10Big(0n)).toThrow();
  });
});

describe("logShare", () => {
  it("places values between 1 and the top on a log scale", () => {
    expect(logShare(1, 10000n)).toBe(0);
    expect(logShare(100, 10000n)).toBeCloseTo(0.5);
    expect(logShare(10n ** 6n, 10000n)).toBe(1);
    expect(logShare(5, 1n)).toBe(0);
  });
});
