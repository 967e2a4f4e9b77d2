"""A run's network, loss, optimizer and schedule written out as plain PyTorch code.

"Copy as PyTorch" is where a student leaves the playground for a notebook, so the code reads
like code a person writes: one module per line with a comment, torch's own loss, optimizer
and scheduler classes, and a short training step. The module order is build_network's, so
the state_dict names match weights_of(trainer.net) and a weights.safetensors file loads as is.
tests/models/test_pytorch_code.py runs the code and holds it to the Trainer.
"""

from __future__ import annotations

import itertools
import textwrap

from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.datasets import DATASETS
from models.features import PIXEL_FEATURES, PLANE_FEATURES, features_need_dims
from models.network import INIT_INFO
from models.optimizers import ADAM_BETAS, ADAM_EPS, RMSPROP_ALPHA, RMSPROP_EPS
from models.tasks import head_of

ACTIVATION_CODE: dict[str, str] = {
    "relu": "nn.ReLU()",
    "leaky_relu": "nn.LeakyReLU(negative_slope=0.01)",
    "elu": "nn.ELU(alpha=1.0)",
    "gelu": "nn.GELU()",
    "hardtanh": "nn.Hardtanh(min_val=-1.0, max_val=1.0)",
    "tanh": "nn.Tanh()",
    "sigmoid": "nn.Sigmoid()",
    "softplus": "nn.Softplus(beta=1.0)",
    "sin": "Sin()",
    "linear": "nn.Identity()",
}
"""activation name -> the module that computes it; the keys are models.network.ACTIVATIONS's."""

FEATURE_CODE: dict[str, tuple[str, str]] = {
    "x1": ("x1", "x1"),
    "x2": ("x2", "x2"),
    "x1_squared": ("x1 * x1", "x1²"),
    "x2_squared": ("x2**2", "x2²"),
    "x1_x2": ("x1 * x2", "x1·x2"),
    "sin_x1": ("torch.sin(x1)", "sin x1"),
    "sin_x2": ("torch.sin(x2)", "sin x2"),
}
"""feature name -> (the expression models.features.FEATURES computes, how people write it)."""

INIT_CODE: dict[str, tuple[str, ...]] = {
    "xavier_uniform": ("nn.init.xavier_uniform_(layer.weight)", "nn.init.zeros_(layer.bias)"),
    "xavier_normal": ("nn.init.xavier_normal_(layer.weight)", "nn.init.zeros_(layer.bias)"),
    "he": (
        'nn.init.kaiming_normal_(layer.weight, nonlinearity="relu")',
        "nn.init.zeros_(layer.bias)",
    ),
    "zeros": ("nn.init.zeros_(layer.weight)", "nn.init.zeros_(layer.bias)"),
    "large_normal": ("nn.init.normal_(layer.weight, std=3.0)", "nn.init.zeros_(layer.bias)"),
}
"""init name -> the statements that draw it; "default" is nn.Linear's own and needs none."""

SIN_CLASS = '''class Sin(nn.Module):
    """sin(x) elementwise: torch has torch.sin but no module for it."""

    def forward(self, x):
        return torch.sin(x)
'''

LOSS_CODE: dict[str, tuple[str, str]] = {
    "sigmoid": ("nn.BCEWithLogitsLoss()", "loss_fn(net(x).squeeze(1), y)"),
    "softmax": ("nn.CrossEntropyLoss()", "loss_fn(net(x), y.long())"),
    "identity": ("nn.MSELoss()", "loss_fn(net(x).squeeze(1), y)"),
}
"""head -> (torch's loss, how a batch of points x and float targets y goes into it)."""

LOSS_COMMENTS: dict[str, str] = {
    "bce": "Binary cross-entropy on the one logit, the sigmoid folded into the log (stable).",
    "bce_naive": "The playground's bce_naive computes p = torch.sigmoid(z) first and then "
    "-(y * p.log() + (1 - y) * (1 - p).log()).mean(), which gives inf once a logit passes "
    "about 17. nn.BCELoss on sigmoid outputs is that formula, but it clamps each log at -100 "
    "and so never shows the failure. Here is the stable loss:",
    "cross_entropy": "Cross-entropy on one logit per class, the softmax folded into the log "
    "(stable).",
    "cross_entropy_naive": "The playground's cross_entropy_naive takes the log of a softmax "
    "computed first, -torch.softmax(z, 1).gather(1, y.long()[:, None]).log().mean(), which "
    "gives inf once a wrong class wins by about 104. Here is the stable loss, which uses "
    "log_softmax:",
    "mse": "Mean squared error between the one output and the target value.",
}

