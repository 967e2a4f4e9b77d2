/* GENERATED from server/protocol/ by `make codegen` — DO NOT EDIT BY HAND. */

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
  features: CatalogEntry[];
  inits: CatalogEntry[];
  /**
   * Every bound from server/limits.py by lower-case name (max_units, max_points, ...).
   */
  limits: {
    [k: string]: number | undefined;
  };
  losses: CatalogEntry[];
  optimizers: CatalogEntry[];
  schedules: CatalogEntry[];
}
/**
 * One choosable thing: its wire name and a one-sentence explanation.
 */
export interface CatalogEntry {
  description: string;
  /**
   * For datasets: coordinates per point (1 or 2); for features: 2 when it needs x2.
   */
  dims: number | null;
  /**
   * For datasets: the range of `classes` it accepts (fixed two-class sets: 2 and 2).
   */
  max_classes: number | null;
  min_classes: number | null;
  name: string;
  /**
   * For activations: True when networks using it have countable linear regions.
   */
  piecewise_linear: boolean;
  /**
   * For datasets and losses: what they are for.
   */
  task: ("classification" | "regression") | null;
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
 * Which dataset and how it is drawn (the points of custom data come in `dataset`).
 */
export interface DatasetSettings {
  /**
   * Classes drawn by multi-class generators (blobs, rings, spiral); the custom data's count.
   */
  classes: number;
  /**
   * Fraction of training labels changed to another class.
   */
  label_noise: number;
  /**
   * A name from the catalog's `datasets`, or "custom".
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
 * The architecture: the input features, these hidden layers, the output layer.
 */
export interface NetworkSettings {
  /**
   * Inputs computed from each point, names from the catalog's `features` (x1, x2, …).
   */
  features: string[];
  /**
   * Hidden layers from input to output; may be empty (a linear model).
   *
   * @maxItems 6
   */
  hidden: HiddenLayer[];
  /**
   * Weight initialisation, a name from the catalog's `inits`.
   */
  init: string;
  /**
   * Width of the output layer: 1, or one logit per class for cross-entropy (follows the loss).
   */
  outputs: number;
}
/**
 * One hidden layer: Linear, [BatchNorm], [LayerNorm], activation, [Dropout].
 */
export interface HiddenLayer {
  /**
   * Activation applied after the layer; a name from the catalog's `activations`.
   */
  activation: string;
  /**
   * Normalise each unit over the batch (running statistics in eval mode).
   */
  batch_norm: boolean;
  /**
   * Probability of zeroing each unit while training; 0 is off.
   */
  dropout: number;
  /**
   * Normalise the layer's units per point.
   */
  layer_norm: boolean;
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
   * Largest global gradient norm; 0 is off.
   */
  clip_norm: number;
  /**
   * Patience in epochs without a better test loss; 0 is off.
   */
  early_stopping: number;
  /**
   * Standard deviation of Gaussian noise added to training inputs.
   */
  input_noise: number;
  l1: number;
  l2: number;
  /**
   * The optimizer's base step size (the schedule scales it).
   */
  learning_rate: number;
  /**
   * A name from the catalog's `losses`; it decides the output head.
   */
  loss: string;
  momentum: number;
  nesterov: boolean;
  /**
   * A name from the catalog's `optimizers`.
   */
  optimizer: string;
  schedule: string;
  schedule_steps: number;
  weight_decay: number;
}
/**
 * Change the setup. Network, dataset or seed changes restart training from step 0.
 */
export interface ConfigureCommand {
  dataset?: DatasetPatch | null;
  /**
   * Architecture fields to change (the hidden list is replaced, not merged).
   */
  network?: NetworkPatch | null;
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
  classes?: number | null;
  /**
   * The points themselves; implies name "custom".
   */
  custom?: CustomPoints | null;
  label_noise?: number | null;
  /**
   * A catalog dataset, or "custom" together with `custom`.
   */
  name?: string | null;
  noise?: number | null;
  points?: number | null;
  train_fraction?: number | null;
}
/**
 * The user's own points: 2D coordinates inside the box and a label or value each.
 */
export interface CustomPoints {
  task?: "classification" | "regression";
  /**
   * @minItems 2
   * @maxItems 2000
   */
  x: [[number, number], [number, number], ...[number, number][]];
  /**
   * Class indices 0 … max_classes−1 for classification, any finite value for regression.
   */
  y: number[];
}
/**
 * Network fields to change; omitted fields keep their current value.
 */
export interface NetworkPatch {
  features?: [string, ...string[]] | null;
  /**
   * The hidden layers, replaced whole.
   */
  hidden?: HiddenLayer1[] | null;
  init?: string | null;
}
/**
 * One hidden layer: Linear, [BatchNorm], [LayerNorm], activation, [Dropout].
 */
export interface HiddenLayer1 {
  /**
   * Activation applied after the layer; a name from the catalog's `activations`.
   */
  activation: string;
  /**
   * Normalise each unit over the batch (running statistics in eval mode).
   */
  batch_norm?: boolean;
  /**
   * Probability of zeroing each unit while training; 0 is off.
   */
  dropout?: number;
  /**
   * Normalise the layer's units per point.
   */
  layer_norm?: boolean;
  /**
   * Number of neurons in the layer.
   */
  units: number;
}
/**
 * Training fields to change; omitted fields keep their current value.
 */
export interface TrainingPatch {
  batch_size?: number | null;
  clip_norm?: number | null;
  early_stopping?: number | null;
  input_noise?: number | null;
  l1?: number | null;
  l2?: number | null;
  learning_rate?: number | null;
  loss?: string | null;
  momentum?: number | null;
  nesterov?: boolean | null;
  optimizer?: string | null;
  schedule?: string | null;
  schedule_steps?: number | null;
  weight_decay?: number | null;
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
   * (xmin, xmax, ymin, ymax) of the input region drawn on the boundary canvas; for 1D
   * data, the x range and then the range of values to plot.
   *
   * @minItems 4
   * @maxItems 4
   */
  box: [number, number, number, number];
  /**
   * Number of classes (labels are 0 … classes−1); 1 for regression.
   */
  classes: number;
  /**
   * Coordinates per point: 2, or 1 for 1D data (sine), whose points are [x].
   */
  dims: number;
  task: "classification" | "regression";
  test_x: number[][];
  test_y: number[];
  train_x: number[][];
  /**
   * Training labels (class indices) or values.
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
   * The step of the restored best weights, when early stopping has stopped training.
   */
  best_step: number | null;
  /**
   * The step where the loss first became NaN or infinite; training stopped there.
   */
  diverged_at: number | null;
  /**
   * The step where early stopping ended training (this run), its best weights restored.
   */
  early_stopped_at: number | null;
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
  test_accuracy: number | null;
  test_loss: number;
  /**
   * Fraction of training points classified right; None for regression.
   */
  train_accuracy: number | null;
  train_loss: number;
  type: "frame";
}
/**
 * The network's output over the box: row-major float16 planes, row 0 at the top (ymax).
 *
 * For 1D data the grid is one row: the function at `width` points across the x range.
 */
export interface Grid {
  /**
   * width·height little-endian float16 values per plane, plane after plane.
   */
  data: Uint8Array;
  height: number;
  /**
   * probability: one plane, P(class 1). class: two planes, the most likely class and its
   * probability. value: one plane, the regression output.
   */
  kind: "probability" | "class" | "value";
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
