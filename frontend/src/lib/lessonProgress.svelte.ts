// A lesson's progress, apart from the panel's navigation (Lessons builds on it): the lesson
// shown, which of its checks this run met, the progress kept in localStorage, and the answers of
// its experiments (run over HTTP), which meet checks of their own.

import type { Api } from "./api";
import { runExperiment, type ExperimentResult } from "./experiments";
import { experimentCheckMet, withPassed, type ProgressStorage } from "./lessonChecks";
import type { Lesson } from "./protocol.gen";

/** The label noise of the double-descent lesson's second run. */
export const NOISY_LABELS = 0.2;

/** Which run of a lesson's experiment: as the lesson names it, or with label noise. */
export type ExperimentVariant = "clean" | "noisy";

export abstract class LessonProgress {
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

  constructor(
    protected readonly api: Api,
    private readonly storage: ProgressStorage,
  ) {
    this.progress = storage.read();
  }

  /** Keeps `passed` as the current lesson's checks and remembers them in the progress. */
  protected record(lesson: Lesson, passed: readonly boolean[]): void {
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

  /** Runs the current lesson's experiment, or its label-noise variant. */
  async runExperiment(variant: ExperimentVariant = "clean"): Promise<void> {
    const lesson = this.current;
    if (!lesson?.experiment || this.running !== null) return;
    const key = experimentKey(lesson, variant);
    const overrides = variant === "noisy" ? { label_noise: NOISY_LABELS } : {};
    this.running = key;
    this.experimentError = null;
    try {
      const result = await runExperiment(lesson.experiment, overrides, this.api);
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
