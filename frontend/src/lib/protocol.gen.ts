/* GENERATED from server/protocol.py by `make codegen` — DO NOT EDIT BY HAND. */

export type ClientCommand =
  ConfigureCommand | PlayCommand | PauseCommand | StepCommand | ResetCommand | PresetCommand;
export type ServerEvent = HelloEvent | SettingsEvent | DatasetEvent | FrameEvent | ErrorEvent;

/**
 * GET /api/catalog: every name the UI and the websocket accept, and every limit.
 */
export interface Catalog {
  activations: CatalogEntry[];
  datasets: CatalogEntry[];
  defaults: RunSettings;
  /**
   * Every bound from server/limits.py by lower-case name (max_units, max_points, ...).
   */
  limits: {
    [k: string]: number | undefined;
  };
  losses: CatalogEntry[];
  optimizers: CatalogEntry[];
}
/**
 * One choosable thing: its wire name and a one-sentence explanation.
 */
export interface CatalogEntry {
  description: string;
  name: string;
  /**
   * For activations: True when networks using it have countable linear regions.
   */
  piecewise_linear: boolean;
}
/**
 * The complete setup in force; the same settings give the same losses.
 */
export interface RunSettings {
  dataset: DatasetSettings;
  network: NetworkSettings;
  seed: number;
  training: TrainingSettings;
}
/**
 * Which dataset and how it is drawn.
 */
export interface DatasetSettings {
  /**
   * A name from the catalog's `datasets`.
   */
  name: string;
  /**
   * Noise as a fraction of the dataset's scale: 0 is clean.
   */
  noise: number;
  /**
   * Total number of points, training and test together.
   */
  points: number;
  /**
   * Share of the points used for training; the rest is the test set.
   */
  train_fraction: number;
}
/**
 * The architecture: 2 inputs, these hidden layers, one output logit.
 */
export interface NetworkSettings {
  /**
   * Hidden layers from input to output; may be empty (a linear model).
   *
   * @maxItems 6
   */
  hidden: HiddenLayer[];
}
/**
 * One hidden layer of the network.
 */
export interface HiddenLayer {
  /**
   * Activation applied after the layer; a name from the catalog's `activations`.
   */
  activation: string;
  /**
   * Number of neurons in the layer.
   */
  units: number;
}
/**
 * How the network is trained.
 */
export interface TrainingSettings {
  /**
   * Training points per optimizer step (capped at the training-set size).
   */
  batch_size: number;
  /**
   * The optimizer's step size.
   */
  learning_rate: number;
  /**
   * A name from the catalog's `optimizers`.
   */
  optimizer: string;
}
/**
 * Change the setup. Network, dataset or seed changes restart training from step 0.
 */
export interface ConfigureCommand {
  dataset?: DatasetPatch | null;
  /**
   * The whole architecture (the hidden list is replaced, not merged).
   */
  network?: NetworkSettings | null;
  seed?: number | null;
  /**
   * Changing only training settings keeps the weights and the step count.
   */
  training?: TrainingPatch | null;
  type: "configure";
}
/**
 * Dataset fields to change; omitted fields keep their current value.
 */
export interface DatasetPatch {
  name?: string | null;
  noise?: number | null;
  points?: number | null;
  train_fraction?: number | null;
}
/**
 * Training fields to change; omitted fields keep their current value.
 */
export interface TrainingPatch {
  batch_size?: number | null;
  learning_rate?: number | null;
  optimizer?: string | null;
}
/**
 * Train continuously until paused.
 */
export interface PlayCommand {
  type: "play";
}
/**
 * Stop training; the step counter stops.
 */
export interface PauseCommand {
  type: "pause";
}
/**
 * Run a number of optimizer steps, then pause and send a frame.
 */
export interface StepCommand {
  /**
   * Optimizer steps to run, then pause.
   */
  steps?: number;
  type: "step";
}
/**
 * New random weights, step 0, same settings.
 */
export interface ResetCommand {
  type: "reset";
}
/**
 * Load a hand-built network: `folding` is ReLU [8] × depth with 16^depth linear regions.
 */
