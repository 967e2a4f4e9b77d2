import { describe, expect, it } from "vitest";
import { SHORTCUTS, shortcutFor, type FocusKind, type KeyPress } from "./shortcuts";

function press(key: string, focus: FocusKind = "page", mods: Partial<KeyPress> = {}): KeyPress {
  return { key, ctrlKey: false, metaKey: false, altKey: false, focus, ...mods };
}

describe("shortcutFor", () => {
  it("maps the documented keys on the page", () => {
    expect(shortcutFor(press(" "))).toBe("toggle-play");
    expect(shortcutFor(press("k"))).toBe("toggle-play");
    expect(shortcutFor(press("K"))).toBe("toggle-play");
    expect(shortcutFor(press("s"))).toBe("step");
    expect(shortcutFor(press("ArrowRight"))).toBe("step");
    expect(shortcutFor(press("r"))).toBe("reset");
    expect(shortcutFor(press("?"))).toBe("help");
  });

  it("ignores other keys", () => {
    for (const key of ["a", "Enter", "Tab", "Escape", "ArrowLeft", "1"]) {
      expect(shortcutFor(press(key))).toBeNull();
    }
  });

  it("leaves every key to a text field, a select or a modal", () => {
    for (const focus of ["typing", "modal"] as const) {
      for (const key of [" ", "k", "s", "r", "?", "ArrowRight"]) {
        expect(shortcutFor(press(key, focus))).toBeNull();
      }
    }
  });

  it("leaves Space and arrows to a focused control but takes letters", () => {
    expect(shortcutFor(press(" ", "control"))).toBeNull();
    expect(shortcutFor(press("ArrowRight", "control"))).toBeNull();
    expect(shortcutFor(press("k", "control"))).toBe("toggle-play");
    expect(shortcutFor(press("r", "control"))).toBe("reset");
  });

  it("ignores keys with Ctrl, Cmd or Alt", () => {
    expect(shortcutFor(press("r", "page", { ctrlKey: true }))).toBeNull();
    expect(shortcutFor(press("r", "page", { metaKey: true }))).toBeNull();
    expect(shortcutFor(press("s", "page", { altKey: true }))).toBeNull();
  });

  it("lists every action in the help, with keys that trigger it", () => {
    const keyOf: Record<string, string> = { Space: " ", "→": "ArrowRight" };
    for (const row of SHORTCUTS) {
      for (const key of row.keys) {
        expect(shortcutFor(press(keyOf[key] ?? key))).toBe(row.action);
      }
    }
  });
});
