import { describe, expect, it } from "vitest";
import { formatCompact } from "./formatCompact";

describe("formatCompact", () => {
  it("keeps three significant digits without float noise", () => {
    expect(formatCompact(0.123456)).toBe("0.123");
    expect(formatCompact(-12.345)).toBe("-12.3");
    expect(formatCompact(1234.5)).toBe("1230");
    expect(formatCompact(0.1 + 0.2)).toBe("0.3");
  });
  it("switches to exponent form for tiny and huge values", () => {
    expect(formatCompact(0.000123)).toBe("1.2e-4");
    expect(formatCompact(-56789)).toBe("-5.7e4");
  });
  it("spells out zero, missing and non-finite values", () => {
    expect(formatCompact(0)).toBe("0");
    expect(formatCompact(null)).toBe("—");
    expect(formatCompact(NaN)).toBe("NaN");
    expect(formatCompact(-Infinity)).toBe("-∞");
  });
});