OPTIMIZER_COMMENT: dict[str, str] = {
    "sgd": "Plain gradient descent.",
    "momentum": "Gradient descent with momentum.",
    "rmsprop": "RMSprop with torch's defaults (no momentum).",
    "adam": "Adam.",
    "adamw": "AdamW.",
}

SCHEDULE_CODE: dict[str, tuple[str, str]] = {
    "step": (
        "StepLR(optimizer, step_size={steps}, gamma=0.5)",
        "Halve the learning rate every {steps} steps",
    ),
    "cosine": (
        "CosineAnnealingWarmRestarts(optimizer, T_0={steps})",
        "Anneal the learning rate along a cosine to 0 over {steps} steps, then restart",
    ),
}
"""schedule name -> (torch's scheduler, the comment's start); "constant" needs no scheduler."""

_WIDTH = 88


def pytorch_snippet(spec: RunSpec) -> str:
    """Return self-contained PyTorch code that rebuilds `spec`'s network, loss and optimizer."""
    network, training = spec.network, spec.training
    dims = _data_dims(spec.data)
    parts = [_header(spec, dims), "import torch\nfrom torch import nn\n"]
    if any(layer.activation == "sin" for layer in network.hidden):
        parts.append(SIN_CLASS)
    if network.features not in (PLANE_FEATURES, PIXEL_FEATURES):
        parts.append(_feature_class(network.features, dims))
    parts.append(_network_code(network))
    parts.append(_init_code(network.init))
    parts.append(_loss_code(training.loss))
    parts.append(_optimizer_code(training) + _schedule_code(training))
    parts.append(_train_step_code(training, dims))
    parts.append(
        "# To start from the playground's weights, export them as weights.safetensors, then:\n"
        "# from safetensors.torch import load_file\n"
        '# net.load_state_dict(load_file("weights.safetensors"))\n'
    )
    code = parts[0].rstrip("\n")
    for before, part in itertools.pairwise(parts):
        top_level = any(p.startswith(("class ", "def ")) for p in (before, part))
        code += ("\n\n\n" if top_level else "\n\n") + part.rstrip("\n")
    return code + "\n"


def _comment(text: str) -> str:
    """`text` as comment lines of at most 88 characters."""
    return textwrap.fill(text, _WIDTH, initial_indent="# ", subsequent_indent="# ") + "\n"


def _data_dims(data: DataSpec) -> int:
    """Coordinates per raw point: 2 for the plane, 1 for the sine and 1D custom data."""
    if data.custom is not None and data.custom.x:
        return len(data.custom.x[0])
    return DATASETS[data.name].dims if data.name in DATASETS else 2


def _header(spec: RunSpec, dims: int) -> str:
    """The opening comment: where the code comes from and what the network maps."""
    network = spec.network
    path = [f"{dims} pixels" if network.features == PIXEL_FEATURES else f"{dims}D points"]
    if network.features not in (PLANE_FEATURES, PIXEL_FEATURES):
        path.append(f"{network.inputs} feature{'s' if network.inputs > 1 else ''}")
    path += [f"{layer.units} {layer.activation}" for layer in network.hidden]
    path.append("1 output" if network.outputs == 1 else f"{network.outputs} outputs")
    return (
        f"# A network from nn-playground ({spec.data.name} data, seed {spec.seed}) in plain "
        f"PyTorch:\n# {' -> '.join(path)}.\n"
    )


def _feature_class(features: tuple[str, ...], dims: int) -> str:
    """A module computing the features in FeatureMap's order from the raw points (N, dims)."""
    unknown = [name for name in features if name not in FEATURE_CODE]
    if unknown:
        raise ValueError(f"no PyTorch code for feature {unknown[0]!r}")
    shown = ", ".join(FEATURE_CODE[name][1] for name in features)
    uses_x2 = features_need_dims(features) == 2
    unpack = "x1, x2 = points[:, 0], points[:, 1]" if uses_x2 else "x1 = points[:, 0]"
    terms = ", ".join(FEATURE_CODE[name][0] for name in features)
    return (
        "class FeatureMap(nn.Module):\n"
        f'    """Turn raw points (N, {dims}) into the features {shown}, shape (N, '
        f'{len(features)})."""\n\n'
        "    def forward(self, points):\n"
        f"        {unpack}\n"
        f"        return torch.stack([{terms}], dim=1)\n"
    )


