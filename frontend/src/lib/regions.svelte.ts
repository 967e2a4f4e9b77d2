// The linear regions of the run: the newest count (frames carry one only now and then), its
// polygons, the count over steps for the chart, and how the output canvas shows them.

import { decodeRegions, type Regions } from "./draw/regions";
import type { FrameEvent, RegionPolygons } from "./protocol.gen";
import { RegionHistory } from "./regionHistory";

export class LinearRegions {
  /** The newest region count of this run, or null before a frame carried one. */
  count = $state<number | null>(null);
  /** False when `count` counts activation patterns on a grid (smooth activations). */
  exact = $state(true);
  /** The polygons of the newest count, kept through the frames that carry no count. */
  polygons = $state.raw<Regions | null>(null);
  /** Bumped whenever `history` changes; the regions chart redraws on it. */
  revision = $state(0);
  /** Draw the regions' edges over the output canvas. */
  showEdges = $state(false);
  /** Fill each region with a colour of its own. */
  colour = $state(false);
  /** (step, regions) for every frame of this run that carried a count. */
  readonly history = new RegionHistory();

  constructor(private readonly notify: (text: string) => void) {}

  /** Takes the count (and polygons) a frame carries, if it carries one. */
  onFrame(frame: FrameEvent): void {
    if (frame.regions === null) return;
    this.count = frame.regions;
    this.exact = frame.regions_exact;
    this.history.append(frame.step, frame.regions);
    this.revision++;
    // Polygons come with counts small enough to draw; a count without them (too many regions,
    // or an approximation) makes the polygons held so far out of date.
    this.polygons = frame.region_polygons ? this.decode(frame.region_polygons) : null;
  }

  /** Forgets the run's regions (a new run or a new session). */
  clear(): void {
    this.count = null;
    this.exact = true;
    this.polygons = null;
    this.history.clear();
    this.revision++;
  }

  private decode(polygons: RegionPolygons): Regions | null {
    try {
      return decodeRegions(polygons);
    } catch (error) {
      this.notify(`Unreadable region polygons from the server: ${(error as Error).message}`);
      return null;
    }
  }
}
