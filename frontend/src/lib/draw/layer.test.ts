import { describe, expect, it } from "vitest";
import { sameInputs } from "./layer";

describe("sameInputs", () => {
  it("compares values one by one, objects by identity", () => {
    const data = { a: 1 };
    expect(sameInputs([data, true, 2, null], [data, true, 2, null])).toBe(true);
    expect(sameInputs([data], [{ a: 1 }])).toBe(false);
    expect(sameInputs([1, 2], [1])).toBe(false);
    expect(sameInputs([NaN], [NaN])).toBe(true);
  });
});
