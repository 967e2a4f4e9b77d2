// Over 300 lines for one reason: following runs and keeping them share the followed run's state.
// The Runs list: every run the learner leaves (reset, a restarting change, another setup or
// lesson, a reload or a closed page) is kept in the browser, to reopen, rename, delete and
// compare. The main store owns one instance as `store.runs`, shows it every server event before
// acting on it (so the run that ends is still the store's), and hands it its dependencies.

import type {
  ClientCommand,
  FrameEvent,
  RunSettings,
  ServerEvent,
  SetupFile,
} from "./protocol.gen";
import type { StorageLike } from "./persist";
import type { RunStorage } from "./runHistory";
import { buildRunRecord, type LiveRun, type RunRecord } from "./runRecord";
import type { Weights } from "./setupFile";

const KEEP_WEIGHTS_KEY = "nn-playground:keep-weights";
/** While training runs, the run in progress is saved this often (a closed tab loses no more). */
const DRAFT_INTERVAL_MS = 10_000;

export interface RunsDependencies {
  /** The store's state of the current run, read before it changes to the next run. */
  live: LiveRun;
  /** Asks the server for the weights (an export); the answer comes to takeWeights. */
  requestWeights: () => boolean;
  /** Loads a setup file into the session through the store's import. */
  importSetup: (setup: SetupFile) => void;
  /** Shows a one-line notice in the page's banner. */
  notify: (text: string) => void;
  now?: () => number;
}

/** The run being followed: its id, the settings it trains with, the step it began at. */
interface Followed {
  id: string;
  run: number;
  createdAt: number;
  startStep: number;
  settings: RunSettings | null;
  weights: Weights | null;
  weightsStep: number | null;
  savedStep: number | null;
  savedAt: number;
}

/** Commands after which the server starts a new run (a configure only if it changes these). */
function leavesRun(command: ClientCommand): boolean {
  if (command.type === "configure") {
    return command.network != null || command.dataset != null || command.seed != null;
  }
  return ["reset", "preset", "import", "undo"].includes(command.type);
}

export class Runs {
  /** Whether the Runs panel is open. */
  open = $state(false);
  /** The kept runs, newest first, as last read from storage. */
  records = $state.raw<RunRecord[]>([]);
  /** The runs ticked for comparison, in the order they were ticked. */
  selected = $state.raw<string[]>([]);
  comparing = $state(false);
  /** Whether runs keep their weights (larger records; reopening restores the trained network). */
  get keepWeights(): boolean {
    return this.keepingWeights;
  }
  set keepWeights(keep: boolean) {
    this.keepingWeights = keep;
    this.remember((s) => s.setItem(KEEP_WEIGHTS_KEY, keep ? "1" : "0"));
  }
  /** Why the history is not being kept, or null while it works. */
  problem = $state<string | null>(null);

  private keepingWeights = $state(false);
  private storage: RunStorage | null = null;
  /** Where the keep-weights choice is remembered (localStorage in the page). */
  private preferences: () => StorageLike | null = () => null;
  private thumbnail: () => string | null = () => null;
  private followed: Followed | null = null;
  /** The settings the server last confirmed: the ones the next frames train with. */
  private confirmed: RunSettings | null = null;
  private readonly now: () => number;
  private lastCreatedAt = 0;

  constructor(private readonly deps: RunsDependencies) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * Starts keeping runs in `storage` (or says why it cannot); `thumbnail` draws the output and
   * `preferences` remembers the keep-weights choice.
   */
  async attach(
    storage: Promise<RunStorage>,
    thumbnail: () => string | null,
    preferences: () => StorageLike | null = () => null,
  ): Promise<void> {
    this.thumbnail = thumbnail;
    this.preferences = preferences;
    this.keepingWeights = this.remember((s) => s.getItem(KEEP_WEIGHTS_KEY) === "1") ?? false;
    try {
      this.storage = await storage;
    } catch (error) {
      this.fail(`Run history is off: the browser refused its storage (${errorText(error)}).`);
      return;
    }
    await this.refresh();
  }

  /** Follows the runs in the server's events; called before the store applies each event. */
  observe(event: ServerEvent): void {
    switch (event.type) {
      case "hello":
        this.finish(); // a new session: the old one's run is over
        this.confirmed = event.settings;
        return;
      case "settings":
        this.confirmed = event.settings;
        return;
      case "frame":
        return this.onFrame(event);
      default:
        return;
    }
  }

  /** Before a command that starts a new run goes out, fetches the weights of this one. */
  beforeSend(command: ClientCommand): void {
    if (leavesRun(command)) this.fetchWeights();
  }

  /** The server's answer to requestWeights: the weights of the run in progress. */
  takeWeights(setup: SetupFile): void {
    const followed = this.followed;
    if (!followed || !setup.weights) return;
    followed.weights = setup.weights;
    followed.weightsStep = setup.step ?? null;
    this.saveDraft();
  }

  /** The page is going away (closed, reloaded): keep the run in progress as it stands. */
  leave(): void {
    this.saveDraft();
  }

  async refresh(): Promise<void> {
    if (!this.storage) return;
    try {
      const { runs, skipped } = await this.storage.list();
      this.records = runs;
      this.selected = this.selected.filter((id) => runs.some((r) => r.id === id));
      if (skipped > 0) {
        this.deps.notify(
          `${skipped} kept run${skipped === 1 ? "" : "s"} could not be read (an older or damaged record) and ${skipped === 1 ? "is" : "are"} not listed.`,
        );
      }
    } catch (error) {
      this.fail(`The run history could not be read: ${errorText(error)}.`);
    }
  }

