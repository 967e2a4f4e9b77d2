/* GENERATED from server/protocol/ by `make codegen` — DO NOT EDIT BY HAND. */

export type ClientCommand =
  | ConfigureCommand
  | PlayCommand
  | PauseCommand
  | StepCommand
  | ResetCommand
  | PresetCommand
  | InspectCommand
  | SetWeightCommand
  | SetUnitCommand
  | UndoCommand
  | OverfitCheckCommand
  | ExportCommand
  | ImportCommand
  | SpeedCommand
  | CompareCommand
  | PromoteLaneCommand
  | EndCompareCommand
  | PlanSweepCommand
  | StartSweepCommand
  | CancelSweepCommand;
export type ServerEvent =
  | HelloEvent
  | SettingsEvent
  | DatasetEvent
  | FrameEvent
  | ErrorEvent
  | InspectionEvent
  | OverfitResultEvent
  | SetupFileEvent
  | SpeedEvent
  | LanesEvent
  | LanesFrameEvent
  | SweepPlanEvent
  | SweepProgressEvent;

/**
 * POST /api/experiments/approximation: fit sin 2πx on [0, 1] with one ReLU layer of N units.
 */
export interface ApproximationRequest {
  /**
   * Random starts per width; the best one is reported.
   */
  seeds?: number;
  /**
   * Adam steps on the kinks (the output layer is solved by least squares at each step).
   */
  steps?: number;
  /**
   * The widths N to compare, each 1 … approximation_max_units.
   *
   * @minItems 1
   * @maxItems 6
   */
  units?: [number, ...number[]];
}
/**
 * Best fits per width, and the time it took.
 */
export interface ApproximationResponse {
  curve_points: number;
  results: ApproximationResult[];
  seconds: number;
  /**
   * bump_error of the widest N asked for: a check reads it.
   */
  widest_bump_error: number | null;
  /**
   * best_error of the widest N asked for.
   */
  widest_relu_error: number;
}
/**
 * The fits of one width N.
 */
export interface ApproximationResult {
  best_error: number;
  /**
   * Maximum error of the hand-built sigmoid net with the same units: ⌊units / 2⌋ bumps of two
   * shifted sigmoids each (models.presets.sine_bumps); null below two units.
   */
  bump_error: number | null;
  /**
   * The best fit at `curve_points` evenly spaced x from 0 to 1, ends included.
   */
  curve: number[];
  /**
   * The best fit's kinks inside [0, 1], sorted: where its linear pieces meet.
   */
  knots: number[];
  /**
   * Maximum |f(x) − sin 2πx| over [0, 1] of each seed, seed 0 first.
   */
  max_errors: number[];
  units: number;
}
/**
 * Stop the running sweep; a last `sweep_progress` with state "cancelled" follows.
 */
export interface CancelSweepCommand {
  type: "cancel_sweep";
}
/**
 * GET /api/catalog: every name the UI and the websocket accept, and every limit.
 */
export interface Catalog {
  activations: CatalogEntry[];
  datasets: CatalogEntry[];
  defaults: RunSettings;
  features: CatalogEntry[];
  inits: CatalogEntry[];
  limits: Limits;
  losses: LossEntry[];
  optimizers: CatalogEntry[];
  own_activation: CatalogEntry;
  /**
   * How the output layer learns (TrainingSettings.readout): trained, or least squares.
   */
  readouts: CatalogEntry[];
  schedules: CatalogEntry[];
}
/**
 * One choosable thing: its wire name and a one-sentence explanation.
 */
