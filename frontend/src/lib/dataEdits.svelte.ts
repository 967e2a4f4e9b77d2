// The user's own points: edit mode on the output canvas (add or erase points, drags sent once
// they pause) and CSV uploads. Either way the points become the "custom" dataset.

import { answer, raw, type Api } from "./api";
import type { Banner } from "./banner.svelte";
import { customPoints } from "./customData";
import type { CustomPoints, DatasetEvent } from "./protocol.gen";

/** What a pointer does on the output canvas in edit mode. */
export type EditTool = "add" | "erase";

/** Drags send their edits at most this often; the server restarts training on each. */
const EDIT_DEBOUNCE_MS = 150;

/** The data the page shows: read it, or show edited data at once, before the server has it. */
export interface ShownData {
  get: () => DatasetEvent | null;
  show: (dataset: DatasetEvent) => void;
}

export class DataEdits {
  /** Edit mode: pointer input on the output canvas adds or erases points. */
  active = $state(false);
  tool = $state<EditTool>("add");
  /** The class (classification) or value (regression) a click adds. */
  addClass = $state(0);
  addValue = $state(0);
  /** The user's own points, last sent; a reconnect sends them again. */
  points = $state.raw<CustomPoints | null>(null);

  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly data: ShownData,
    /** Trains on these points from now on (a configure of the "custom" dataset). */
    private readonly train: (points: CustomPoints) => void,
    private readonly banner: Banner,
    private readonly api: Api,
  ) {}

  /** Whether an edit is held back: it is newer than anything the server has. */
  get pending(): boolean {
    return this.timer !== null;
  }

  /**
   * Makes `next` (the shown data after an edit) the custom dataset: shown at once, sent now, or
   * after EDIT_DEBOUNCE_MS of quiet while a drag goes on.
   */
  editData(next: DatasetEvent, debounce = false): void {
    this.data.show(next);
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (debounce) {
      this.timer = setTimeout(() => this.flush(), EDIT_DEBOUNCE_MS);
    } else {
      this.use(customPoints(next));
    }
  }

  /** Sends an edit a drag is still holding back. */
  flush(): void {
    if (this.timer === null) return;
    clearTimeout(this.timer);
    this.timer = null;
    const dataset = this.data.get();
    if (dataset) this.use(customPoints(dataset));
  }

  /** Trains on these points from now on (a new run on the "custom" dataset). */
  use(points: CustomPoints): void {
    this.points = points;
    this.train(points);
  }

  /**
   * Sends a CSV file's text to the server to read; its points become the custom data. A file
   * it refuses leaves the data as it is and shows the server's reason.
   */
  async uploadCsv(text: string): Promise<boolean> {
    let points: CustomPoints;
    try {
      const call = this.api.POST("/api/datasets/csv", {
        body: text,
        bodySerializer: raw,
        headers: { "content-type": "text/csv" },
      });
      points = await answer(call);
    } catch (error) {
      this.banner.error(`CSV file not used: ${(error as Error).message}`, { cause: "upload" });
      return false;
    }
    // A file that was read replaces any complaint about an earlier one.
    this.banner.clear((n) => n.cause === "upload");
    this.use(points);
    return true;
  }
}