def _network_code(network: NetworkSpec) -> str:
    """`net = nn.Sequential(...)`, one module a line in build_network's order."""
    modules: list[tuple[str, str]] = []
    if network.features not in (PLANE_FEATURES, PIXEL_FEATURES):
        modules.append(("FeatureMap()", "the input features"))
    width = network.inputs
    for number, layer in enumerate(network.hidden, start=1):
        modules += _hidden_layer(number, width, layer)
        width = layer.units
    what = "one logit" if network.outputs == 1 else f"{network.outputs} logits, one per class"
    modules.append((f"nn.Linear({width}, {network.outputs})", f"output layer: {what}"))
    lines = [f"    {code},  # {index}: {comment}" for index, (code, comment) in enumerate(modules)]
    return "net = nn.Sequential(\n" + "\n".join(lines) + "\n)\n"


def _hidden_layer(number: int, inputs: int, layer: LayerSpec) -> list[tuple[str, str]]:
    """The modules of hidden layer `number` with the comment for each."""
    if layer.activation not in ACTIVATION_CODE:
        raise ValueError(f"no PyTorch code for activation {layer.activation!r}")
    name = f"hidden layer {number}"
    modules = [(f"nn.Linear({inputs}, {layer.units})", f"{name}: {layer.units} units")]
    if layer.batch_norm:
        modules.append((f"nn.BatchNorm1d({layer.units})", f"{name}: batch normalisation"))
    if layer.layer_norm:
        modules.append((f"nn.LayerNorm({layer.units})", f"{name}: layer normalisation"))
    modules.append((ACTIVATION_CODE[layer.activation], f"{name}: {layer.activation} activation"))
    if layer.dropout > 0:
        modules.append((f"nn.Dropout(p={layer.dropout!r})", f"{name}: dropout while training"))
    return modules


def _init_code(init: str) -> str:
    """The loop that draws the weights as `init` does, or a comment for torch's default."""
    if init == "default":
        return _comment("nn.Linear's own initialisation is the playground's default one.")
    if init not in INIT_CODE:
        raise ValueError(f"no PyTorch code for init {init!r}")
    body = "".join(f"        {statement}\n" for statement in INIT_CODE[init])
    return (
        _comment(f"Initialisation {init!r}: {INIT_INFO[init]}")
        + "for layer in net:\n    if isinstance(layer, nn.Linear):\n"
        + body
    )


def _loss_code(loss: str) -> str:
    """`loss_fn = ...` with torch's stable loss and what the session's loss does differently."""
    return _comment(LOSS_COMMENTS[loss]) + f"loss_fn = {LOSS_CODE[head_of(loss)][0]}\n"


def _optimizer_code(training: TrainSpec) -> str:
    """`optimizer = torch.optim.X(net.parameters(), ...)` with models.optimizers's numbers."""
    name, lr, decay = training.optimizer, training.learning_rate, training.weight_decay
    options = [f"lr={lr!r}"]
    if name in ("sgd", "momentum"):
        kind = "SGD"
        if name == "momentum":
            nesterov = training.nesterov and training.momentum > 0  # torch refuses it at 0
            options += [f"momentum={training.momentum!r}", f"nesterov={nesterov}"]
    elif name == "rmsprop":
        kind = "RMSprop"
        options += [f"alpha={RMSPROP_ALPHA!r}", f"eps={RMSPROP_EPS!r}"]
    elif name in ("adam", "adamw"):
        kind = "Adam" if name == "adam" else "AdamW"
        options += [f"betas={ADAM_BETAS!r}", f"eps={ADAM_EPS!r}"]
    else:
        raise ValueError(f"no PyTorch code for optimizer {name!r}")
    options.append(f"weight_decay={decay!r}")  # explicit: AdamW's default is 0.01, not 0
    how = "decoupled, applied to the weights" if name == "adamw" else "added to the gradient"
    args = ", ".join(["net.parameters()", *options])
    call = f"optimizer = torch.optim.{kind}({args})"
    if len(call) > _WIDTH:
        call = f"optimizer = torch.optim.{kind}(\n    {args}\n)"
    return _comment(f"{OPTIMIZER_COMMENT[name]} Weight decay is {how}.") + call + "\n"


