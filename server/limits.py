"""Every bound the server enforces, in one place.

Protocol fields validate against these, /api/catalog reports them as a typed `Limits`
(server/protocol/limits.py: every upper-case constant, its docstring the description), and the
UI reads them from the catalog, so the page never offers what the server would refuse.
"""

from models import expression as _expression

MAX_HIDDEN_LAYERS = 8
MAX_UNITS = 128
MIN_POINTS = 10
MAX_POINTS = 10_000
MAX_NOISE = 0.5
MIN_TRAIN_FRACTION = 0.1
MAX_TRAIN_FRACTION = 0.9
MIN_LEARNING_RATE = 1e-5
MAX_LEARNING_RATE = 10.0
MAX_BATCH_SIZE = MAX_POINTS
MAX_STEPS_PER_COMMAND = 100_000
MAX_STEP = 2**53 - 1
"""The largest step count a setup file may carry: exact as a JavaScript number, and it fits
the 64-bit integers msgpack encodes frames with."""
MAX_SEED = 2**31 - 1
GRID_RESOLUTION = 100
GRID_RESOLUTION_CROWDED = 50
"""The grid side while sessions queue for the training gate (see Worker._crowded): a quarter
of the points, so a crowded process spends its time on training and on frames, not on
evaluating detail nobody can watch at a few frames per second."""
FRAME_GRID_MAX_MACS = 60_000_000
"""While training, a frame's grid takes at most this many multiply-adds (server/frame_budget.py):
a 6 × 32 net's 100 × 100 grid (52 M) fits; 8 × 128 units (115,000 a point) get 32 × 32."""
FRAME_GRID_MIN_SIDE = 32
FRAME_EVAL_MAX_MACS = 120_000_000
"""While training, a frame's losses take at most this many multiply-adds: a network past it is
evaluated on an evenly spread subset of its training and test points (8 × 128 units: 521 of
each); a resting frame evaluates them all."""
FRAME_EVAL_MIN_POINTS = 250
MAX_FRAMES_PER_SECOND = 30
MAX_PAGE_FRAMES_PER_SECOND = 60
"""Frames that carry weights instead of a grid (server/page_grid.py): the page evaluates them,
so they cost the server little and the wire ~1 kB; the boundary keeps the display's rate."""
MAX_LOSSES_PER_SECOND = 30
"""While training, full-set losses are computed for at most this many frames a second; frames
between carry the last ones again (FrameEvent.loss_step), so 60 frames/s of weights cost the
evaluation of 30 (issue 20)."""
PAGE_GRID_MAX_PARAMETERS = 500
"""The largest network whose frames carry weights (≤ ~2 kB) for the page to evaluate; larger
ones get the server's grid."""
DEFAULT_STEPS_PER_SECOND = 200
"""The pace a session starts at: 8 epochs a second on the default setup (250 training points,
batch 10), an epoch every 4 displayed frames, of the order of TensorFlow Playground's one epoch
per frame; the circle's boundary forms over several seconds instead of 0.15 (why this number:
docs/performance.md, "Training pace")."""
MIN_STEPS_PER_SECOND = 0.1
MAX_STEPS_PER_SECOND = 100_000
"""The `speed` command's bounds; null (no pace) trains as fast as the machine goes."""
MAX_MESSAGE_BYTES = 4 * 1024 * 1024
"""Enough for an import carrying the largest network's weights and max_points custom points as
JSON (8 × 128 units: 2.4 MB of weights, 10,000 points 0.45 MB)."""
DESCRIBED_INPUT_BYTES = 64 * 1024
"""Errors about a larger websocket message leave out what was sent ("got …"): copying a
megabyte into Python objects for each error would hold up the event loop."""
MAX_RECEIVE_BYTES_PER_SECOND = 2 * 1024 * 1024
"""What one socket may send, on average: beyond it the server reads it more slowly (TCP pushes
back), so a client piping megabyte messages cannot keep the event loop validating."""
MAX_QUEUED_COMMANDS = 32
"""Commands one session may have waiting for its worker; more are answered with an error."""
MAX_QUEUED_HEAVY = 2
"""Of those, overfit checks, imports, exports and presets (slow, or large)."""
MAX_CLASSES = 6
MAX_DROPOUT = 0.9
MAX_EXPRESSION_LENGTH = _expression.MAX_LENGTH
"""Characters an activation written as an expression in x may have (activation "expr")."""
MAX_LABEL_NOISE = 0.5
MAX_MOMENTUM = 0.999
MAX_WEIGHT_DECAY = 1.0
MAX_CLIP_NORM = 100.0
MAX_PENALTY = 1.0
"""Largest L1 or L2 coefficient."""
MAX_INPUT_NOISE = 2.0
MIN_SCHEDULE_STEPS = 10
MAX_SCHEDULE_STEPS = 1_000_000
MAX_PATIENCE = 1000
"""Early stopping's patience, in epochs."""
MIN_CUSTOM_POINTS = 2
MAX_CSV_BYTES = 1024 * 1024
"""max_points rows of `x1,x2,label` with full-precision numbers (about 45 bytes a row)."""
MAX_REQUEST_BYTES = 1024 * 1024
"""Any HTTP request body; larger ones get 413 before they are read (server/security.py)."""
MAX_REGIONS_REQUEST_BYTES = 4 * 1024 * 1024
"""POST /api/regions: the largest network it takes (REGIONS_MAX_LAYERS of REGIONS_MAX_UNITS²
weights, about 116,000 numbers) is 2.3-2.9 MB of JSON."""
GRID_RESOLUTION_1D = 256
"""Samples of the network's function on 1D data (the sine curve)."""
REGIONS_MAX_LAYERS = 8
REGIONS_MAX_UNITS = 128
"""POST /api/regions: at most this many layers, each at most this wide."""
REGIONS_MAX_COUNT = 50_000
"""POST /api/regions refuses a network once it has cut the box into more regions than this."""
REGIONS_MAX_POLYGONS = 10_000
"""POST /api/regions with polygons: fewer, since each polygon is built and sent (~1 MB of JSON
at this count; cutting 28,000 took 350 MB)."""
REGIONS_CONCURRENT = 2
"""Region counts and explores computed at once; more wait (SLOT_WAIT_SECONDS), then get 503."""
EXPERIMENTS_CONCURRENT = 2
"""The lessons' experiments computed at once, likewise."""
SLOT_WAIT_SECONDS = 5.0
REGIONS_DRAW_MAX = 3_000
"""Frames carry region polygons only up to this many regions (about 100 kB)."""
REGIONS_APPROX_RESOLUTION = 100
"""Grid for counting activation patterns of smooth networks (an approximation)."""
LIVE_REGIONS_SYNC_MAX_UNITS = 6 * 32
"""Networks of at most this many hidden units (the largest before issue 20) count their regions
in the frame; larger ones in a background thread while frames go on (server/background_regions)."""
LIVE_REGIONS_EXACT_MAX_UNITS = 256
"""A session counts its regions exactly up to this many hidden units; a larger network's frames
carry the approximate count (activation patterns on the grid): an exact count of 8 × 128 ReLU
units took ~10 s on a busy 2-core VM. POST /api/regions still counts it exactly."""
FOLDING_MAX_DEPTH = 3
"""The folding preset at depth 3 has 16³ = 4,096 regions."""
BUMPS_MAX = MAX_UNITS // 2
"""The sine_bumps preset's most bumps: two sigmoid units each, in one layer of at most MAX_UNITS."""
EXPLORE_MAX_BUDGET = 64
EXPLORE_MAX_DEPTHS = 8
EXPLORE_MAX_DEPTH = 8
EXPLORE_MAX_SEEDS = 10
MAX_STATE_TENSORS = 8 * MAX_HIDDEN_LAYERS + 2
"""Tensors in a network's state: per hidden layer weight, bias and up to 6 norm tensors."""
MAX_SAFETENSORS_BYTES = 2 * 1024 * 1024
"""POST /api/weights/from-safetensors: the largest network's weights are about 470 kB as
float32 (8 × 128 units, 117,000 numbers), 940 kB as float64."""
INSPECTION_RESOLUTION = 24
"""Each neuron's heatmap in the diagram: resolution² samples (one row of 4× that on 1D data)."""
INSPECTION_MAX_NEURONS_PER_LAYER = 16
"""Neuron maps sent per layer (the first ones): the diagram draws at most 11 of a column, and
all 1,024 of the largest network's were 1.2 MB an inspection."""
FOCUS_RESOLUTION = 96
"""The large view of one neuron."""
GRAPH_MATRIX_ENTRIES = 16 * 16
"""Largest local Jacobian a graph node carries (a matmul's W, LayerNorm's, softmax's); wider
layers, which the Graph view draws collapsed, send none (a 128-wide net would send megabytes)."""
MAX_INSPECTIONS_PER_SECOND = 10
MAX_WEIGHT_VALUE = 1000.0
"""Largest magnitude a weight edited by hand may take."""
OVERFIT_MAX_POINTS = 64
OVERFIT_STEPS = 1000
"""Full-batch steps the "overfit a small sample" check gives the model."""
HISTORY_POINTS_PER_FRAME = 2000
"""Unsent loss-history points kept when a slow client lets frames pile up (oldest dropped)."""

