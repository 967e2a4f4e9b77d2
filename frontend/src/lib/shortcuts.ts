// The page's keyboard shortcuts: which key does what, and when a key belongs to the focused
// control instead. Pure, so vitest checks the dispatch without a page.

export type ShortcutAction = "toggle-play" | "step" | "reset" | "help";

/** One row of the help dialog: the keys a person presses and what they do. */
export interface ShortcutHelp {
  keys: readonly string[];
  action: ShortcutAction;
  text: string;
}

export const SHORTCUTS: readonly ShortcutHelp[] = [
  { keys: ["Space", "K"], action: "toggle-play", text: "Play or pause training" },
  { keys: ["S", "→"], action: "step", text: "Train one step (the step size), then pause" },
  { keys: ["R"], action: "reset", text: "Reset: new random weights, step 0" },
  { keys: ["?"], action: "help", text: "Show these shortcuts" },
];

/** What has focus when a key is pressed, as far as shortcuts care. */
export type FocusKind = "typing" | "modal" | "control" | "page";

/** The parts of a KeyboardEvent the dispatch reads, with what has focus. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  focus: FocusKind;
}

const BY_KEY: Readonly<Record<string, ShortcutAction>> = {
  " ": "toggle-play",
  k: "toggle-play",
  K: "toggle-play",
  s: "step",
  S: "step",
  ArrowRight: "step",
  r: "reset",
  R: "reset",
  "?": "help",
};

/** Keys a focused control uses itself (a button's Space, a tab list's arrows). */
const CONTROL_KEYS = new Set([" ", "Enter", "ArrowRight", "ArrowLeft", "ArrowUp", "ArrowDown"]);

/**
 * The page action for a key press, or null when the key is not a shortcut or belongs to what
 * has focus: anything typed into a field, any key with Ctrl, Cmd or Alt, anything inside an open
 * modal, and Space or arrows on a control that uses them itself.
 */
export function shortcutFor(press: KeyPress): ShortcutAction | null {
  if (press.ctrlKey || press.metaKey || press.altKey) return null;
  const action = BY_KEY[press.key];
  if (!action || press.focus === "typing" || press.focus === "modal") return null;
  if (press.focus === "control" && CONTROL_KEYS.has(press.key)) return null;
  return action;
}

/** Where typing happens: text fields, selects and editable content take every key. */
const TYPING = 'input, select, textarea, [contenteditable=""], [contenteditable="true"]';

/** A modal in front of the page: its keys are its own. */
const MODAL = 'dialog[open], [role="dialog"][aria-modal="true"]';

/** Controls that answer Space, Enter or arrow keys themselves. */
const INTERACTIVE =
  'button, a[href], summary, [role="button"], [role="tab"], [role="radio"], ' +
  '[role="menuitem"], [role="slider"], [role="option"], [tabindex]:not([tabindex="-1"])';

/** Classifies the element a key press went to (the page's body, a field, a control…). */
export function focusKind(target: EventTarget | null): FocusKind {
  if (typeof Element === "undefined" || !(target instanceof Element)) return "page";
  if (target.closest(TYPING)) return "typing";
  if (target.closest(MODAL)) return "modal";
  if (target.closest(INTERACTIVE)) return "control";
  return "page";
}
