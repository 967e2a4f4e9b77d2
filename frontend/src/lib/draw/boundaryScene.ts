// The output card's picture: the heatmap (or, for 1D data, the function as a line), the linear
// regions, the data points and the probed point, drawn from one view of the page's state.
import type { DatasetEvent } from "../protocol.gen";
import type { DecodedGrid } from "../grid";
import { drawProbeMark } from "../probePick";
import { NEUTRAL } from "./colors";
import { drawCounts } from "./counts";
import { HeatmapPainter } from "./heatmap";
import { CachedLayer } from "./layer";
import { drawLinePlot } from "./linePlot";
import { gridPainter, Palettes, pointFill } from "./output";
import { drawPoints, TEST_STYLE, TRAIN_STYLE, VALUE_TRAIN_STYLE, type Box } from "./points";
import { RegionOverlay, type Regions } from "./regions";

/** Region colours over the heatmap: enough to see them, light enough to keep the boundary. */
const FILL_ALPHA = 0.5;

/** What the output card shows, read from the store by the component. */
export interface BoundaryView {
  grid: DecodedGrid | null;
  data: DatasetEvent | null;
  showTest: boolean;
  showResiduals: boolean;
  regions: Regions | null;
  edges: boolean;
  fill: boolean;
  /** The value scale of a regression's colours. */
  domain: readonly [number, number];
  /** The point the forward/backward view follows, marked on the canvas. */
  probe: readonly number[] | null;
}

/** Paints a BoundaryView on a square canvas; keeps the caches that make a repaint cheap. */
export class BoundaryScene {
  private readonly painter = new HeatmapPainter();
  private readonly palettes = new Palettes();
  private readonly overlay = new RegionOverlay();
  private readonly marks = new CachedLayer();

  /** Draws `view` over the whole `pixels`×`pixels` canvas behind `ctx`. */
  draw(ctx: CanvasRenderingContext2D, pixels: number, dpr: number, view: BoundaryView): void {
    const target = { width: pixels, height: pixels };
    const { grid, data, showTest: test, domain, probe } = view;
    if (data?.dims === 1) {
      const values = grid?.planes[0] ?? new Float32Array(0);
      const testSet = test ? { x: data.test_x, y: data.test_y } : null;
      const train = { x: data.train_x, y: data.train_y };
      drawLinePlot(ctx, { values, box: data.box as Box, train, test: testSet }, target, dpr);
      if (probe) drawProbeMark(ctx, probe, data.box as Box, target, dpr);
      drawCounts.heatmap++;
      return;
    }
    if (grid && grid.height > 1) {
      const classes = data?.classes ?? 2;
      const paint = gridPainter(grid, this.palettes, classes, domain);
      this.painter.draw(ctx, grid.width, grid.height, target, paint);
      drawCounts.heatmap++;
      drawCounts.heatmapSide = grid.width;
    } else {
      ctx.fillStyle = NEUTRAL;
      ctx.fillRect(0, 0, pixels, pixels);
    }
    if (!data) return;
    // Regions and points change far less often than the heatmap: they come from a cached layer
    // (residual colours follow the grid, so then the points repaint with it).
    const { regions, edges, fill } = view;
    const residuals = view.showResiduals && data.task === "regression";
    const colouring = { residuals, domain, grid };
    const inputs = [data, regions, edges, fill, test, dpr, domain, residuals ? grid : null];
    this.marks.draw(ctx, target, inputs, (layer) => {
      const b = data.box as Box;
      if (regions) {
        this.overlay.draw(layer, regions, b, target, { edges, fill, fillAlpha: FILL_ALPHA, dpr });
      }
      const trainFill = pointFill(data, data.train_x, data.train_y, colouring);
      // A value point may match the background (a good fit): a dark ring keeps it in sight.
      const trainStyle = data.task === "regression" ? VALUE_TRAIN_STYLE : TRAIN_STYLE;
      drawPoints(layer, data.train_x, trainFill, b, target, trainStyle, dpr);
      if (test) {
        const testFill = pointFill(data, data.test_x, data.test_y, colouring);
        drawPoints(layer, data.test_x, testFill, b, target, TEST_STYLE, dpr);
      }
    });
    if (probe) drawProbeMark(ctx, probe, data.box as Box, target, dpr);
  }
}