XOR_SEEDS_MAX_WIDTHS = 6
XOR_SEEDS_MAX_SEEDS = 100
XOR_SEEDS_MAX_STEPS = 1000
"""POST /api/experiments/xor_seeds: widths × seeds runs trained together, each up to this long."""
APPROXIMATION_MAX_WIDTHS = 6
APPROXIMATION_MAX_UNITS = 64
APPROXIMATION_MAX_SEEDS = 8
APPROXIMATION_MAX_STEPS = 1000
OPTIMIZERS_MAX_RUNS = 6
OPTIMIZERS_MAX_STEPS = 3000
OPTIMIZERS_MAX_CURVE_POINTS = 500
"""POST /api/experiments/optimizers: at most steps / every loss samples per curve."""
DOUBLE_DESCENT_MAX_FEATURES = 2000
DOUBLE_DESCENT_MAX_COUNTS = 30
DOUBLE_DESCENT_MAX_SEEDS = 10
DOUBLE_DESCENT_TRAIN_POINTS = 100
"""n of the double-descent sweep: the peak sits at p = n features."""
DOUBLE_DESCENT_TRAINED_POINTS = 40
DOUBLE_DESCENT_TRAINED_MAX_WIDTH = 400
DOUBLE_DESCENT_MAX_STEPS = 300
"""The trained variant: n = 40 points, widths up to 10 n, Adam steps on the hidden layer."""
SUSPICIOUS_MAX_STEPS = 1000
"""POST /api/experiments/suspicious: Adam steps of each of its three small nets."""