def _schedule_code(training: TrainSpec) -> str:
    """The learning-rate scheduler, if the schedule is not constant; the rates equal ours."""
    if training.schedule == "constant":
        return ""
    code, comment = SCHEDULE_CODE[training.schedule]
    steps = training.schedule_steps
    note = f"{comment.format(steps=steps)}: the rates of the playground's {training.schedule!r}"
    return (
        _comment(f"{note} schedule. Call scheduler.step() after every optimizer.step().")
        + f"scheduler = torch.optim.lr_scheduler.{code.format(steps=steps)}\n"
    )


TARGETS: dict[str, str] = {
    "sigmoid": "labels 0. or 1.",
    "softmax": "class indices as floats",
    "identity": "target values",
}
"""head -> what the y of a minibatch holds."""


def _train_step_code(training: TrainSpec, dims: int) -> str:
    """A `train_step(x, y)` with the session's penalties, clipping and input noise."""
    head = head_of(training.loss)
    lines = [
        "def train_step(x, y):",
        f'    """One optimizer step on points x (B, {dims}) and y (B,), {TARGETS[head]}."""',
        "    net.train()",
    ]
    if training.input_noise > 0:
        lines.append(f"    x = x + {training.input_noise!r} * torch.randn_like(x)  # input noise")
    lines += _loss_lines(head)
    objective = "loss"
    if training.l1 > 0 or training.l2 > 0:
        lines.append("    weights = [m.weight for m in net if isinstance(m, nn.Linear)]")
        terms = []
        if training.l1 > 0:
            lines.append("    l1 = sum(w.abs().sum() for w in weights)")
            terms.append(f"{training.l1!r} * l1")
        if training.l2 > 0:
            lines.append("    l2 = sum((w**2).sum() for w in weights)")
            terms.append(f"{training.l2!r} * l2")
        penalty = " + ".join(terms)
        lines.append(f"    penalty = {penalty}  # regularization of the weights, not the biases")
        objective = "(loss + penalty)"
    lines += ["    optimizer.zero_grad()", f"    {objective}.backward()"]
    if training.clip_norm > 0:
        lines.append(
            f"    nn.utils.clip_grad_norm_(net.parameters(), max_norm={training.clip_norm!r})"
        )
    lines.append("    optimizer.step()")
    if training.schedule != "constant":
        lines.append("    scheduler.step()")
    lines.append("    return loss.item()")
    return "\n".join(lines) + "\n\n\n" + _batches_comment(training)


SHAPE_BUG_COMMENT = (
    "Shape assert: net(x) is (B, 1) and y is (B,). Without .squeeze(1), nn.MSELoss would "
    "broadcast (B, 1) against (B,) to (B, B), compare every output with every target and "
    "train towards the mean, with only a warning. Assert the shapes before the loss."
)
"""Why the generated training step squeezes and asserts (the checklist's "add shape asserts")."""


def _loss_lines(head: str) -> list[str]:
    """The loss of a minibatch; one-output heads squeeze (B, 1) to (B,) and assert the shapes."""
    if head == "softmax":
        return [f"    loss = {LOSS_CODE[head][1]}"]
    comment = textwrap.wrap(SHAPE_BUG_COMMENT, _WIDTH - 6)
    return [
        "    out = net(x).squeeze(1)",
        *(f"    # {line}" for line in comment),
        '    assert out.shape == y.shape, f"outputs {tuple(out.shape)}, targets {tuple(y.shape)}"',
        "    loss = loss_fn(out, y)",
    ]


def _batches_comment(training: TrainSpec) -> str:
    """How the playground feeds train_step, and when it stops early."""
    text = (
        f"# The playground calls train_step on minibatches of {training.batch_size} training "
        "points,\n# reshuffled every epoch"
    )
    if training.early_stopping > 0:
        text += (
            f", and stops after {training.early_stopping} epochs without a lower test loss,\n"
            "# going back to the weights of the best epoch"
        )
    return text + ".\n"
