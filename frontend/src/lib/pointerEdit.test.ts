import { describe, expect, it } from "vitest";
import { pointerToData } from "./pointerEdit";

describe("pointerToData", () => {
  const box = [-6, 6, -6, 6] as const;
  const size = { width: 400, height: 400 };

  it("maps the element's corners and centre to the box", () => {
    expect(pointerToData(box, size, 0, 0)).toEqual([-6, 6]);
    expect(pointerToData(box, size, 200, 200)).toEqual([0, 0]);
    expect(pointerToData(box, size, 400, 400)).toEqual([6, -6]);
  });

  it("keeps a pointer just outside the element inside the box", () => {
    expect(pointerToData(box, size, -3, 410)).toEqual([-6, -6]);
  });
});