export interface CatalogEntry {
  description: string;
  /**
   * For datasets: coordinates per point (1 or 2), or pixels per image (64 for digits); for
   * features: 2 when it needs x2, 64 for "pixels" (image data only).
   */
  dims: number | null;
  /**
   * For image datasets: (height, width) of each image; None for points.
   */
  image_shape: [number, number] | null;
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
   * Number of classes for datasets that draw any number (blobs, rings, spiral's arms).
   */
  classes: number;
  /**
   * Fraction of training labels changed to another class at random (classification only).
   */
  label_noise: number;
  /**
   * A key of models.datasets.DATASETS (the catalog's datasets), or "custom".
   */
  name: string;
  /**
   * Fraction of the dataset's scale added as noise, 0 (clean) to 0.5 (very noisy).
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
   * Inputs the network sees, computed from the point (models/features.py): x1, x2, x1², …
   *
   * @maxItems 8
   */
  features: string[];
  /**
   * Hidden layers from input to output; may be empty (a linear model).
   *
   * @maxItems 8
   */
  hidden: HiddenLayer[];
  /**
   * Weight initialisation scheme, a key of models.inits.INITS.
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
   * Applied after the layer: a key of models.network.ACTIVATIONS (the catalog's activations);
   * "expr" is the learner's own, written in `expression`.
   */
  activation: string;
  /**
   * BatchNorm1d after the Linear, before the activation (batch statistics in training).
   */
  batch_norm: boolean;
  /**
   * Probability of zeroing each unit after the activation while training; 0 is off.
   */
  dropout: number;
  /**
   * The activation as an expression in x when `activation` is "expr" (models/expression.py),
   * e.g. "x * sigmoid(1.5 * x)"; empty for every other activation.
   */
  expression: string;
  /**
   * LayerNorm after the Linear (and after BatchNorm when both are on), before the activation.
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
   * Clip the global gradient norm to this value before each step; 0 is off.
   */
  clip_norm: number;
  /**
   * Patience in epochs without a better test loss before training stops; 0 is off.
   */
  early_stopping: number;
  /**
   * Standard deviation of Gaussian noise added to each training batch's inputs.
   */
  input_noise: number;
  /**
   * Coefficient of the L1 penalty on the weights (not biases) added to the training loss.
   */
  l1: number;
  /**
   * Coefficient of the L2 penalty (sum of squared weights, not biases) added to the loss.
   */
  l2: number;
  /**
   * The optimizer's base step size (the schedule scales it).
   */
  learning_rate: number;
  /**
   * A key of models.losses.LOSSES; it decides the output head (models/tasks.py).
   */
  loss: string;
  /**
   * For the `momentum` optimizer (and rmsprop's momentum term, 0 there by default).
   */
  momentum: number;
  /**
   * Nesterov's look-ahead momentum, for the `momentum` optimizer.
   */
  nesterov: boolean;
  /**
   * A key of models.optimizers.OPTIMIZERS (the catalog's optimizers).
   */
  optimizer: string;
  /**
   * How the output layer learns, a key of models.readout.READOUTS: "trained" by the
   * optimizer with the rest, or "least_squares" (random features: hidden layers stay at their
   * random start, the output layer is solved as the minimum-norm least-squares fit).
   */
  readout: string;
  /**
   * Learning-rate schedule, a key of models.schedules.SCHEDULES.
   */
  schedule: string;
  /**
   * Step decay halves the rate every this many steps; cosine anneals to 0 over them.
   */
  schedule_steps: number;
  /**
   * Decoupled for adamw; added to the gradient (torch's convention) for the others.
   */
  weight_decay: number;
}
/**
 * Every bound the server enforces, by the lower-case name of its server/limits.py constant
 * (max_units, max_points, …); `Limits()` holds the values in force.
 */
export interface Limits {
  approximation_max_seeds: number;
  approximation_max_steps: number;
  approximation_max_units: number;
  approximation_max_widths: number;
  /**
   * The sine_bumps preset's most bumps: two sigmoid units each, in one layer of at most MAX_UNITS.
   */
  bumps_max: number;
  /**
   * The pace a session starts at: 8 epochs a second on the default setup (250 training points,
   * batch 10), an epoch every 4 displayed frames, of the order of TensorFlow Playground's one epoch
   * per frame; the circle's boundary forms over several seconds instead of 0.15 (why this number:
   * docs/performance.md, "Training pace").
   */
  default_steps_per_second: number;
  /**
   * Errors about a larger websocket message leave out what was sent ("got …"): copying a
   * megabyte into Python objects for each error would hold up the event loop.
   */
  described_input_bytes: number;
  double_descent_max_counts: number;
  double_descent_max_features: number;
  double_descent_max_seeds: number;
  /**
   * The trained variant: n = 40 points, widths up to 10 n, Adam steps on the hidden layer.
   */
  double_descent_max_steps: number;
  /**
   * n of the double-descent sweep: the peak sits at p = n features.
   */
  double_descent_train_points: number;
  double_descent_trained_max_width: number;
  double_descent_trained_points: number;
  /**
   * The lessons' experiments computed at once, likewise.
   */
  experiments_concurrent: number;
  explore_max_budget: number;
  explore_max_depth: number;
  explore_max_depths: number;
  explore_max_seeds: number;
  /**
   * The large view of one neuron.
   */
  focus_resolution: number;
  /**
   * The folding preset at depth 3 has 16³ = 4,096 regions.
   */
  folding_max_depth: number;
  /**
   * While training, a frame's losses take at most this many multiply-adds: a network past it is
   * evaluated on an evenly spread subset of its training and test points (8 × 128 units: 521 of
   * each); a resting frame evaluates them all.
   */
  frame_eval_max_macs: number;
  frame_eval_min_points: number;
  /**
   * While training, a frame's grid takes at most this many multiply-adds (server/frame_budget.py):
   * a 6 × 32 net's 100 × 100 grid (52 M) fits; 8 × 128 units (115,000 a point) get 32 × 32.
   */
  frame_grid_max_macs: number;
  frame_grid_min_side: number;
  /**
   * Largest local Jacobian a graph node carries (a matmul's W, LayerNorm's, softmax's); wider
   * layers, which the Graph view draws collapsed, send none (a 128-wide net would send megabytes).
   */
  graph_matrix_entries: number;
  grid_resolution: number;
  /**
   * Samples of the network's function on 1D data (the sine curve).
   */
  grid_resolution_1d: number;
  /**
   * The grid side while sessions queue for the training gate (see Worker._crowded): a quarter
   * of the points, so a crowded process spends its time on training and on frames, not on
   * evaluating detail nobody can watch at a few frames per second.
   */
  grid_resolution_crowded: number;
  /**
   * Unsent loss-history points kept when a slow client lets frames pile up (oldest dropped).
   */
  history_points_per_frame: number;
  /**
   * Neuron maps sent per layer (the first ones): the diagram draws at most 11 of a column, and
   * all 1,024 of the largest network's were 1.2 MB an inspection.
   */
  inspection_max_neurons_per_layer: number;
  /**
   * Each neuron's heatmap in the diagram: resolution² samples (one row of 4× that on 1D data).
   */
  inspection_resolution: number;
  /**
   * The side of each lane's output grid in a lanes frame: small multiples need no more.
   */
  lane_grid_resolution: number;
  /**
   * A session counts its regions exactly up to this many hidden units; a larger network's frames
   * carry the approximate count (activation patterns on the grid): an exact count of 8 × 128 ReLU
   * units took ~10 s on a busy 2-core VM. POST /api/regions still counts it exactly.
   */
  live_regions_exact_max_units: number;
  /**
   * Networks of at most this many hidden units (the largest before issue 20) count their regions
   * in the frame; larger ones in a background thread while frames go on (server/background_regions).
   */
  live_regions_sync_max_units: number;
  max_batch_size: number;
  max_classes: number;
  max_clip_norm: number;
  /**
   * max_points rows of `x1,x2,label` with full-precision numbers (about 45 bytes a row).
   */
  max_csv_bytes: number;
  max_dropout: number;
  /**
   * Characters an activation written as an expression in x may have (activation "expr").
   */
  max_expression_length: number;
  max_frames_per_second: number;
  max_hidden_layers: number;
  max_input_noise: number;
  max_inspections_per_second: number;
  max_label_noise: number;
  /**
   * The most lanes a comparison forks the run into (`compare`), lane 1 included.
   */
  max_lanes: number;
  max_learning_rate: number;
  /**
   * While training, full-set losses are computed for at most this many frames a second; frames
   * between carry the last ones again (FrameEvent.loss_step), so 60 frames/s of weights cost the
   * evaluation of 30 (issue 20).
   */
  max_losses_per_second: number;
  /**
   * Enough for an import carrying the largest network's weights and max_points custom points as
   * JSON (8 × 128 units: 2.4 MB of weights, 10,000 points 0.45 MB).
   */
  max_message_bytes: number;
  max_momentum: number;
  max_noise: number;
  /**
   * Frames that carry weights instead of a grid (server/page_grid.py): the page evaluates them,
   * so they cost the server little and the wire ~1 kB; the boundary keeps the display's rate.
   */
  max_page_frames_per_second: number;
  /**
   * Early stopping's patience, in epochs.
   */
  max_patience: number;
  /**
   * Largest L1 or L2 coefficient.
   */
  max_penalty: number;
  max_points: number;
  /**
   * Commands one session may have waiting for its worker; more are answered with an error.
   */
  max_queued_commands: number;
  /**
   * Of those, overfit checks, imports, exports and presets (slow, or large).
   */
  max_queued_heavy: number;
  /**
   * What one socket may send, on average: beyond it the server reads it more slowly (TCP pushes
   * back), so a client piping megabyte messages cannot keep the event loop validating.
   */
  max_receive_bytes_per_second: number;
  /**
   * POST /api/regions: the largest network it takes (REGIONS_MAX_LAYERS of REGIONS_MAX_UNITS²
   * weights, about 116,000 numbers) is 2.3-2.9 MB of JSON.
   */
  max_regions_request_bytes: number;
  /**
   * Any HTTP request body; larger ones get 413 before they are read (server/security.py).
   */
  max_request_bytes: number;
  /**
   * POST /api/weights/from-safetensors: the largest network's weights are about 470 kB as
   * float32 (8 × 128 units, 117,000 numbers), 940 kB as float64.
   */
  max_safetensors_bytes: number;
  max_schedule_steps: number;
  max_seed: number;
  /**
   * Tensors in a network's state: per hidden layer weight, bias and up to 6 norm tensors.
   */
  max_state_tensors: number;
  /**
   * The largest step count a setup file may carry: exact as a JavaScript number, and it fits
   * the 64-bit integers msgpack encodes frames with.
   */
  max_step: number;
  max_steps_per_command: number;
  /**
   * The `speed` command's bounds; null (no pace) trains as fast as the machine goes.
   */
  max_steps_per_second: number;
  /**
   * The most values one sweep axis lists.
   */
  max_sweep_axis_values: number;
  /**
   * The most runs one sweep trains: grid points × seeds per point (`plan_sweep`, `start_sweep`).
   */
  max_sweep_runs: number;
  /**
   * The most seeds per grid point.
   */
  max_sweep_seeds: number;
  /**
   * The most optimizer steps each run of a sweep takes.
   */
  max_sweep_steps: number;
  max_train_fraction: number;
  max_units: number;
  max_weight_decay: number;
  /**
   * Largest magnitude a weight edited by hand may take.
   */
  max_weight_value: number;
  min_custom_points: number;
  min_learning_rate: number;
  min_points: number;
  min_schedule_steps: number;
  min_steps_per_second: number;
  min_train_fraction: number;
  /**
   * POST /api/experiments/optimizers: at most steps / every loss samples per curve.
   */
  optimizers_max_curve_points: number;
  optimizers_max_runs: number;
  optimizers_max_steps: number;
  overfit_max_points: number;
  /**
   * Full-batch steps the "overfit a small sample" check gives the model.
   */
  overfit_steps: number;
  /**
   * The largest network whose frames carry weights (≤ ~2 kB) for the page to evaluate; larger
   * ones get the server's grid.
   */
  page_grid_max_parameters: number;
  /**
   * Loss samples a published run keeps per curve (the page thins longer runs to this).
   */
  publish_max_curve_points: number;
  /**
   * POST /api/runs: the largest published run, as sent (JSON: the largest network's weights are
   * about 2.4 MB of it, full loss curves about 220 kB) and as stored (compressed).
   */
  publish_max_run_bytes: number;
  /**
   * All published runs together, as stored; the oldest are removed to make room for a new one
   * (NNP_PUBLISH_MAX_TOTAL_BYTES).
   */
  publish_max_total_bytes: number;
  /**
   * Runs one client (IP address) may publish in an hour; more get 429 (NNP_PUBLISH_RUNS_PER_HOUR).
   */
  publish_runs_per_hour: number;
  /**
   * Grid for counting activation patterns of smooth networks (an approximation).
   */
  regions_approx_resolution: number;
  /**
   * Region counts and explores computed at once; more wait (SLOT_WAIT_SECONDS), then get 503.
   */
  regions_concurrent: number;
  /**
   * Frames carry region polygons only up to this many regions (about 100 kB).
   */
  regions_draw_max: number;
  /**
   * POST /api/regions refuses a network once it has cut the box into more regions than this.
   */
  regions_max_count: number;
  regions_max_layers: number;
  /**
   * POST /api/regions with polygons: fewer, since each polygon is built and sent (~1 MB of JSON
   * at this count; cutting 28,000 took 350 MB).
   */
  regions_max_polygons: number;
  /**
   * POST /api/regions: at most this many layers, each at most this wide.
   */
  regions_max_units: number;
  slot_wait_seconds: number;
  /**
   * POST /api/experiments/suspicious: Adam steps of each of its three small nets.
   */
  suspicious_max_steps: number;
  /**
   * The share of the training gate's time the sweeps of a process may take together: after a
   * chunk that held the gate t seconds, a sweep waits t·(1 − share)/share outside it, so live
   * sessions always get the rest.
   */
  sweep_cpu_share: number;
  /**
   * At most this many `sweep_progress` events a second per sweep (the last one always comes).
   */
  sweep_progress_per_second: number;
  xor_seeds_max_seeds: number;
  /**
   * POST /api/experiments/xor_seeds: widths × seeds runs trained together, each up to this long.
   */
  xor_seeds_max_steps: number;
  xor_seeds_max_widths: number;
}
/**
 * A loss, with the facts the page needs to offer it: its head and its twin.
 */
export interface LossEntry {
  description: string;
  /**
   * For datasets: coordinates per point (1 or 2), or pixels per image (64 for digits); for
   * features: 2 when it needs x2, 64 for "pixels" (image data only).
   */
  dims: number | null;
  /**
   * What the outputs go through: one logit through a sigmoid, one logit per class through a
   * softmax, or one value as it is (regression).
   */
  head: "sigmoid" | "softmax" | "identity";
  /**
   * For image datasets: (height, width) of each image; None for points.
   */
  image_shape: [number, number] | null;
  /**
   * For datasets: the range of `classes` it accepts (fixed two-class sets: 2 and 2).
   */
  max_classes: number | null;
  min_classes: number | null;
  /**
   * True when it takes the log of a probability computed first (inf or NaN on large logits).
   */
  naive: boolean;
  name: string;
  /**
   * For activations: True when networks using it have countable linear regions.
   */
  piecewise_linear: boolean;
  /**
   * For datasets and losses: what they are for.
   */
  task: ("classification" | "regression") | null;
  /**
   * The same loss computed the other way: a stable loss's naive twin, a naive one's stable
   * one; None for a loss without one.
   */
  twin: string | null;
}
/**
 * A condition that shows the learner has seen the point: on the session's frames, or on an
 * answer of the lesson's experiment (metric `experiment`, with the answer's `field`).
 */
export interface Check {
  /**
   * Only frames of a run that began after the learner pressed this action (0-based index
   * into the lesson's actions) count; the action should restart the run (a new network,
   * dataset or seed), so the check reads the demonstration and nothing before it. Without it,
   * the check reads the lesson's own runs and none that a demonstration started.
   */
  after_action: number | null;
  /**
   * Only frames of the run in which the learner last edited the weights by hand (dragged a
   * unit line, set a weight), at or before the step of that edit, count: "the network you built,
   * before any training". No headless run reaches it; the tests build the edit themselves.
   */
  after_edit: boolean;
  /**
   * Only frames at or past this step count (for checks that something stays bad).
   */
  after_step: number | null;
  /**
   * A failure shown on purpose (the symmetry that never breaks, a divergence): the page
   * marks it "expected to fail: watch this" once seen, never with a green tick.
   */
  expected_failure: boolean;
  /**
   * For metric `experiment`: the number of the experiment's answer to read (any run of it
   * counts, the label-noise one included), e.g. `peak_test_mse`.
   */
  field: string | null;
  /**
   * What the learner sees, e.g. "test accuracy ≥ 0.95".
   */
  label: string;
  /**
   * A frame field: train_loss, test_loss, train_accuracy, test_accuracy, regions, step, or
   * diverged_at (the step at which the loss went non-finite; e.g. `>= 0`: it diverged); or
   * experiment: a number of the lesson's experiment answer, named by `field`; or
   * graph_overflow: 1 once the learner ran Backward on a Graph view with an overflowed node
   * (a naive loss's log 0), else 0; read by the page, not from frames.
   */
  metric:
    | "train_loss"
    | "test_loss"
    | "train_accuracy"
    | "test_accuracy"
    | "regions"
    | "step"
    | "diverged_at"
    | "experiment"
    | "graph_overflow";
  op: ">=" | "<=";
  /**
   * Only frames of a network with the learner's own activation (activation "expr", an
   * expression in x) in a hidden layer count: e.g. step ≥ 100 turns green once the learner has
   * written one, applied it and trained it.
   */
  own_activation: boolean;
  value: number;
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
 * Dataset fields to change; omitted fields keep their current value. Generated datasets
 * take min_points … max_points and their own classes; the points and classes `settings`
 * reports for the user's points, the digits or a regression are accepted back unchanged.
 */
export interface DatasetPatch {
  /**
   * Number of classes for datasets that draw any number (blobs, rings, spiral's arms).
   */
  classes?: number | null;
  /**
   * The points themselves; implies name "custom".
   */
  custom?: CustomPoints | null;
  /**
   * Fraction of training labels changed to another class at random (classification only).
   */
  label_noise?: number | null;
  /**
   * A key of models.datasets.DATASETS (the catalog's datasets), or "custom".
   */
  name?: string | null;
  /**
   * Fraction of the dataset's scale added as noise, 0 (clean) to 0.5 (very noisy).
   */
  noise?: number | null;
  /**
   * Total number of points, training and test together.
   */
  points?: number | null;
  /**
   * Share of the points used for training; the rest is the test set.
   */
  train_fraction?: number | null;
}
/**
 * The user's own points: 2D coordinates inside the box and a label or value each.
 */
export interface CustomPoints {
  task?: "classification" | "regression";
  /**
   * @minItems 2
   * @maxItems 10000
   */
  x: [[number, number], [number, number], ...[number, number][]];
  /**
   * Class indices 0 … max_classes−1 for classification, any finite value for regression.
   *
   * @maxItems 10000
   */
  y: number[];
}
/**
 * Network fields to change; omitted fields keep their current value. The hidden list is
 * replaced whole; `outputs` is accepted so the settings can be sent back whole: it follows
 * the loss and the data, and a value that contradicts them is refused.
 */
export interface NetworkPatch {
  /**
   * Inputs the network sees, computed from the point (models/features.py): x1, x2, x1², …
   */
  features?: string[] | null;
  /**
   * Hidden layers from input to output; may be empty (a linear model).
   */
  hidden?: HiddenLayer1[] | null;
  /**
   * Weight initialisation scheme, a key of models.inits.INITS.
   */
  init?: string | null;
  /**
   * Width of the output layer: 1, or one logit per class for cross-entropy (follows the loss).
   */
  outputs?: number | null;
}
/**
 * One hidden layer: Linear, [BatchNorm], [LayerNorm], activation, [Dropout].
 */
export interface HiddenLayer1 {
  /**
   * Applied after the layer: a key of models.network.ACTIVATIONS (the catalog's activations);
   * "expr" is the learner's own, written in `expression`.
   */
  activation: string;
  /**
   * BatchNorm1d after the Linear, before the activation (batch statistics in training).
   */
  batch_norm?: boolean;
  /**
   * Probability of zeroing each unit after the activation while training; 0 is off.
   */
  dropout?: number;
  /**
   * The activation as an expression in x when `activation` is "expr" (models/expression.py),
   * e.g. "x * sigmoid(1.5 * x)"; empty for every other activation.
   */
  expression?: string;
  /**
   * LayerNorm after the Linear (and after BatchNorm when both are on), before the activation.
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
  /**
   * Training points per optimizer step (capped at the training-set size).
   */
  batch_size?: number | null;
  /**
   * Clip the global gradient norm to this value before each step; 0 is off.
   */
  clip_norm?: number | null;
  /**
   * Patience in epochs without a better test loss before training stops; 0 is off.
   */
  early_stopping?: number | null;
  /**
   * Standard deviation of Gaussian noise added to each training batch's inputs.
   */
  input_noise?: number | null;
  /**
   * Coefficient of the L1 penalty on the weights (not biases) added to the training loss.
   */
  l1?: number | null;
  /**
   * Coefficient of the L2 penalty (sum of squared weights, not biases) added to the loss.
   */
  l2?: number | null;
  /**
   * The optimizer's base step size (the schedule scales it).
   */
  learning_rate?: number | null;
  /**
   * A key of models.losses.LOSSES; it decides the output head (models/tasks.py).
   */
  loss?: string | null;
  /**
   * For the `momentum` optimizer (and rmsprop's momentum term, 0 there by default).
   */
  momentum?: number | null;
  /**
   * Nesterov's look-ahead momentum, for the `momentum` optimizer.
   */
  nesterov?: boolean | null;
  /**
   * A key of models.optimizers.OPTIMIZERS (the catalog's optimizers).
   */
  optimizer?: string | null;
  /**
   * How the output layer learns, a key of models.readout.READOUTS: "trained" by the
   * optimizer with the rest, or "least_squares" (random features: hidden layers stay at their
   * random start, the output layer is solved as the minimum-norm least-squares fit).
   */
  readout?: string | null;
  /**
   * Learning-rate schedule, a key of models.schedules.SCHEDULES.
   */
  schedule?: string | null;
  /**
   * Step decay halves the rate every this many steps; cosine anneals to 0 over them.
   */
  schedule_steps?: number | null;
  /**
   * Decoupled for adamw; added to the gradient (torch's convention) for the others.
   */
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
 * Load a hand-built network, paused at step 0 so the learner watches what it computes.
 *
 * - `folding`: ReLU [8] × depth with 16^depth linear regions, on the current data;
 * - `xor_two_units`: the classic XOR (`xor4`) and tanh [2] weights that classify it all;
 * - `sine_bumps`: the sine and a sigmoid layer of 2 × bumps units: each pair of shifted
 *   sigmoids makes one bump, and the bumps add up to a staircase that follows sin 2πx.
 */
export interface PresetCommand {
  /**
   * Bumps of two sigmoids each (sine_bumps only).
   */
  bumps?: number;
  /**
   * Folding layers; each multiplies the regions by 16 (folding only).
   */
  depth?: number;
  name: "folding" | "xor_two_units" | "sine_bumps";
  type: "preset";
}
/**
 * Subscribe to views inside the network; replaces the previous subscription whole.
 */
export interface InspectCommand {
  /**
   * One neuron at a higher resolution (the large view).
   */
  focus?: NeuronRef | null;
  /**
   * With `probe`: also the point's computational graph, one node per operation.
   */
  graph?: boolean;
  /**
   * Where this hidden layer maps the training points and a grid of the input box.
   */
  hidden_layer?: number | null;
  /**
   * Per-layer norms, gradient norms, update ratios, activation statistics, dead units.
   */
  monitors?: boolean;
  /**
   * Every neuron's activation over the input box, as small heatmaps (the diagram).
   */
  neurons?: boolean;
  /**
   * Forward and backward pass for one point.
   */
  probe?: ProbeRequest | null;
  type: "inspect";
}
/**
 * One neuron: `layer` counts the Linear layers (0 = first hidden, H = the output layer).
 */
export interface NeuronRef {
  layer: number;
  unit: number;
}
/**
 * A point to follow through the network, forward and backward, with its target.
 */
export interface ProbeRequest {
  /**
   * The input: [x1, x2], or [x] on 1D data.
   *
   * @minItems 1
   * @maxItems 2
   */
  point: [number, ...number[]];
  /**
   * The class index (classification) or the value (regression) the loss compares with.
   */
  target: number;
}
/**
 * Set one weight or bias while paused; the views update at once.
 */
export interface SetWeightCommand {
  /**
   * The input (unit of the layer below, or feature) it comes from; None sets the bias.
   */
  col?: number | null;
  /**
   * The Linear layer: 0 is the first hidden layer, the number of hidden layers the output.
   */
  layer: number;
  /**
   * The unit of that layer the weight leads into.
   */
  row: number;
  type: "set_weight";
  value: number;
}
/**
 * Set every weight into one unit and its bias while paused, as one edit: the views update
 * once, with the unit's new line (models/unit_lines.py). The same rules as `set_weight`.
 */
export interface SetUnitCommand {
  bias: number;
  /**
   * The Linear layer: 0 is the first hidden layer (the one whose units are lines).
   */
  layer: number;
  type: "set_unit";
  /**
   * The unit of that layer.
   */
  unit: number;
  /**
   * One weight per input of the layer, in the order of its inputs (features x1, x2).
   *
   * @minItems 1
   * @maxItems 64
   */
  weights: [number, ...number[]];
}
/**
 * After a divergence: bring back the last finite weights, paused.
 */
export interface UndoCommand {
  type: "undo";
}
/**
 * The checklist's first test: can a fresh copy of this model fit a handful of points?
 */
export interface OverfitCheckCommand {
  /**
   * Training points to fit (the first ones, classes balanced where possible).
   */
  points?: number;
  type: "overfit_check";
}
/**
 * Ask for the current setup as a SetupFile (answered by `setup_file`).
 */
export interface ExportCommand {
  /**
   * Echoed in the reply (`setup_file`, `settings` or `error`), so the client knows which
   * of its requests was answered; null when the client does not care.
   */
  request_id?: number | null;
  type: "export";
  /**
   * Include the current weights (and the step they were saved at).
   */
  weights?: boolean;
}
/**
 * Replace the whole setup, paused; with weights, training resumes from them (answered by
 * `settings`, or `error` when the file is refused).
 */
export interface ImportCommand {
  /**
   * Echoed in the reply (`setup_file`, `settings` or `error`), so the client knows which
   * of its requests was answered; null when the client does not care.
   */
  request_id?: number | null;
  setup: SetupFile;
  type: "import";
}
/**
 * Everything that reproduces a session: the JSON file of Export and Import.
 */
export interface SetupFile {
  /**
   * The user's own points, when the dataset is "custom".
   */
  custom?: CustomPoints | null;
  format?: "nn-playground/setup";
  settings: RunSettings1;
  /**
   * The step the weights were saved at.
   */
  step?: number | null;
  version?: 1;
  /**
   * The network's state by torch's state_dict names ("1.weight", …); None for a fresh start.
   */
  weights?: {
    [k: string]: TensorValues | undefined;
  } | null;
}
/**
 * The complete setup in force; the same settings give the same losses.
 */
export interface RunSettings1 {
  dataset: DatasetSettings;
  network: NetworkSettings1;
  seed: number;
  training: TrainingSettings1;
}
/**
 * The architecture: the input features, these hidden layers, the output layer.
 */
export interface NetworkSettings1 {
  /**
   * Inputs the network sees, computed from the point (models/features.py): x1, x2, x1², …
   *
   * @maxItems 8
   */
  features: string[];
  /**
   * Hidden layers from input to output; may be empty (a linear model).
   *
   * @maxItems 8
   */
  hidden: HiddenLayer1[];
  /**
   * Weight initialisation scheme, a key of models.inits.INITS.
   */
  init: string;
  /**
   * Width of the output layer: 1, or one logit per class for cross-entropy (follows the loss).
   */
  outputs: number;
}
/**
 * How the network is trained.
 */
export interface TrainingSettings1 {
  /**
   * Training points per optimizer step (capped at the training-set size).
   */
  batch_size: number;
  /**
   * Clip the global gradient norm to this value before each step; 0 is off.
   */
  clip_norm: number;
  /**
   * Patience in epochs without a better test loss before training stops; 0 is off.
   */
  early_stopping: number;
  /**
   * Standard deviation of Gaussian noise added to each training batch's inputs.
   */
  input_noise: number;
  /**
   * Coefficient of the L1 penalty on the weights (not biases) added to the training loss.
   */
  l1: number;
  /**
   * Coefficient of the L2 penalty (sum of squared weights, not biases) added to the loss.
   */
  l2: number;
  /**
   * The optimizer's base step size (the schedule scales it).
   */
  learning_rate: number;
  /**
   * A key of models.losses.LOSSES; it decides the output head (models/tasks.py).
   */
  loss: string;
  /**
   * For the `momentum` optimizer (and rmsprop's momentum term, 0 there by default).
   */
  momentum: number;
  /**
   * Nesterov's look-ahead momentum, for the `momentum` optimizer.
   */
  nesterov: boolean;
  /**
   * A key of models.optimizers.OPTIMIZERS (the catalog's optimizers).
   */
  optimizer: string;
  /**
   * How the output layer learns, a key of models.readout.READOUTS: "trained" by the
   * optimizer with the rest, or "least_squares" (random features: hidden layers stay at their
   * random start, the output layer is solved as the minimum-norm least-squares fit).
   */
  readout?: string;
  /**
   * Learning-rate schedule, a key of models.schedules.SCHEDULES.
   */
  schedule: string;
  /**
   * Step decay halves the rate every this many steps; cosine anneals to 0 over them.
   */
  schedule_steps: number;
  /**
   * Decoupled for adamw; added to the gradient (torch's convention) for the others.
   */
  weight_decay: number;
}
/**
 * One tensor of the network's state: its shape and its values, flattened row-major.
 */
export interface TensorValues {
  /**
   * @maxItems 4
   */
  shape: number[];
  /**
   * @maxItems 16384
   */
  values: number[];
}
/**
 * Set the training pace; it applies at once and never restarts training.
 *
 * A pace is not a setting of the run: the same seed and settings give the same losses at
 * any pace. The session answers with a `speed` event.
 */
export interface SpeedCommand {
  /**
   * Target optimizer steps per second while playing, spread evenly; null trains as fast as
   * the machine goes. At most one step per displayed frame (30 or fewer a second), every step
   * gets its frame.
   */
  steps_per_second: number | null;
  type: "speed";
}
/**
 * Fork the run into lanes, one per value, all from step 0 with the session's seed.
 *
 * Lane 1 takes values[0] (the page puts the current value there). Every lane gets the same
 * data and, where the layer shapes match, the same initial weights; pausing or playing
 * stays as it was. A value the setting cannot take is refused and nothing changes.
 */
export interface CompareCommand {
  setting:
    | "activation"
    | "learning_rate"
    | "optimizer"
    | "width"
    | "depth"
    | "batch_size"
    | "l2"
    | "dropout"
    | "init";
  type: "compare";
  /**
   * One value per lane, in lane order; repeating a value is allowed (the lanes match).
   *
   * @minItems 2
   * @maxItems 4
   */
  values: [string | number, string | number, ...(string | number)[]];
}
/**
 * Make one lane the main run, its weights, step and setup kept; the other lanes end.
 */
export interface PromoteLaneCommand {
  /**
   * 0-based lane index (lane 1 on the page is 0).
   */
  lane: number;
  type: "promote_lane";
}
/**
 * Drop every lane but the first, which goes on as the single run.
 */
export interface EndCompareCommand {
  type: "end_compare";
}
/**
 * Ask what a sweep would cost (answered by `sweep_plan`, or an `error` naming the limit).
 */
export interface PlanSweepCommand {
  /**
   * Echoed in the reply (`setup_file`, `settings` or `error`), so the client knows which
   * of its requests was answered; null when the client does not care.
   */
  request_id?: number | null;
  sweep: SweepRequest;
  type: "plan_sweep";
}
/**
 * A grid of runs around the session's current setup: axis 0 outer, axis 1 inner, seeds
 * innermost.
 */
export interface SweepRequest {
  /**
   * One or two axes, of different settings (at least one: checked, not minItems).
   *
   * @maxItems 2
   */
  axes: SweepAxis[];
  /**
   * Runs per grid point, seeds current seed + 0 … k−1; 1 when "seed" is an axis.
   */
  seeds_per_point?: number;
  /**
   * Optimizer steps of every run.
   */
  steps: number;
}
/**
 * One axis of the grid: a setting and the explicit values it takes (the page expands
 * linear and log ranges into lists).
 */
export interface SweepAxis {
  /**
   * Width only: which hidden layer (0-based); null = every hidden layer.
   */
  layer?: number | null;
  setting:
    | "seed"
    | "width"
    | "depth"
    | "learning_rate"
    | "batch_size"
    | "weight_decay"
    | "dropout"
    | "label_noise"
    | "points";
  /**
   * At least one (checked here, not as minItems, which TypeScript would read as a tuple).
   *
   * @maxItems 50
   */
  values: number[];
}
/**
 * Start a sweep (answered by `sweep_progress` events); refused while one runs.
 */
export interface StartSweepCommand {
  /**
   * Echoed in the reply (`setup_file`, `settings` or `error`), so the client knows which
   * of its requests was answered; null when the client does not care.
   */
  request_id?: number | null;
  sweep: SweepRequest;
  type: "start_sweep";
}
/**
 * Change the setup. Network, dataset or seed changes restart training from step 0.
 */
export interface ConfigureCommand1 {
  dataset: DatasetPatch1 | null;
  /**
   * Architecture fields to change (the hidden list is replaced, not merged).
   */
  network: NetworkPatch1 | null;
  seed: number | null;
  /**
   * Changing only training settings keeps the weights and the step count.
   */
  training: TrainingPatch1 | null;
  type: "configure";
}
/**
 * Dataset fields to change; omitted fields keep their current value. Generated datasets
 * take min_points … max_points and their own classes; the points and classes `settings`
 * reports for the user's points, the digits or a regression are accepted back unchanged.
 */
export interface DatasetPatch1 {
  /**
   * Number of classes for datasets that draw any number (blobs, rings, spiral's arms).
   */
  classes: number | null;
  /**
   * The points themselves; implies name "custom".
   */
  custom: CustomPoints1 | null;
  /**
   * Fraction of training labels changed to another class at random (classification only).
   */
  label_noise: number | null;
  /**
   * A key of models.datasets.DATASETS (the catalog's datasets), or "custom".
   */
  name: string | null;
  /**
   * Fraction of the dataset's scale added as noise, 0 (clean) to 0.5 (very noisy).
   */
  noise: number | null;
  /**
   * Total number of points, training and test together.
   */
  points: number | null;
  /**
   * Share of the points used for training; the rest is the test set.
   */
  train_fraction: number | null;
}
/**
 * The user's own points: 2D coordinates inside the box and a label or value each.
 */
export interface CustomPoints1 {
  task: "classification" | "regression";
  /**
   * @minItems 2
   * @maxItems 10000
   */
  x: [[number, number], [number, number], ...[number, number][]];
  /**
   * Class indices 0 … max_classes−1 for classification, any finite value for regression.
   *
   * @maxItems 10000
   */
  y: number[];
}
/**
 * Network fields to change; omitted fields keep their current value. The hidden list is
 * replaced whole; `outputs` is accepted so the settings can be sent back whole: it follows
 * the loss and the data, and a value that contradicts them is refused.
 */
export interface NetworkPatch1 {
  /**
   * Inputs the network sees, computed from the point (models/features.py): x1, x2, x1², …
   */
  features: string[] | null;
  /**
   * Hidden layers from input to output; may be empty (a linear model).
   */
  hidden: HiddenLayer[] | null;
  /**
   * Weight initialisation scheme, a key of models.inits.INITS.
   */
  init: string | null;
  /**
   * Width of the output layer: 1, or one logit per class for cross-entropy (follows the loss).
   */
  outputs: number | null;
}
/**
 * Training fields to change; omitted fields keep their current value.
 */
export interface TrainingPatch1 {
  /**
   * Training points per optimizer step (capped at the training-set size).
   */
  batch_size: number | null;
  /**
   * Clip the global gradient norm to this value before each step; 0 is off.
   */
  clip_norm: number | null;
  /**
   * Patience in epochs without a better test loss before training stops; 0 is off.
   */
  early_stopping: number | null;
  /**
   * Standard deviation of Gaussian noise added to each training batch's inputs.
   */
  input_noise: number | null;
  /**
   * Coefficient of the L1 penalty on the weights (not biases) added to the training loss.
   */
  l1: number | null;
  /**
   * Coefficient of the L2 penalty (sum of squared weights, not biases) added to the loss.
   */
  l2: number | null;
  /**
   * The optimizer's base step size (the schedule scales it).
   */
  learning_rate: number | null;
  /**
   * A key of models.losses.LOSSES; it decides the output head (models/tasks.py).
   */
  loss: string | null;
  /**
   * For the `momentum` optimizer (and rmsprop's momentum term, 0 there by default).
   */
  momentum: number | null;
  /**
   * Nesterov's look-ahead momentum, for the `momentum` optimizer.
   */
  nesterov: boolean | null;
  /**
   * A key of models.optimizers.OPTIMIZERS (the catalog's optimizers).
   */
  optimizer: string | null;
  /**
   * How the output layer learns, a key of models.readout.READOUTS: "trained" by the
   * optimizer with the rest, or "least_squares" (random features: hidden layers stay at their
   * random start, the output layer is solved as the minimum-norm least-squares fit).
   */
  readout: string | null;
  /**
   * Learning-rate schedule, a key of models.schedules.SCHEDULES.
   */
  schedule: string | null;
  /**
   * Step decay halves the rate every this many steps; cosine anneals to 0 over them.
   */
  schedule_steps: number | null;
  /**
   * Decoupled for adamw; added to the gradient (torch's convention) for the others.
   */
  weight_decay: number | null;
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
   * Coordinates per point: 2, or 1 for 1D data (sine), whose points are [x], or the pixels
   * of image data (64 for the 8×8 digits).
   */
  dims: number;
  /**
   * (height, width) of each point's image for image data (digits: (8, 8)), row-major
   * pixels in [0, 1]; None for points in the plane or on the line.
   */
  image_shape: [number, number] | null;
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
 * POST /api/experiments/double_descent: one ReLU layer of p units on two moons.
 *
 * `random_features`: the hidden layer stays random, n = 100 training points, p up to 2,000;
 * `trained`: the hidden layer is trained by Adam for `steps` steps, n = 40, p up to 400. Either
 * way the output layer is the minimum-norm least-squares fit.
 */
export interface DoubleDescentRequest {
  /**
   * The feature counts p to fit, each 1 … double_descent_max_features.
   *
   * @minItems 1
   * @maxItems 30
   */
  features?: [number, ...number[]];
  /**
   * Share of training labels flipped; the test labels stay clean.
   */
  label_noise?: number;
  model?: "random_features" | "trained";
  seeds?: number;
  /**
   * Adam steps on the hidden layer (trained only).
   */
  steps?: number;
}
/**
 * Test error against the number of features; the peak is at p = train_points.
 */
export interface DoubleDescentResponse {
  model: "random_features" | "trained";
  /**
   * 1 when the peak sits at the interpolation threshold (0.8 n ≤ p ≤ 1.25 n), else 0.
   */
  peak_at_threshold: number;
  /**
   * The p whose median test MSE is highest.
   */
  peak_features: number;
  /**
   * That highest median test MSE (random features: about 2.6 clean, 180 with label noise 0.2;
   * trained: 0.43 and 350).
   */
  peak_test_mse: number;
  results: FeatureCountResult[];
  seconds: number;
  /**
   * The smallest p whose median training MSE is at most 0.001 (fits every point), if any.
   */
  threshold_features: number | null;
  train_points: number;
}
/**
 * The fits with p random features.
 */
export interface FeatureCountResult {
  features: number;
  /**
   * Mean over seeds of the test classification error.
   */
  test_error: number;
  /**
   * Median over seeds of the test mean squared error on labels ±1.
   */
  test_mse: number;
  /**
   * Median over seeds of the training mean squared error (0 once p ≥ n).
   */
  train_mse: number;
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
   * Set when training went non-finite: the step it happened at (the frame says it too), so a
   * client tells a divergence from other errors without reading the message.
   */
  diverged_at: number | null;
  /**
   * What went wrong, for a person to read.
   */
  message: string;
  /**
   * The `request_id` of the refused command, when it carried one (`export`, `import`).
   */
  request_id: number | null;
  type: "error";
  /**
   * Set when training went non-finite: `undo` brings back the weights of this step.
   */
  undo_step: number | null;
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
 * One neuron at a higher resolution.
 */
export interface FocusPlane {
  /**
   * float32 little-endian, width·height, row 0 at the top.
   */
  data: Uint8Array;
  height: number;
  layer: number;
  unit: number;
  width: number;
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
   * Image data: the test set's confusion matrix, rows the true class, columns the
   * predicted one; None for other data.
   */
  confusion: number[][] | null;
  /**
   * The step where the loss first became NaN or infinite; training stopped there.
   */
  diverged_at: number | null;
  /**
   * The step where early stopping ended training (this run), its best weights restored.
   */
  early_stopped_at: number | null;
  /**
   * The output over the input box; None for image data, which has no box to draw, and
   * when `weights` is sent instead.
   */
  grid: Grid | null;
  history: History;
  /**
   * None: the numbers above are over every point. Else an estimate from at most this many evenly
   * spread points of each set: a large network's frames while it trains, so that its frames
   * keep their rate (server/frame_budget.py); every resting frame is exact again.
   */
  loss_points: number | null;
  /**
   * None: the losses, accuracies and `loss_points` above are of this frame's `step`. Else the
   * earlier step (same run) they were computed at and this frame repeats: while training,
   * frames can come faster than losses are computed (limits.MAX_LOSSES_PER_SECOND, e.g. 60
   * frames/s of weights), and such a frame's `history` is empty, so the loss chart gets one
   * point per evaluation, never an invented one.
   */
  loss_step: number | null;
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
  /**
   * Image data: the first Linear layer's weights, one image per unit (per class for a
   * linear model); None for other data.
   */
  weight_images: WeightImages | null;
  /**
   * Set instead of `grid` for a client that evaluates small networks itself (`/ws?grid=page`).
   */
  weights: NetWeights | null;
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
 * Weights into each unit of a layer, laid out like the input images.
 */
export interface WeightImages {
  count: number;
  /**
   * float32 little-endian, count × height × width, row-major.
   */
  data: Uint8Array;
  height: number;
  width: number;
}
/**
 * A small network's weights, for the page to evaluate the output grid itself.
 *
 * Sent instead of `grid` when the client asked for it (`/ws?grid=page`) and the page can
 * evaluate every part of the network (server/page_grid.py says which); the page evaluates
 * the same grid the server would send, at a resolution of its choice, in float32.
 */
export interface NetWeights {
  /**
   * Every tensor the ops read, little-endian float32, in op order.
   */
  data: Uint8Array;
  /**
   * The input features in order (models/features.py), computed from the point (x1, x2).
   */
  features: string[];
  /**
   * How the outputs become the grid: P(class 1), (most likely class, its probability), or
   * the value (clamped to ±60,000 as the float16 grid is).
   */
  head: "sigmoid" | "softmax" | "identity";
  /**
   * The eval-mode forward pass in order: `linear:N` (a Linear to N units: weight N×in
   * row-major, then bias N), `batch_norm` (weight, bias, running mean, running variance),
   * `layer_norm` (weight, bias), or `act:NAME` (an activation of the catalog). Norms use
   * eps 1e-5; dropout is the identity in eval mode and is left out.
   */
  ops: string[];
}
/**
 * One operation of the forward pass with its value, the gradient arriving at it and its
 * edge's local derivative (the fields of models.analysis.graph.GraphNode).
 */
export interface GraphNodeView {
  /**
   * Backward: dL/d(value), the gradient arriving at the node.
   */
  grad: number[];
  /**
   * Unique in the graph, e.g. "l1.matmul", "head", "loss".
   */
  id: string;
  /**
   * What the node computes, for people: "W₁·x", "+ b₁", "tanh", "log", "BCE with logits".
   */
  label: string;
  /**
   * The Linear layer (0-based) the node belongs to; None for input, head, log and loss.
   */
  layer: number | null;
  /**
   * ∂value/∂(previous node's value) of an elementwise op: the Jacobian's diagonal.
   */
  local_diagonal: number[] | null;
  /**
   * ∂value/∂(previous node's value) otherwise, (len(value), len(previous value)); both are
   * None for the input, which has no edge coming in, and this one for a matrix larger than the
   * caller's `matrix_limit` (a wide layer, which the view draws collapsed).
   */
  local_matrix: number[][] | null;
  /**
   * input, features, matmul, add_bias, batch_norm, layer_norm, dropout, activation, sigmoid,
   * softmax, log or loss.
   */
  op: string;
  /**
   * The first node whose value is not finite although everything before it was.
   */
  overflow: boolean;
  /**
   * The name of its value: "x", "z₁", "h₁", "p", "L".
   */
  symbol: string;
  /**
   * Forward: the node's output for the point (±inf and NaN kept).
   */
  value: number[];
}
/**
 * One point's computational graph, forward and backward: nodes[i]'s edge comes from
 * nodes[i − 1], and nodes[i − 1].grad = nodes[i].grad × nodes[i]'s local derivative.
 */
export interface GraphView {
  loss: string;
  nodes: GraphNodeView[];
  /**
   * Why the flagged node is not finite, in a sentence; None when every value is finite.
   */
  overflow_reason: string | null;
  target: number;
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
  /**
   * The pace the session starts at (see the `speed` command); null is as fast as it goes.
   */
  steps_per_second: number | null;
  type: "hello";
  /**
   * The server's package version.
   */
  version: string;
}
/**
 * Where one hidden layer puts the training points and a grid of the input box.
 */
export interface HiddenSpaceView {
  count: number;
  /**
   * float32 (lines × samples × 2): the images of the box's grid lines (one line on 1D data).
   */
  grid: Uint8Array;
  /**
   * float32 (count): their labels or values.
   */
  labels: Uint8Array;
  layer: number;
  lines: number;
  /**
   * float32 (count × 2): the training points' coordinates in the layer, in dataset order.
   */
  points: Uint8Array;
  /**
   * True for more than 2 units: a fixed orthonormal projection to 2D (the same every time).
   */
  projected: boolean;
  samples: number;
  units: number;
}
/**
 * One Linear layer's parameters, for drawing the diagram's edges.
 */
export interface InspectedLayer {
  /**
   * The activation after it; None for the output layer (its head follows the loss).
   */
  activation: string | null;
  /**
   * float32 little-endian, units.
   */
  bias: Uint8Array;
  inputs: number;
  layer: number;
  /**
   * "hidden layer 1" … "output layer".
   */
  name: string;
  units: number;
  /**
   * float32 little-endian, units × inputs, row-major (torch's nn.Linear layout).
   */
  weight: Uint8Array;
}
/**
 * What the inspect subscription asked for, newest wins; sent as binary msgpack.
 */
export interface InspectionEvent {
  focus: FocusPlane | null;
  /**
   * The probed point's computational graph, when `graph` and `probe` are subscribed.
   */
  graph: GraphView | null;
  hidden_space: HiddenSpaceView | null;
  layers: InspectedLayer[];
  /**
   * The run's monitors before this inspection, oldest first and thinned to a bounded number
   * of samples; recorded from the run's start whether or not anyone watched. Sent with the
   * first inspection after monitors are subscribed; the client replaces what it held.
   */
  monitor_history: MonitorSample[] | null;
  monitors: LayerMonitorStats[] | null;
  neurons: NeuronPlanes | null;
  probe: ProbeResult | null;
  run: number;
  step: number;
  type: "inspection";
}
/**
 * The monitors of every Linear layer at one step of the run.
 */
export interface MonitorSample {
  layers: LayerMonitorStats[];
  step: number;
}
/**
 * The debugging checklist's signals for one Linear layer; None where a value is not
 * finite (after a divergence) or not defined.
 */
export interface LayerMonitorStats {
  activation_mean: number | null;
  activation_std: number | null;
  /**
   * Share of units whose activation has zero slope on every training point; None for the
   * output layer.
   */
  dead_fraction: number | null;
  /**
   * Norm of the full training set's loss gradient with respect to the weights.
   */
  grad_norm: number | null;
  layer: number;
  name: string;
  /**
   * ‖ΔW‖ / ‖W‖ per step, averaged since the previous inspection; None at first.
   */
  update_ratio: number | null;
  weight_norm: number | null;
}
/**
 * Each neuron's value over the input box: the inputs, every hidden unit, the outputs.
 */
export interface NeuronPlanes {
  /**
   * Planes per column: input features, then each hidden layer's units, then the outputs.
   */
  counts: number[];
  /**
   * float16 little-endian planes of width·height, in the order of `counts`, row 0 at the top
   * (ymax) as in the output grid. Hidden units show their activation; the outputs show the head
   * (probability or value).
   */
  data: Uint8Array;
  /**
   * 1 on 1D data: one row across the x range.
   */
  height: number;
  width: number;
}
/**
 * The forward and backward pass of one point, layer by layer.
 */
export interface ProbeResult {
  layers: ProbeStage[];
  /**
   * None when the loss is not finite (a naive loss at a large logit).
   */
  loss: number | null;
  output: number[];
  point: number[];
  target: number;
}
/**
 * One Linear layer on the probe's way: forward values and the loss's gradients (the fields
 * of models.analysis.backprop.ProbeLayer).
 */
export interface ProbeStage {
  grad_bias: number[];
  /**
   * dL/dpost; for the output layer dL/d(probabilities or values).
   */
  grad_post: number[];
  /**
   * dL/dz.
   */
  grad_pre: number[];
  /**
   * dL/dW, (out, in): dL/dz times the layer's input, an outer product.
   */
  grad_weight: number[][];
  layer: number;
  name: string;
  /**
   * After norms and the activation; for the output layer the head (probabilities/values).
   */
  post: number[];
  /**
   * The Linear's output z.
   */
  pre: number[];
}
/**
 * One lane's state in a lanes frame.
 */
export interface LaneFrame {
  /**
   * The step where this lane's loss went non-finite; it trains no more.
   */
  diverged_at: number | null;
  early_stopped_at: number | null;
  /**
   * The lane's output over the box on a coarse grid (limits.LANE_GRID_RESOLUTION); None
   * for image data.
   */
  grid: Grid | null;
  history: History;
  /**
   * None: the numbers above are over every point. Else an estimate from at most this many evenly
   * spread points of each set: a large network's frames while it trains, so that its frames
   * keep their rate (server/frame_budget.py); every resting frame is exact again.
   */
  loss_points: number | null;
  /**
   * Linear regions over the box, sent about once a second; null in between.
   */
  regions: number | null;
  step: number;
  test_accuracy: number | null;
  test_loss: number;
  /**
   * Fraction of training points classified right; None for regression.
   */
  train_accuracy: number | null;
  train_loss: number;
}
/**
 * What is being compared: after each accepted `compare`, and with setting null when the
 * comparison ends (end_compare, promote_lane, or a configure that replaced the run).
 */
export interface LanesEvent {
  setting:
    | (
        | "activation"
        | "learning_rate"
        | "optimizer"
        | "width"
        | "depth"
        | "batch_size"
        | "l2"
        | "dropout"
        | "init"
      )
    | null;
  type: "lanes";
  /**
   * The lanes' values of `setting`, in lane order; empty when not comparing.
   */
  values: (string | number)[];
}
/**
 * Every lane's losses, metrics and output grid; binary msgpack, newest wins, sent with
 * each frame while comparing.
 */
export interface LanesFrameEvent {
  lanes: LaneFrame[];
  /**
   * The run's number, as in frames: a new one means new lane histories.
   */
  run: number;
  running: boolean;
  type: "lanes_frame";
}
/**
 * One lesson: a preset, a few sentences, a prompt, live checks and optional extras.
 */
export interface Lesson {
  /**
   * One-click demonstrations: websocket commands with button labels.
   */
  actions: LessonAction[];
  available: boolean;
  checks: Check[];
  experiment: LessonExperiment | null;
  /**
   * Kebab-case, stable: progress is stored under it.
   */
  id: string;
  /**
   * Why an unavailable lesson is not there yet, or a caveat the learner should read.
   */
  note: string | null;
  number: number;
  preset: ConfigureCommand1;
  /**
   * Two to four sentences of explanation.
   */
  summary: string;
  title: string;
  /**
   * What to do next in the playground.
   */
  try_this: string;
}
/**
 * A one-click demonstration: a websocket command to send, with a button label.
 */
export interface LessonAction {
  command: ConfigureCommand1 | PresetCommand1 | OverfitCheckCommand1;
  label: string;
  /**
   * After a configure, press play, so the demonstration starts what it loads; false pauses
   * before the command instead, so the learner sees step 0 and presses play. A preset (a
   * hand-built network, shown as built) and the overfit check go as they are.
   */
  play: boolean;
  /**
   * Start from fresh weights: the page restarts training from the seed's own first weights
   * (the command's seed, else the preset's), even when the command changes nothing that would
   * restart it (a second press, or weights trained before). For configure commands.
   */
  reset: boolean;
}
/**
 * Load a hand-built network, paused at step 0 so the learner watches what it computes.
 *
 * - `folding`: ReLU [8] × depth with 16^depth linear regions, on the current data;
 * - `xor_two_units`: the classic XOR (`xor4`) and tanh [2] weights that classify it all;
 * - `sine_bumps`: the sine and a sigmoid layer of 2 × bumps units: each pair of shifted
 *   sigmoids makes one bump, and the bumps add up to a staircase that follows sin 2πx.
 */
export interface PresetCommand1 {
  /**
   * Bumps of two sigmoids each (sine_bumps only).
   */
  bumps: number;
  /**
   * Folding layers; each multiplies the regions by 16 (folding only).
   */
  depth: number;
  name: "folding" | "xor_two_units" | "sine_bumps";
  type: "preset";
}
/**
 * The checklist's first test: can a fresh copy of this model fit a handful of points?
 */
export interface OverfitCheckCommand1 {
  /**
   * Training points to fit (the first ones, classes balanced where possible).
   */
  points: number;
  type: "overfit_check";
}
/**
 * An experiment a lesson offers, with the request body to send it.
 */
export interface LessonExperiment {
  name: "xor_seeds" | "approximation" | "optimizers" | "double_descent" | "suspicious" | "explore";
  /**
   * The request body; validated against the experiment's request model when loaded.
   */
  params: {
    [k: string]: unknown | undefined;
  };
  /**
   * Where to POST `params`: /api/experiments/<name> (explore: /api/regions/explore).
   */
  route: string;
}
/**
 * GET /api/lessons: every lesson, in order.
 */
export interface LessonsResponse {
  lessons: Lesson[];
}
/**
 * The run's loss samples as columns, as the page keeps them; null where not finite.
 */
export interface LossCurves {
  /**
   * @maxItems 5000
   */
  steps?: number[];
  /**
   * @maxItems 5000
   */
  test_loss?: (number | null)[];
  /**
   * @maxItems 5000
   */
  train_loss?: (number | null)[];
}
/**
 * The run's loss samples as columns, as the page keeps them; null where not finite.
 */
export interface LossCurves1 {
  /**
   * @maxItems 5000
   */
  steps: number[];
  /**
   * @maxItems 5000
   */
  test_loss: (number | null)[];
  /**
   * @maxItems 5000
   */
  train_loss: (number | null)[];
}
/**
 * One optimizer's loss curve.
 */
export interface OptimizerCurveResult {
  /**
   * The first step whose minibatch loss was not finite, if any.
   */
  diverged_at: number | null;
  learning_rate: number;
  optimizer: string;
  /**
   * The steps the losses were measured at, 0 first.
   */
  steps: number[];
  test_accuracy: number | null;
  test_loss: (number | null)[];
  /**
   * Binary cross-entropy on the whole training set; null where it was not finite.
   */
  train_loss: (number | null)[];
}
/**
 * One optimizer of the race and its learning rate (null: its usual default).
 */
export interface OptimizerRun {
  learning_rate?: number | null;
  optimizer: string;
}
/**
 * POST /api/experiments/optimizers: one problem, one seed, several optimizers.
 */
export interface OptimizersRequest {
  activation?: string;
  /**
   * A two-class dataset from the catalog.
   */
  dataset?: string;
  /**
   * Record the full-set losses every this many steps.
   */
  every?: number;
  /**
   * Hidden layer widths, each 1 … max_units.
   *
   * @maxItems 8
   */
  hidden?: number[];
  /**
   * @minItems 1
   * @maxItems 6
   */
  runs?: [OptimizerRun, ...OptimizerRun[]];
  seed?: number;
  steps?: number;
}
/**
 * One curve per run, in the request's order.
 */
export interface OptimizersResponse {
  results: OptimizerCurveResult[];
  seconds: number;
}
/**
 * The answer to `overfit_check`.
 */
export interface OverfitResultEvent {
  /**
   * On those points; None for regression.
   */
  accuracy: number | null;
  /**
   * Fresh initialisations tried: the one that fitted, else all of them.
   */
  attempts: number;
  /**
   * The loss on those points at the end; None if it was not finite.
   */
  loss: number | null;
  /**
   * The verdict in words, with what to try when it failed.
   */
  message: string;
  passed: boolean;
  points: number;
  /**
   * Full-batch steps taken: until the points were fitted, or the limit.
   */
  steps: number;
  type: "overfit_result";
}
/**
 * The answer to POST /api/runs: the new run's id and the address hash that opens it.
 */
export interface PublishAnswer {
  /**
   * `#run=<id>`: append it to the page's address.
   */
  hash: string;
  id: string;
}
/**
 * POST /api/runs: the run to publish: its setup with the trained weights, and its curves.
 */
export interface PublishRequest {
  history?: LossCurves;
  setup: SetupFile;
}
/**
 * GET /api/runs/{id}: a published run, exactly as it was sent.
 */
export interface PublishedRun {
  history: LossCurves1;
  id: string;
  /**
   * Seconds since 1970 (UTC) when it was published.
   */
  published_at: number;
  setup: SetupFile1;
}
/**
 * Everything that reproduces a session: the JSON file of Export and Import.
 */
export interface SetupFile1 {
  /**
   * The user's own points, when the dataset is "custom".
   */
  custom: CustomPoints1 | null;
  format: "nn-playground/setup";
  settings: RunSettings;
  /**
   * The step the weights were saved at.
   */
  step: number | null;
  version: 1;
  /**
   * The network's state by torch's state_dict names ("1.weight", …); None for a fresh start.
   */
  weights: {
    [k: string]: TensorValues | undefined;
  } | null;
}
/**
 * GET /api/publishing: whether this server publishes runs, and on what terms.
 */
export interface PublishingStatus {
  enabled: boolean;
  max_curve_points: number;
  max_run_bytes: number;
  runs_per_hour: number;
  /**
   * Publishing needs the operator's token in the X-Publish-Token header.
   */
  token_required: boolean;
}
/**
 * The code that rebuilds the network, its loss and its optimizer in plain PyTorch.
 */
export interface PytorchCode {
  code: string;
}
/**
 * POST /api/pytorch: the setup to write as PyTorch code.
 */
export interface PytorchRequest {
  /**
   * The user's points, when the dataset is "custom" (they decide the classes).
   */
  custom?: CustomPoints | null;
  settings: RunSettings1;
}
/**
 * The complete setup now in force, sent after every accepted configure.
 */
export interface SettingsEvent {
  /**
   * The `request_id` of the import this answers; null after a configure or a preset.
   */
  request_id: number | null;
  settings: RunSettings;
  type: "settings";
}
/**
 * The answer to `export`.
 */
export interface SetupFileEvent {
  /**
   * The `request_id` of the export this answers.
   */
  request_id: number | null;
  setup: SetupFile1;
  type: "setup_file";
}
/**
 * The pace now in force, sent after every accepted `speed` command.
 */
export interface SpeedEvent {
  /**
   * Target optimizer steps per second while playing; null is as fast as it goes.
   */
  steps_per_second: number | null;
  type: "speed";
}
/**
 * What a sweep would cost, before it starts.
 */
export interface SweepPlanEvent {
  engine: "local" | "ray";
  /**
   * Expected wall time at this process's sweep share (docs/protocol.md, "Sweeps").
   */
  estimate_seconds: number;
  /**
   * Each grid point's fitted parameters, in grid order: the whole network's, or the output
   * layer's alone when the read-out is solved by least squares.
   */
  parameters: number[];
  /**
   * Grid points: the product of the axes' lengths.
   */
  points: number;
  request_id: number | null;
  runs: number;
  /**
   * Runs that cannot train batched (dropout, normalisation, several classes, …) and train
   * one at a time instead; the estimate counts them as such.
   */
  sequential_runs: number;
  type: "sweep_plan";
}
/**
 * The running sweep's progress, at most limits.SWEEP_PROGRESS_PER_SECOND a second and at
 * least once a second, with the runs finished since the previous one (often none); the last
 * has state done, cancelled or failed.
 */
export interface SweepProgressEvent {
  elapsed_seconds: number;
  engine: "local" | "ray";
  /**
   * The share of the sweep's training steps done, 0 to 1, counting the steps of runs still
   * training (the local engine's chunk), so a progress bar moves before a chunk's runs end.
   */
  fraction: number;
  /**
   * Why the sweep failed or was cancelled, for a person to read.
   */
  message: string | null;
  /**
   * The `start_sweep`'s request_id.
   */
  request_id: number | null;
  results: SweepRunResult[];
  runs_done: number;
  runs_total: number;
  state: "running" | "done" | "cancelled" | "failed";
  type: "sweep_progress";
}
/**
 * One finished run of a sweep.
 */
export interface SweepRunResult {
  /**
   * The minibatch loss went NaN or infinite at some step.
   */
  diverged: boolean;
  /**
   * The run's place in grid order (point × seeds_per_point + seed offset).
   */
  index: number;
  /**
   * The parameters training fits (as `sweep_plan`'s).
   */
  parameters: number;
  seed: number;
  test_accuracy: number | null;
  test_loss: number | null;
  /**
   * Null for regression, which has no classes.
   */
  train_accuracy: number | null;
  /**
   * Null when the loss is NaN or infinite.
   */
  train_loss: number | null;
  /**
   * The run's value of each axis, in axis order.
   */
  values: number[];
}
/**
 * POST /api/experiments/suspicious: a leaking test set and a broadcasting loss, together.
 */
export interface SuspiciousRequest {
  /**
   * Draws the points, the label noise and the initial weights.
   */
  seed?: number;
  /**
   * Full-batch Adam steps of each of the three small nets.
   */
  steps?: number;
}
/**
 * Both pitfalls, and the numbers a lesson's checks read.
 */
export interface SuspiciousResponse {
  honest_accuracy: number;
  /**
   * Leaked test accuracy − honest test accuracy (about 0.2).
   */
  leak_gap: number;
  results: SuspiciousResult[];
  seconds: number;
  /**
   * Test MSE trained with the broadcasting loss ÷ test MSE trained right (thousands).
   */
  shape_bug_ratio: number;
  /**
   * max − min of the buggy net's outputs on [0, 1]: about 0, it learned a flat line.
   */
  shape_bug_spread: number;
}
/**
 * One pitfall: the number that looked fine and the number that tells the truth.
 */
export interface SuspiciousResult {
  /**
   * What both numbers are, e.g. "test accuracy".
   */
  measure: string;
  pitfall: "leakage" | "shape_bug";
  /**
   * What the mistake shows: accuracy on a leaked test set; test MSE of the net trained with
   * the broadcasting loss.
   */
  shown: number;
  /**
   * The same measure done right: accuracy on fresh points; the test MSE trained with
   * shapes asserted.
   */
  truth: number;
}
/**
 * POST /api/weights/safetensors: weights to pack, and the settings to keep beside them.
 */
export interface WeightsBody {
  settings?: RunSettings1 | null;
  weights: {
    [k: string]: TensorValues | undefined;
  };
}
/**
 * POST /api/experiments/xor_seeds: how often one hidden tanh layer of each width solves XOR.
 */
export interface XorSeedsRequest {
  /**
   * `corners`: the classic XOR, four clusters at (±3, ±3); `quadrants`: the catalog's xor.
   */
  data?: "corners" | "quadrants";
  /**
   * Runs per width: seeds 0 … seeds−1 (each its own initial weights and batch order).
   */
  seeds?: number;
  /**
   * Adam steps (learning rate 0.03, batches of 10) per run.
   */
  steps?: number;
  /**
   * Test accuracy a run must reach to count as solved.
   */
  threshold?: number;
  /**
   * Hidden units of each trial, each 1 … max_units.
   *
   * @minItems 1
   * @maxItems 6
   */
  widths?: [number, ...number[]];
}
/**
 * Success counts per width, and the time it took.
 */
export interface XorSeedsResponse {
  /**
   * The success rate of the first width asked for (two units in the lesson): checks read it.
   */
  narrowest_rate: number;
  results: XorWidthResult[];
  seconds: number;
}
/**
 * The runs of one width.
 */
export interface XorWidthResult {
  /**
   * Each seed's final test accuracy, seed 0 first.
   */
  accuracies: number[];
  /**
   * successes / runs.
   */
  rate: number;
  runs: number;
  successes: number;
  width: number;
}

/** server/limits.py's values when this file was generated: the page uses them until
 * /api/catalog answers with the limits in force. */
export const LIMITS_AT_CODEGEN: Limits = {
  approximation_max_seeds: 8,
  approximation_max_steps: 1000,
  approximation_max_units: 64,
  approximation_max_widths: 6,
  bumps_max: 64,
  default_steps_per_second: 200,
  described_input_bytes: 65536,
  double_descent_max_counts: 30,
  double_descent_max_features: 2000,
  double_descent_max_seeds: 10,
  double_descent_max_steps: 300,
  double_descent_train_points: 100,
  double_descent_trained_max_width: 400,
  double_descent_trained_points: 40,
  experiments_concurrent: 2,
  explore_max_budget: 64,
  explore_max_depth: 8,
  explore_max_depths: 8,
  explore_max_seeds: 10,
  focus_resolution: 96,
  folding_max_depth: 3,
  frame_eval_max_macs: 120000000,
  frame_eval_min_points: 250,
  frame_grid_max_macs: 60000000,
  frame_grid_min_side: 32,
  graph_matrix_entries: 256,
  grid_resolution: 100,
  grid_resolution_1d: 256,
  grid_resolution_crowded: 50,
  history_points_per_frame: 2000,
  inspection_max_neurons_per_layer: 16,
  inspection_resolution: 24,
  lane_grid_resolution: 40,
  live_regions_exact_max_units: 256,
  live_regions_sync_max_units: 192,
  max_batch_size: 10000,
  max_classes: 6,
  max_clip_norm: 100,
  max_csv_bytes: 1048576,
  max_dropout: 0.9,
  max_expression_length: 200,
  max_frames_per_second: 30,
  max_hidden_layers: 8,
  max_input_noise: 2,
  max_inspections_per_second: 10,
  max_label_noise: 0.5,
  max_lanes: 4,
  max_learning_rate: 10,
  max_losses_per_second: 30,
  max_message_bytes: 4194304,
  max_momentum: 0.999,
  max_noise: 0.5,
  max_page_frames_per_second: 60,
  max_patience: 1000,
  max_penalty: 1,
  max_points: 10000,
  max_queued_commands: 32,
  max_queued_heavy: 2,
  max_receive_bytes_per_second: 2097152,
  max_regions_request_bytes: 4194304,
  max_request_bytes: 1048576,
  max_safetensors_bytes: 2097152,
  max_schedule_steps: 1000000,
  max_seed: 2147483647,
  max_state_tensors: 66,
  max_step: 9007199254740991,
  max_steps_per_command: 100000,
  max_steps_per_second: 100000,
  max_sweep_axis_values: 50,
  max_sweep_runs: 2000,
  max_sweep_seeds: 100,
  max_sweep_steps: 20000,
  max_train_fraction: 0.9,
  max_units: 128,
  max_weight_decay: 1,
  max_weight_value: 1000,
  min_custom_points: 2,
  min_learning_rate: 0.00001,
  min_points: 10,
  min_schedule_steps: 10,
  min_steps_per_second: 0.1,
  min_train_fraction: 0.1,
  optimizers_max_curve_points: 500,
  optimizers_max_runs: 6,
  optimizers_max_steps: 3000,
  overfit_max_points: 64,
  overfit_steps: 1000,
  page_grid_max_parameters: 500,
  publish_max_curve_points: 5000,
  publish_max_run_bytes: 4194304,
  publish_max_total_bytes: 268435456,
  publish_runs_per_hour: 20,
  regions_approx_resolution: 100,
  regions_concurrent: 2,
  regions_draw_max: 3000,
  regions_max_count: 50000,
  regions_max_layers: 8,
  regions_max_polygons: 10000,
  regions_max_units: 128,
  slot_wait_seconds: 5,
  suspicious_max_steps: 1000,
  sweep_cpu_share: 0.5,
  sweep_progress_per_second: 5,
  xor_seeds_max_seeds: 100,
  xor_seeds_max_steps: 1000,
  xor_seeds_max_widths: 6,
};
