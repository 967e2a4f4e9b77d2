import { describe, expect, it } from "vitest";
import { firstItem, itemKey, moveInDiagram, validItem, type DiagramItem } from "./diagramKeys";

// 2 inputs, 3 hidden units, 1 output.
const SHOWN = [2, 3, 1];
const neuron = (column: number, unit: number): DiagramItem => ({ kind: "neuron", column, unit });

describe("moveInDiagram", () => {
  it("moves up and down a column, wrapping, and Home/End to its ends", () => {
    expect(moveInDiagram(neuron(1, 0), "ArrowDown", SHOWN)).toEqual(neuron(1, 1));
    expect(moveInDiagram(neuron(1, 0), "ArrowUp", SHOWN)).toEqual(neuron(1, 2));
    expect(moveInDiagram(neuron(1, 1), "End", SHOWN)).toEqual(neuron(1, 2));
    expect(moveInDiagram(neuron(1, 2), "Home", SHOWN)).toEqual(neuron(1, 0));
  });

  it("follows an outgoing edge to the right and on to its target neuron", () => {
    const edge = moveInDiagram(neuron(0, 1), "ArrowRight", SHOWN);
    expect(edge).toEqual({ kind: "edge", layer: 0, row: 0, col: 1, from: "source" });
    // Down walks the source's outgoing weights: its target changes, its source stays.
    const next = moveInDiagram(edge!, "ArrowDown", SHOWN);
    expect(next).toEqual({ kind: "edge", layer: 0, row: 1, col: 1, from: "source" });
    expect(moveInDiagram(next!, "ArrowRight", SHOWN)).toEqual(neuron(1, 1));
    expect(moveInDiagram(next!, "ArrowLeft", SHOWN)).toEqual(neuron(0, 1));
  });

  it("walks a neuron's incoming weights after a left arrow", () => {
    const edge = moveInDiagram(neuron(1, 2), "ArrowLeft", SHOWN);
    expect(edge).toEqual({ kind: "edge", layer: 0, row: 2, col: 0, from: "target" });
    const next = moveInDiagram(edge!, "ArrowDown", SHOWN);
    expect(next).toEqual({ kind: "edge", layer: 0, row: 2, col: 1, from: "target" });
    expect(moveInDiagram(next!, "ArrowDown", SHOWN)).toEqual(edge);
  });

  it("stops at the inputs and the outputs", () => {
    expect(moveInDiagram(neuron(0, 0), "ArrowLeft", SHOWN)).toBeNull();
    expect(moveInDiagram(neuron(2, 0), "ArrowRight", SHOWN)).toBeNull();
    expect(moveInDiagram(neuron(1, 0), "Enter", SHOWN)).toBeNull();
  });
});

describe("validItem", () => {
  it("keeps an item that is still drawn", () => {
    expect(validItem(neuron(1, 2), SHOWN)).toEqual(neuron(1, 2));
  });

  it("falls back to the first hidden neuron when the network shrank", () => {
    expect(validItem(neuron(1, 5), SHOWN)).toEqual(neuron(1, 0));
    const edge: DiagramItem = { kind: "edge", layer: 2, row: 0, col: 0, from: "source" };
    expect(validItem(edge, SHOWN)).toEqual(neuron(1, 0));
    expect(validItem(null, [])).toBeNull();
    expect(firstItem([2])).toEqual(neuron(0, 0));
  });

  it("gives every item its own key", () => {
    const keys = new Set([
      itemKey(neuron(0, 1)),
      itemKey(neuron(1, 0)),
      itemKey({ kind: "edge", layer: 0, row: 1, col: 0, from: "source" }),
      itemKey({ kind: "edge", layer: 0, row: 0, col: 1, from: "target" }),
    ]);
    expect(keys.size).toBe(4);
  });
});
