// The lessons panel's state, apart from the main store (which holds one instance and hands it
// every frame): the course from GET /api/lessons, the lesson shown, its checks on this run and
// the address's lesson; the progress and the experiments' answers are in LessonProgress.

import { answer, createApi } from "./api";
import { applyHiddenControls, unknownControls } from "./hideControls";
import {
  browserProgress,
  evaluateChecks,
  graphCheckMet,
  type ProgressStorage,
} from "./lessonChecks";
import { LessonProgress } from "./lessonProgress.svelte";
import { readHashKeys, withHashKey, type HashLocation } from "./urlHash";
import type {
  ClientCommand,
  ConfigureCommand,
  FrameEvent,
  GraphView,
  Lesson,
  LessonAction,
  RunSettings,
} from "./protocol.gen";

export { experimentKey, NOISY_LABELS, type ExperimentVariant } from "./lessonProgress.svelte";

export class Lessons extends LessonProgress {
  /** Whether the panel is shown; a lesson keeps running while it is hidden. */
  open = $state(false);
  list = $state.raw<Lesson[]>([]);
  loading = $state(false);
  loadError = $state<string | null>(null);
  /** Set when a lesson's command could not be sent (no connection). */
  problem = $state<string | null>(null);

  /** What was wrong with the address's `hide` list, if anything (shown atop the panel). */
  linkProblem = $state<string | null>(null);
  /** Controls a shared link hides (`#…&hide=optimizer,learning_rate`), for whoever opens it. */
  hidden = $state.raw<readonly string[]>([]);

  /** The run of the newest frame, and the run whose frames predate the lesson's preset. */
  private lastRun: number | null = null;
  private staleRun: number | null = null;
  /** After a fresh start (freshStart), the seed whose settings announce the lesson's own run:
   * frames before them are of the runs on the way and never count. */
  private awaitedSeed: number | null = null;
  /** The action pressed last: the runs after the one it was pressed in (after a fresh start,
   * after its seed's settings) are its own, and checks with `after_action` read them, until
   * another action or the lesson starts again. */
  private pressed: { index: number; run: number | null; seed: number | null } | null = null;
  /** The run and step of the newest frame when the learner last edited weights by hand. */
  private edited: { run: number; step: number } | null = null;
  private lastStep = 0;
  /** `#lesson=N` to open once the course is loaded and the socket is open. */
  private pendingNumber: number | null = null;
  /** Whether that link also fixed the setup, which then stands in for the lesson's preset. */
  private keepSetup = false;
  private hashLocation: HashLocation | null = null;
  /** Whether a session has said hello (see `connected`). */
  private greeted = false;
  /** The confirmed network has the learner's own activation ("expr"): for `own_activation`. */
  private ownActivation = false;

