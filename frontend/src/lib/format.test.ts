import { describe, expect, it } from "vitest";
import { formatInput, formatLoss, formatPercent, parseNumber, validateNumber } from "./format";

describe("format", () => {
  it("formats losses", () => {
    expect(formatLoss(null)).toBe("—");
    expect(formatLoss(0.693147)).toBe("0.6931");
    expect(formatLoss(NaN)).toBe("NaN");
    expect(formatLoss(Infinity)).toBe("∞");
    expect(formatLoss(0.00001234)).toBe("1.23e-5");
    expect(Number(formatLoss(0.25))).toBe(0.25);
  });

  it("formats accuracies as percentages", () => {
    expect(formatPercent(0.975)).toBe("97.5%");
    expect(formatPercent(1)).toBe("100.0%");
    expect(formatPercent(undefined)).toBe("—");
  });

  it("prints inputs without float noise", () => {
    expect(formatInput(0.1 + 0.2)).toBe("0.3");
    expect(formatInput(0.03)).toBe("0.03");
    expect(formatInput(1e-5)).toBe("0.00001");
  });

  it("parses and validates numbers", () => {
    expect(parseNumber(" 12 ")).toBe(12);
    expect(parseNumber("")).toBeNull();
    expect(parseNumber("abc")).toBeNull();
    const bounds = { min: 1, max: 32, integer: true };
    expect(validateNumber(8, bounds)).toBeNull();
    expect(validateNumber(0, bounds)).toBe("must be at least 1");
    expect(validateNumber(33, bounds)).toBe("must be at most 32");
    expect(validateNumber(2.5, bounds)).toBe("must be a whole number");
    expect(validateNumber(null, bounds)).toBe("enter a number");
  });
});