PUBLISH_MAX_RUN_BYTES = 4 * 1024 * 1024
"""POST /api/runs: the largest published run, as sent (JSON: the largest network's weights are
about 2.4 MB of it, full loss curves about 220 kB) and as stored (compressed)."""
PUBLISH_RUNS_PER_HOUR = 20
"""Runs one client (IP address) may publish in an hour; more get 429 (NNP_PUBLISH_RUNS_PER_HOUR)."""
PUBLISH_MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""All published runs together, as stored; the oldest are removed to make room for a new one
(NNP_PUBLISH_MAX_TOTAL_BYTES)."""
PUBLISH_MAX_CURVE_POINTS = 5000
"""Loss samples a published run keeps per curve (the page thins longer runs to this)."""
MAX_LANES = 4
"""The most lanes a comparison forks the run into (`compare`), lane 1 included."""
LANE_GRID_RESOLUTION = 40
"""The side of each lane's output grid in a lanes frame: small multiples need no more."""
MAX_SWEEP_RUNS = 2000
"""The most runs one sweep trains: grid points × seeds per point (`plan_sweep`, `start_sweep`)."""
MAX_SWEEP_STEPS = 20_000
"""The most optimizer steps each run of a sweep takes."""
MAX_SWEEP_AXIS_VALUES = 50
"""The most values one sweep axis lists."""
MAX_SWEEP_SEEDS = 100
"""The most seeds per grid point."""
SWEEP_CPU_SHARE = 0.5
"""The share of the training gate's time the sweeps of a process may take together: after a
chunk that held the gate t seconds, a sweep waits t·(1 − share)/share outside it, so live
sessions always get the rest."""
SWEEP_PROGRESS_PER_SECOND = 5
"""At most this many `sweep_progress` events a second per sweep (the last one always comes)."""
