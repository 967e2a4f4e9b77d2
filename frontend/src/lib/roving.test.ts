import { describe, expect, it } from "vitest";
import { rovingIndex } from "./roving";

describe("rovingIndex", () => {
  it("moves forward and back with the orientation's arrows, wrapping", () => {
    expect(rovingIndex("ArrowRight", 0, 3, "horizontal")).toBe(1);
    expect(rovingIndex("ArrowRight", 2, 3, "horizontal")).toBe(0);
    expect(rovingIndex("ArrowLeft", 0, 3, "horizontal")).toBe(2);
    expect(rovingIndex("ArrowDown", 1, 3, "vertical")).toBe(2);
    expect(rovingIndex("ArrowUp", 0, 3, "vertical")).toBe(2);
    expect(rovingIndex("ArrowDown", 0, 3, "both")).toBe(1);
    expect(rovingIndex("ArrowLeft", 1, 3, "both")).toBe(0);
  });

  it("ignores the other axis and other keys", () => {
    expect(rovingIndex("ArrowDown", 0, 3, "horizontal")).toBeNull();
    expect(rovingIndex("ArrowRight", 0, 3, "vertical")).toBeNull();
    expect(rovingIndex("a", 0, 3, "both")).toBeNull();
    expect(rovingIndex("Tab", 0, 3, "both")).toBeNull();
  });

  it("goes to the ends with Home and End", () => {
    expect(rovingIndex("Home", 2, 4, "horizontal")).toBe(0);
    expect(rovingIndex("End", 0, 4, "vertical")).toBe(3);
  });

  it("skips rejected items, also from Home and End", () => {
    const disabled = (i: number) => i === 1 || i === 3;
    expect(rovingIndex("ArrowDown", 0, 4, "vertical", disabled)).toBe(2);
    expect(rovingIndex("ArrowUp", 0, 4, "vertical", disabled)).toBe(2);
    expect(rovingIndex("End", 0, 4, "vertical", disabled)).toBe(2);
    expect(rovingIndex("Home", 2, 4, "vertical", (i) => i === 0)).toBe(1);
  });

  it("returns null when nothing can take focus", () => {
    expect(rovingIndex("ArrowDown", 0, 0, "vertical")).toBeNull();
    expect(rovingIndex("ArrowDown", 0, 2, "vertical", () => true)).toBeNull();
  });
});