  constructor(
    private readonly send: (command: ClientCommand) => boolean,
    fetcher: typeof fetch = (input, init) => fetch(input, init),
    storage: ProgressStorage = browserProgress,
  ) {
    super(createApi(fetcher), storage);
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
      const { lessons } = await answer(this.api.GET("/api/lessons"));
      if (!Array.isArray(lessons)) throw new Error("the server answered without lessons");
      this.list = lessons;
      this.openPending();
    } catch (error) {
      this.loadError = `Could not load the lessons: ${(error as Error).message}.`;
    } finally {
      this.loading = false;
    }
  }

  /**
   * Reads `#lesson=N` and `hide=` from the address (N counts from 1, as the list does): the
   * controls named in `hide` are hidden, and lesson N opens once the course has loaded and the
   * socket is open. A `setup=` beside it stands in for the lesson's preset. From then on the
   * address names the lesson shown.
   */
  followHash(location: HashLocation): void {
    this.hashLocation = location;
    const keys = readHashKeys(location.read());
    this.hidden = (keys.get("hide") ?? "").split(",").filter((name) => name !== "");
    applyHiddenControls(this.hidden);
    const unknown = unknownControls(this.hidden);
    if (unknown.length) {
      this.linkProblem = `This link hides controls the page does not know: ${unknown.join(", ")}.`;
      this.open = true;
    }
    const number = Number(keys.get("lesson"));
    if (!keys.has("lesson")) return;
    if (!Number.isInteger(number) || number < 1) {
      this.problem = `The link names lesson "${keys.get("lesson") ?? ""}": lessons are numbered 1, 2, 3, …`;
      this.open = true;
      return;
    }
    this.pendingNumber = number;
    this.keepSetup = keys.has("setup");
    this.open = true;
    if (this.list.length === 0 && !this.loading) void this.load();
  }

  /** The session said hello (the socket is open and its setup restored): a lesson the address
   * asked for can start now, after that restore, so that its preset is what trains. */
  connected(): void {
    this.greeted = true;
    this.openPending();
  }

  private openPending(): void {
    const number = this.pendingNumber;
    if (number === null || this.list.length === 0 || !this.greeted) return;
    const lesson = this.list.find((l) => l.number === number);
    if (!lesson) {
      this.pendingNumber = null;
      this.problem = `This link names lesson ${number}, but the course has ${this.list.length} lessons.`;
      return;
    }
    // Not connected yet: `connected()` comes back to it.
    if (lesson.available && !this.send({ type: "pause" })) return;
    this.pendingNumber = null;
    this.start(lesson, !this.keepSetup);
    this.keepSetup = false;
  }

  /**
   * Shows `lesson`; an available one also gets its preset sent (unless a shared link fixed the
   * setup) and a fresh run (so frames of the setup before never count), and its checks start
   * over.
   */
  start(lesson: Lesson, sendPreset = true): void {
    this.current = lesson;
    this.passed = lesson.checks.map(() => false);
    this.experimentError = null;
    this.problem = null;
    this.pressed = null;
    this.writeHash(lesson.number);
    if (!lesson.available) return;
    const sent = sendPreset
      ? freshStart(lesson.preset, lesson.preset.seed).every((c) => this.send(c))
      : this.send({ type: "reset" });
    if (!sent) {
      this.problem = "Not connected: the lesson's setup was not sent. Try again once connected.";
      return;
    }
    this.staleRun = this.lastRun;
    this.awaitedSeed = sendPreset ? (lesson.preset.seed ?? 0) : null;
  }

  /**
   * Sends one of the current lesson's demonstrations: a configure goes with play (a demo starts
   * what it loads), or, when it asks the learner to press play, after a pause; from fresh
   * weights if it asks for them. Other commands (a hand-built preset, the overfit check) go as
   * they are. Checks with `after_action` read the runs it starts.
   */
  runAction(action: LessonAction): void {
    const index = this.current?.actions.indexOf(action) ?? -1;
    // A configure loads a setup to train; a preset is a hand-built network to look at as built.
    const setup = action.command.type === "configure";
    const play = setup && action.play !== false;
    const fresh = action.reset && action.command.type === "configure";
    const seed =
      (action.command.type === "configure" ? action.command.seed : null) ??
      this.current?.preset.seed ??
      0;
    const commands: ClientCommand[] =
      fresh && action.command.type === "configure"
        ? freshStart(action.command, seed)
        : [action.command];
    const sent =
      (play || !setup || this.send({ type: "pause" })) &&
      commands.every((command) => this.send(command)) &&
      (!play || this.send({ type: "play" }));
    this.problem = sent ? null : "Not connected: nothing was sent.";
    if (sent && index >= 0) this.pressed = { index, run: this.lastRun, seed: fresh ? seed : null };
  }

  /** The session's settings changed: a fresh start's own run begins with its seed's settings. */
  onSettings(settings: RunSettings): void {
    // (tests hand in partial settings: no network is no own activation)
    const hidden = (settings.network as RunSettings["network"] | undefined)?.hidden ?? [];
    this.ownActivation = hidden.some((layer) => layer.activation === "expr");
    if (this.awaitedSeed === settings.seed) this.awaitedSeed = null;
    if (this.pressed?.seed === settings.seed) this.pressed = { ...this.pressed, seed: null };
  }

  /** Marks the checks this frame meets and remembers them. */
  onFrame(frame: FrameEvent): void {
    const stale = frame.run === this.staleRun || this.awaitedSeed !== null;
    this.lastRun = frame.run;
    this.lastStep = frame.step;
    if (this.pressed?.seed != null) this.pressed = { ...this.pressed, run: frame.run };
    if (stale) return;
    this.staleRun = null;
    const lesson = this.current;
    if (!lesson?.available || lesson.checks.length === 0) return;
    const action =
      this.pressed !== null && frame.run !== this.pressed.run ? this.pressed.index : null;
    const edited = this.edited?.run === frame.run && frame.step <= this.edited.step;
    const context = { edited, ownActivation: this.ownActivation };
    this.record(lesson, evaluateChecks(lesson.checks, frame, this.passed, action, context));
  }

  /** A command went out: a hand edit of the weights (a dragged unit line, a set weight) makes
   * the frames of this run up to this step count for checks with `after_edit`. */
  sent(command: ClientCommand): void {
    if (command.type !== "set_unit" && command.type !== "set_weight") return;
    if (this.lastRun !== null) this.edited = { run: this.lastRun, step: this.lastStep };
  }

  /** The learner ran Backward on a point's graph: marks the checks on it (graph_overflow), met
   * by a naive loss's log 0 (not by weights that already diverged). */
  sawGraph(graph: GraphView): void {
    const lesson = this.current;
    if (!lesson?.available) return;
    const overflowed = graph.nodes.some((node) => node.overflow && node.op === "log");
    const next = lesson.checks.map(
      (c, i) => (this.passed[i] ?? false) || graphCheckMet(c, overflowed),
    );
    if (next.some((value, i) => value !== (this.passed[i] ?? false))) this.record(lesson, next);
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
    this.writeHash(null);
  }

  /** Keeps `lesson=N` in the address in step with the lesson shown (the setup key stays). */
  private writeHash(number: number | null): void {
    const location = this.hashLocation;
    if (!location) return;
    const hash = withHashKey(location.read(), "lesson", number === null ? null : String(number));
    if (hash !== location.read()) location.write(hash);
  }
}

/**
 * `command` sent so that training restarts from the seed's own first weights, whatever ran
 * before: a configure to a neighbouring seed, then the command with `seed`. Each restart builds
 * the network afresh from its seed, so the same lesson always starts from the same weights (a
 * `reset` would draw the next weights of the session's generator instead).
 */
export function freshStart(
  command: ConfigureCommand,
  seed: number | null | undefined,
): ClientCommand[] {
  const target = seed ?? 0;
  return [
    { type: "configure", seed: target === 0 ? 1 : target - 1 } as ConfigureCommand,
    { ...command, seed: target },
  ];
}