export interface PresetCommand {
  /**
   * Folding layers; each multiplies the regions by 16.
   */
  depth: number;
  name: "folding";
  type: "preset";
}
/**
 * The data points, sent once per dataset (after hello and each data-changing configure).
 */
export interface DatasetEvent {
  /**
   * (xmin, xmax, ymin, ymax) of the input region drawn on the boundary canvas.
   *
   * @minItems 4
   * @maxItems 4
   */
  box: [number, number, number, number];
  test_x: [number, number][];
  test_y: number[];
  train_x: [number, number][];
  /**
   * Training labels, 0 or 1.
   */
  train_y: number[];
  type: "dataset";
}
/**
 * Region counts for one depth.
 */
export interface DepthCounts {
  counts: number[];
  depth: number;
  max: number;
  mean: number;
  min: number;
  std: number;
  width: number;
}
/**
 * A command was refused or training failed; the session keeps its state.
 */
export interface ErrorEvent {
  /**
   * The `type` of the command that caused it, when one did.
   */
  command: string | null;
  /**
   * What went wrong, for a person to read.
   */
  message: string;
  type: "error";
}
/**
 * POST /api/regions/explore: region counts of random nets of several depths, same budget.
 */
export interface ExploreRequest {
  activation?: string;
  /**
   * Hidden neurons in total; a net of depth L has budget // L units a layer.
   */
  budget: number;
  /**
   * The depths to compare, each 1 … explore_max_depth.
   *
   * @minItems 1
   * @maxItems 8
   */
  depths: [number, ...number[]];
  /**
   * Random initialisations per depth.
   */
  seeds?: number;
}
/**
 * Counts per depth over the datasets' box, and the time it took.
 */
export interface ExploreResponse {
  results: DepthCounts[];
  seconds: number;
}
/**
 * A snapshot of training; sent as a binary msgpack frame, several per second.
 */
export interface FrameEvent {
  /**
   * The step where the loss first became NaN or infinite; training stopped there.
   */
  diverged_at: number | null;
  grid: Grid;
  history: History;
  /**
   * Every region's polygon, with exact counts of at most limits.REGIONS_DRAW_MAX regions.
   */
  region_polygons: RegionPolygons | null;
  /**
   * Linear regions over the box: exact for piecewise-linear networks, else see regions_exact.
   */
  regions: number | null;
  /**
   * False when `regions` only counts distinct activation patterns on a grid (smooth nets).
   */
  regions_exact: boolean;
  /**
   * Increases whenever training restarts from step 0; a new run means a new loss history.
   */
  run: number;
  /**
   * True while training continuously (after play, until pause).
   */
  running: boolean;
  /**
   * Optimizer steps taken since the run started.
   */
  step: number;
  test_accuracy: number;
  test_loss: number;
  train_accuracy: number;
  train_loss: number;
  type: "frame";
}
/**
 * A heatmap of the output over the box: row-major float16, row 0 at the top (ymax).
 */
export interface Grid {
  /**
   * width*height little-endian float16 values: the probability of class 1 at cell centres.
   */
  data: Uint8Array;
  height: number;
  width: number;
}
/**
 * Loss samples since the previous frame, as columns (uPlot's `setData` takes columns).
 */
export interface History {
  steps: number[];
  test_loss: number[];
  train_loss: number[];
}
/**
 * Linear regions as flat little-endian arrays, for drawing edges and colouring by pattern.
 */
export interface RegionPolygons {
  count: number;
  /**
   * uint32 × (count + 1): polygon i has vertices offsets[i] .. offsets[i + 1] - 1.
   */
  offsets: Uint8Array;
  /**
   * uint32 per polygon: a hash of its activation pattern, for a stable colour.
   */
  pattern_ids: Uint8Array;
  /**
   * float32 (x, y) pairs in input coordinates, counter-clockwise per polygon.
   */
  vertices: Uint8Array;
}
/**
 * First message on every connection.
 */
export interface HelloEvent {
  /**
   * Where this session trains.
   */
  device: "cpu" | "cuda";
  protocol: number;
  settings: RunSettings;
  type: "hello";
  /**
   * The server's package version.
   */
  version: string;
}
/**
 * The complete setup now in force, sent after every accepted configure.
 */
export interface SettingsEvent {
  settings: RunSettings;
  type: "settings";
}