  async rename(id: string, name: string): Promise<void> {
    // Shown at once, and a draft of the run in progress saved meanwhile keeps it.
    const trimmed = name.trim() || null;
    this.records = this.records.map((r) => (r.id === id ? { ...r, name: trimmed } : r));
    await this.change(() => this.storage?.rename(id, name));
  }

  async remove(id: string): Promise<void> {
    this.selected = this.selected.filter((s) => s !== id);
    await this.change(() => this.storage?.delete(id));
  }

  async clear(): Promise<void> {
    this.selected = [];
    await this.change(() => this.storage?.clear());
  }

  /** Loads a kept run's setup (and weights, if kept) into the session, paused. */
  reopen(id: string): void {
    const record = this.records.find((r) => r.id === id);
    if (!record) return;
    this.deps.importSetup(record.setup);
    this.open = false;
  }

  toggleSelected(id: string): void {
    this.selected = this.selected.includes(id)
      ? this.selected.filter((s) => s !== id)
      : [...this.selected, id];
  }

  /** The ticked runs, in the order ticked. */
  get chosen(): RunRecord[] {
    return this.selected.flatMap((id) => this.records.filter((r) => r.id === id));
  }

  // ---------------------------------------------------------------- following runs

  private onFrame(frame: FrameEvent): void {
    let followed = this.followed;
    if (followed && frame.run !== followed.run) {
      this.finish();
      followed = null;
    }
    if (!followed) {
      followed = this.follow(frame);
      this.followed = followed;
    }
    followed.settings = this.confirmed;
    const wasRunning = this.deps.live.frame?.running ?? false;
    const paused = !frame.running && frame.step !== followed.savedStep;
    if (paused && wasRunning) this.fetchWeights(); // the answer saves the draft again
    if (paused || this.now() - followed.savedAt >= DRAFT_INTERVAL_MS) {
      // The store takes this frame in after us: save once it has.
      queueMicrotask(() => this.saveDraft());
    }
  }

  private follow(frame: FrameEvent): Followed {
    const now = this.now();
    // Runs are listed by when they began: two begun in one millisecond still keep their order.
    this.lastCreatedAt = Math.max(now, this.lastCreatedAt + 1);
    return {
      id: `${now.toString(36)}-${Math.random().toString(36).slice(2, 10)}`,
      run: frame.run,
      createdAt: this.lastCreatedAt,
      startStep: frame.step,
      settings: this.confirmed,
      weights: null,
      weightsStep: null,
      savedStep: null,
      savedAt: now,
    };
  }

  /** Keeps the followed run for good (if it trained) and stops following it. */
  private finish(): void {
    this.saveDraft();
    this.followed = null;
  }

  private fetchWeights(): void {
    const step = this.deps.live.frame?.step;
    const followed = this.followed;
    if (!this.keepWeights || !followed || step === undefined || step <= followed.startStep) return;
    if (followed.weightsStep !== step) this.deps.requestWeights();
  }

  /** Saves the followed run as it stands now; a run that trained no step is not kept. */
  private saveDraft(): void {
    const record = this.snapshot();
    if (!record || !this.storage || !this.followed) return;
    this.followed.savedStep = record.metrics.step;
    this.followed.savedAt = record.savedAt;
    // Issued now, not after earlier saves: IndexedDB runs writes to one store in the order they
    // were made, and a page going away keeps a write it has already issued.
    this.storage.save(record).then(
      () => this.refresh(),
      (error: unknown) => {
        this.fail(`This run was not kept: the browser refused to store it (${errorText(error)}).`);
      },
    );
  }

  /** The record of the followed run from the store's current state, or null if not worth one. */
  private snapshot(): RunRecord | null {
    const followed = this.followed;
    const frame = this.deps.live.frame;
    if (!followed || !followed.settings || !frame || frame.run !== followed.run) return null;
    if (frame.step <= followed.startStep) return null; // trained no step of its own
    const weights = this.keepWeights ? followed.weights : null;
    const renamed = this.records.find((r) => r.id === followed.id)?.name ?? null;
    return buildRunRecord({
      ...followed,
      name: renamed,
      settings: followed.settings,
      weights: weights && { weights, step: followed.weightsStep },
      live: this.deps.live,
      frame,
      savedAt: this.now(),
      thumbnail: frame.grid === null && !frame.weights ? null : this.thumbnail(),
    });
  }

  private async change(action: () => Promise<void> | undefined): Promise<void> {
    try {
      await action();
    } catch (error) {
      this.deps.notify(`The run history was not changed: ${errorText(error)}.`);
    }
    await this.refresh();
  }

  /** Uses the preferences storage, which may be missing or refuse (private windows). */
  private remember<T>(use: (storage: StorageLike) => T): T | undefined {
    try {
      const storage = this.preferences();
      return storage ? use(storage) : undefined;
    } catch {
      return undefined;
    }
  }

  /** Says once why runs are not kept; the page goes on without them. */
  private fail(text: string): void {
    if (this.problem === null) this.deps.notify(text);
    this.problem = text;
  }
}

const errorText = (error: unknown): string =>
  error instanceof Error ? error.message || error.name : String(error);
