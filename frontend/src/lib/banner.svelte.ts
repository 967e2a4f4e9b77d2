// The error banner's state: the one message shown (the newest wins), what it is about, and
// which divergence was already announced so a dismissed one stays dismissed.

export interface Notice {
  id: number;
  /** `field`: Play or Step waited for a field with an invalid value. */
  kind: "error" | "diverged" | "field";
  text: string;
  /**
   * What the notice is about, so fixing that clears it: the refused command's type
   * ("configure", "import", …), "upload" for a CSV file, null when nothing in particular.
   */
  cause: string | null;
  /** The step whose weights `undo` brings back, when the weights went non-finite. */
  undoStep?: number;
  /** The step training went non-finite at (a divergence). */
  divergedAt?: number;
}

/** Optional details of a notice. */
export interface NoticeDetails {
  cause?: string | null;
  undoStep?: number;
  divergedAt?: number;
}

/** Shows a message in the banner (the sub-stores' way to report a problem). */
export type Notify = (text: string, details?: NoticeDetails) => void;

export class Banner {
  /**
   * The banner's message: one at a time, the newest wins (an array of at most one, so views
   * and tests read it the same way whether or not one is shown).
   */
  notices = $state<Notice[]>([]);

  private nextId = 1;
  /** The divergence (run and step) already announced, so a dismissed one stays dismissed. */
  private announced: string | null = null;

  /** Shows a message; the newest replaces whatever was shown. */
  notify(kind: Notice["kind"], text: string, details: NoticeDetails = {}): void {
    const notice: Notice = { id: this.nextId++, kind, text, cause: details.cause ?? null };
    if (details.undoStep !== undefined) notice.undoStep = details.undoStep;
    if (details.divergedAt !== undefined) notice.divergedAt = details.divergedAt;
    this.notices = [notice];
  }

  /** An error message, bound for handing to a sub-store. */
  readonly error: Notify = (text, details) => this.notify("error", text, details);

  /** Takes down the message if `which` says it is one to go. */
  clear(which: (notice: Notice) => boolean): void {
    if (this.notices.some(which)) this.notices = this.notices.filter((n) => !which(n));
  }

  dismiss(id: number): void {
    this.clear((notice) => notice.id === id);
  }

  /**
   * Shows a divergence once per run and step: the error event's full text (with its undo
   * offer) replaces the frame's short line, never the other way round, and one dismissed stays
   * dismissed.
   */
  announceDivergence(
    run: number,
    step: number,
    text: string,
    undoStep?: number,
    detailed = false,
  ): void {
    const key = `${run}:${step}`;
    const shown = this.notices.find((n) => n.kind === "diverged" && n.divergedAt === step);
    if (this.announced === key && !(detailed && shown)) return;
    this.announced = key;
    this.notify("diverged", text, { undoStep, divergedAt: step });
  }
}
