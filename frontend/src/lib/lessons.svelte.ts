// The lessons panel's state, apart from the main store (which holds one instance and hands it
// every frame): the course from GET /api/lessons, the lesson shown, its checks on this run, the
// progress kept in localStorage, and the experiments' answers.

import { errorDetail } from "./explore";
import { runExperiment, type ExperimentResult } from "./experiments";
import {
  browserProgress,
  evaluateChecks,
  experimentCheckMet,
  withPassed,
  type ProgressStorage,
} from "./lessonChecks";
import type {
  ClientCommand,
  FrameEvent,
  Lesson,
  LessonAction,
  LessonsResponse,
} from "./protocol.gen";

/** The label noise of the double-descent lesson's second run. */
export const NOISY_LABELS = 0.2;

/** Which run of a lesson's experiment: as the lesson names it, or with label noise. */
export type ExperimentVariant = "clean" | "noisy";

export class Lessons {
  /** Whether the panel is shown; a lesson keeps running while it is hidden. */
  open = $state(false);
  list = $state.raw<Lesson[]>([]);
  loading = $state(false);
  loadError = $state<string | null>(null);
  /** The lesson shown; null in free play. */
  current = $state.raw<Lesson | null>(null);
  /** Which of the current lesson's checks have been met since it started. */
  passed = $state.raw<readonly boolean[]>([]);
  progress = $state.raw<Record<string, readonly number[]>>({});
  /** Experiment answers by `experimentKey(lesson, variant)`, kept while the page lives. */
  results = $state.raw<Record<string, ExperimentResult>>({});
  /** The key of the experiment under way, if one is. */
  running = $state<string | null>(null);
  experimentError = $state<string | null>(null);
  /** Set when a lesson's command could not be sent (no connection). */
  problem = $state<string | null>(null);

  /** The run of the newest frame, and the run whose frames predate the lesson's preset. */
  private lastRun: number | null = null;
  private staleRun: number | null = null;

  constructor(
    private readonly send: (command: ClientCommand) => boolean,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
    private readonly storage: ProgressStorage = browserProgress,
  ) {
    this.progress = storage.read();
  }

  /** Shows or hides the panel; the first opening loads the course. */
  toggle(): void {
    this.open = !this.open;
    if (this.open && this.list.length === 0 && !this.loading) void this.load();
  }

  async load(): Promise<void> {
    this.loading = true;
    this.loadError = null;
    try {
      const response = await this.fetcher("/api/lessons", {
        headers: { accept: "application/json" },
      });
      const body: unknown = await response.json().catch(() => null);
      if (!response.ok)
        throw new Error(errorDetail(body) ?? `the server answered ${response.status}`);
      const lessons = (body as LessonsResponse | null)?.lessons;
      if (!Array.isArray(lessons)) throw new Error("the server answered without lessons");
      this.list = lessons;
    } catch (error) {
      const message = (error as Error).message;
      this.loadError = `Could not load the lessons: ${message.replace(/^Failed to fetch$/, "no answer from the server")}.`;
    } finally {
      this.loading = false;
    }
  }

  /**
   * Shows `lesson`; an available one also gets its preset sent and a fresh run (so frames of the
   * setup before never count), and its checks start over.
   */
  start(lesson: Lesson): void {
    this.current = lesson;
    this.passed = lesson.checks.map(() => false);
    this.experimentError = null;
    this.problem = null;
    if (!lesson.available) return;
    if (!this.send(lesson.preset) || !this.send({ type: "reset" })) {
      this.problem = "Not connected: the lesson's setup was not sent. Try again once connected.";
      return;
    }
    this.staleRun = this.lastRun;
  }

  /** Sends one of the current lesson's demonstrations as it is. */
  runAction(action: LessonAction): void {
    this.problem = this.send(action.command) ? null : "Not connected: nothing was sent.";
  }

  /** Marks the checks this frame meets and remembers them. */
  onFrame(frame: FrameEvent): void {
    const stale = frame.run === this.staleRun;
    this.lastRun = frame.run;
    if (stale) return;
    this.staleRun = null;
    const lesson = this.current;
    if (!lesson?.available || lesson.checks.length === 0) return;
    this.record(lesson, evaluateChecks(lesson.checks, frame, this.passed));
  }

  /** Keeps `passed` as the current lesson's checks and remembers them in the progress. */
  private record(lesson: Lesson, passed: readonly boolean[]): void {
    if (passed === this.passed) return;
    this.passed = passed;
    const progress = withPassed(this.progress, lesson.id, passed);
    if (progress !== this.progress) {
      this.progress = progress;
      this.storage.write(progress);
    }
  }

  /** Marks the checks of `lesson` that read its experiment's answer and that this one meets. */
  private onExperiment(lesson: Lesson, response: object): void {
    if (this.current?.id !== lesson.id) return;
    const next = lesson.checks.map(
      (check, i) => (this.passed[i] ?? false) || experimentCheckMet(check, response),
    );
    if (next.some((value, i) => value !== (this.passed[i] ?? false))) this.record(lesson, next);
  }

  /** How many of the lesson's checks the learner has ever passed. */
  passedCount(lesson: Lesson): number {
    return (this.progress[lesson.id] ?? []).filter((i) => i < lesson.checks.length).length;
  }

  /** Whether every check of the lesson has been passed at some point. */
  done(lesson: Lesson): boolean {
    return lesson.checks.length > 0 && this.passedCount(lesson) === lesson.checks.length;
  }

  /** The lesson after (+1) or before (−1) the current one, if there is one. */
  neighbour(offset: 1 | -1): Lesson | null {
    const index = this.current ? this.list.findIndex((l) => l.id === this.current?.id) : -1;
    if (index < 0) return offset === 1 ? (this.list[0] ?? null) : null;
    return this.list[index + offset] ?? null;
  }

  next(): void {
    const lesson = this.neighbour(1);
    if (lesson) this.start(lesson);
  }

  previous(): void {
    const lesson = this.neighbour(-1);
    if (lesson) this.start(lesson);
  }

  /** Leaves the lesson and closes the panel; the setup stays as it is. */
  freePlay(): void {
    this.current = null;
    this.passed = [];
    this.open = false;
    this.problem = null;
  }

  /** Runs the current lesson's experiment, or its label-noise variant. */
  async runExperiment(variant: ExperimentVariant = "clean"): Promise<void> {
    const lesson = this.current;
    if (!lesson?.experiment || this.running !== null) return;
    const key = experimentKey(lesson, variant);
    const overrides = variant === "noisy" ? { label_noise: NOISY_LABELS } : {};
    this.running = key;
    this.experimentError = null;
    try {
      const result = await runExperiment(lesson.experiment, overrides, this.fetcher);
      this.results = { ...this.results, [key]: result };
      this.onExperiment(lesson, result.response);
    } catch (error) {
      this.experimentError = `The experiment failed: ${(error as Error).message}`;
    } finally {
      this.running = null;
    }
  }

  result(lesson: Lesson, variant: ExperimentVariant = "clean"): ExperimentResult | null {
    return this.results[experimentKey(lesson, variant)] ?? null;
  }
}

export function experimentKey(lesson: Lesson, variant: ExperimentVariant): string {
  return variant === "clean" ? lesson.id : `${lesson.id}:${variant}`;
}
