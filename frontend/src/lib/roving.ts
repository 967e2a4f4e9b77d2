// Arrow-key movement inside one WAI-ARIA composite (a tab list, a radio group, a menu): which
// item a key moves to. Pure; components focus the item and apply what it means.

/** Which arrow keys move: tabs use left/right, menus up/down, radio groups both. */
export type Orientation = "horizontal" | "vertical" | "both";

const FORWARD: Record<Orientation, readonly string[]> = {
  horizontal: ["ArrowRight"],
  vertical: ["ArrowDown"],
  both: ["ArrowRight", "ArrowDown"],
};
const BACKWARD: Record<Orientation, readonly string[]> = {
  horizontal: ["ArrowLeft"],
  vertical: ["ArrowUp"],
  both: ["ArrowLeft", "ArrowUp"],
};

/**
 * The index `key` moves to from `index` among `count` items, wrapping at the ends (Home and End
 * go to the first and last), skipping items `skip` rejects; null when the key does not move.
 */
export function rovingIndex(
  key: string,
  index: number,
  count: number,
  orientation: Orientation,
  skip: (index: number) => boolean = () => false,
): number | null {
  if (count <= 0) return null;
  let start: number;
  let step: number;
  if (key === "Home") [start, step] = [0, 1];
  else if (key === "End") [start, step] = [count - 1, -1];
  else if (FORWARD[orientation].includes(key)) [start, step] = [index + 1, 1];
  else if (BACKWARD[orientation].includes(key)) [start, step] = [index - 1, -1];
  else return null;
  for (let tried = 0; tried < count; tried++) {
    const candidate = (((start + tried * step) % count) + count) % count;
    if (!skip(candidate)) return candidate;
  }
  return null;
}
