// A lesson's checks against the session's frames, and the learner's progress kept in the
// browser's localStorage (missing or blocked storage only means progress is not remembered).

import type { StorageLike } from "./persist";
import type { Check, FrameEvent } from "./protocol.gen";

export const LESSONS_STORAGE_KEY = "nn-playground:lessons";

/** What the page knows about a frame beyond its numbers (see checkMet). */
export interface FrameContext {
  edited?: boolean;
  ownActivation?: boolean;
}

/**
 * Whether `frame` satisfies `check`; frames before its `after_step`, frames without the metric,
 * and frames of another run than the check reads never do: a check with `after_action` reads
 * the runs that action started, one without it the lesson's own runs (no demonstration's), so
 * that a check measures what it teaches. `action` is the index of the action that started the
 * frame's run, if one did. `context.edited`: the frame shows weights the learner edited by
 * hand, with no training since (checks with `after_edit` read only such frames);
 * `context.ownActivation`: the frame's network has the learner's own activation (a check with
 * `own_activation` reads only those). Checks on an experiment's answer are read from it instead.
 */
export function checkMet(
  check: Check,
  frame: FrameEvent,
  action: number | null = null,
  context: FrameContext = {},
): boolean {
  // Read from the experiment's answer, or from the Graph view (graphCheckMet), instead.
  if (check.metric === "experiment" || check.metric === "graph_overflow") return false;
  if (check.after_edit && !context.edited) return false;
  if (check.own_activation && !context.ownActivation) return false; // the learner's own "expr" only
  if (check.after_step !== null && check.after_step !== undefined && frame.step < check.after_step)
    return false;
  if ((check.after_action ?? null) !== action) return false;
  const value = frame[check.metric];
  if (value === null || !Number.isFinite(value)) return false;
  return check.op === ">=" ? value >= check.value : value <= check.value;
}

/** Whether an experiment's answer satisfies `check` (metric `experiment`: its number `field`). */
export function experimentCheckMet(check: Check, response: object): boolean {
  if (check.metric !== "experiment" || !check.field) return false;
  const value: unknown = (response as Record<string, unknown>)[check.field];
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  return check.op === ">=" ? value >= check.value : value <= check.value;
}

/** Whether a Backward pass on a graph meets `check` (metric `graph_overflow`: 1 when a node
 * overflowed, else 0). */
export function graphCheckMet(check: Check, overflowed: boolean): boolean {
  if (check.metric !== "graph_overflow") return false;
  const value = overflowed ? 1 : 0;
  return check.op === ">=" ? value >= check.value : value <= check.value;
}

/**
 * The checks passed after `frame`: those passed before stay passed. Returns `passed` itself when
 * nothing changed, so a caller can skip the update.
 */
export function evaluateChecks(
  checks: readonly Check[],
  frame: FrameEvent,
  passed: readonly boolean[],
  action: number | null = null,
  context: FrameContext = {},
): readonly boolean[] {
  const next = checks.map(
    (check, i) => (passed[i] ?? false) || checkMet(check, frame, action, context),
  );
  return next.every((value, i) => value === (passed[i] ?? false)) ? passed : next;
}

/** What the page shows for a check (CONTRACT §4's `data-state`): a failure shown on purpose
 * reads "expected-failure" once seen, never "passed". */
export type CheckState = "pending" | "passed" | "expected-failure";

export function checkState(check: Check, met: boolean): CheckState {
  if (!met) return "pending";
  return check.expected_failure ? "expected-failure" : "passed";
}

/** Lesson id -> the indices of its checks the learner has ever passed, ascending. */
export type LessonProgress = Readonly<Record<string, readonly number[]>>;

/** Adds the passed checks of one lesson to the progress (indices only ever accumulate). */
export function withPassed(
  progress: LessonProgress,
  id: string,
  passed: readonly boolean[],
): LessonProgress {
  const indices = new Set(progress[id] ?? []);
  passed.forEach((value, i) => value && indices.add(i));
  const merged = [...indices].sort((a, b) => a - b);
  if (merged.length === (progress[id] ?? []).length) return progress;
  return { ...progress, [id]: merged };
}

/** Reads stored progress; anything that is not the expected shape is ignored, entry by entry. */
export function parseProgress(text: string | null): LessonProgress {
  if (!text) return {};
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return {};
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return {};
  const progress: Record<string, number[]> = {};
  for (const [id, value] of Object.entries(raw)) {
    if (!Array.isArray(value)) continue;
    const indices = value.filter((i): i is number => Number.isInteger(i) && i >= 0);
    progress[id] = [...new Set(indices)].sort((a, b) => a - b);
  }
  return progress;
}

/** Where progress is kept: the browser's localStorage on the page, a Map in tests. */
export interface ProgressStorage {
  read(): LessonProgress;
  write(progress: LessonProgress): void;
}

/** A ProgressStorage on `storage`; a storage that is missing or throws reads as empty. */
export function storedProgress(storage: () => StorageLike | null): ProgressStorage {
  return {
    read: () => {
      try {
        return parseProgress(storage()?.getItem(LESSONS_STORAGE_KEY) ?? null);
      } catch {
        return {};
      }
    },
    write: (progress) => {
      try {
        storage()?.setItem(LESSONS_STORAGE_KEY, JSON.stringify(progress));
      } catch {
        // Blocked or full: progress lives on in the page until it closes.
      }
    },
  };
}

/** The browser's localStorage (reading `window.localStorage` itself can throw). */
export const browserProgress: ProgressStorage = storedProgress(() => window.localStorage);
