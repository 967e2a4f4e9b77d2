"""A run's network, loss, optimizer and schedule written out as plain PyTorch code.

"Copy as PyTorch" is where a student leaves the playground for a notebook, so the code reads
like code a person writes: one module per line with a comment, torch's own loss, optimizer
and scheduler classes, and a short training step. The module order is build_network's, so
the state_dict names match weights_of(trainer.net) and a weights.safetensors file loads as is.
Every module, loss, optimizer and scheduler line comes from its record's `code` (models/
activations.py, inits.py, losses.py, optimizers.py, schedules.py, features.py).
tests/models/test_pytorch_code.py runs the code and holds it to the Trainer.
"""

from __future__ import annotations

import itertools
import textwrap

from models.activations import ACTIVATIONS, EXPRESSION
from models.config import DataSpec, LayerSpec, NetworkSpec, RunSpec, TrainSpec
from models.datasets import DATASETS
from models.expression_torch import module_code
from models.features import FEATURES, PIXEL_FEATURES, PLANE_FEATURES, features_need_dims
from models.inits import INITS
from models.losses import LOSSES, Head
from models.optimizers import OPTIMIZERS
from models.readout import FIT_READOUT_COMMENT, LEAST_SQUARES, fit_readout_code
from models.schedules import SCHEDULES

_WIDTH = 88


def pytorch_snippet(spec: RunSpec) -> str:
    """Return self-contained PyTorch code that rebuilds `spec`'s network, loss and optimizer."""
    network, training = spec.network, spec.training
    dims = _data_dims(spec.data)
    parts = [_header(spec, dims), "import torch\nfrom torch import nn\n"]
    used = dict.fromkeys(
        layer.activation for layer in network.hidden if layer.activation in ACTIVATIONS
    )
    parts += [ACTIVATIONS[name].code_class for name in used if ACTIVATIONS[name].code_class]
    own = own_activation_classes(network)
    parts += [module_code(name, expression) for expression, name in own.items()]
    if network.features not in (PLANE_FEATURES, PIXEL_FEATURES):
        parts.append(_feature_class(network.features, dims))
    parts.append(_network_code(network, own))
    parts.append(_init_code(network.init))
    parts.append(_loss_code(training.loss))
    parts.append(_optimizer_code(training) + _schedule_code(training))
    parts.append(_train_step_code(training, dims))
    if training.readout == LEAST_SQUARES:
        parts.append(
            _comment(FIT_READOUT_COMMENT) + fit_readout_code(training.loss, network.outputs)
        )
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
    path += [
        f"{layer.units} {'own' if layer.activation == EXPRESSION else layer.activation}"
        for layer in network.hidden
    ]
    path.append("1 output" if network.outputs == 1 else f"{network.outputs} outputs")
    return (
        f"# A network from nn-playground ({spec.data.name} data, seed {spec.seed}) in plain "
        f"PyTorch:\n# {' -> '.join(path)}.\n"
    )


def _feature_class(features: tuple[str, ...], dims: int) -> str:
    """A module computing the features in FeatureMap's order from the raw points (N, dims)."""
    uses_x2 = features_need_dims(features) == 2  # raises for unknown names and the pixels
    shown = ", ".join(FEATURES[name].written for name in features)
    unpack = "x1, x2 = points[:, 0], points[:, 1]" if uses_x2 else "x1 = points[:, 0]"
    terms = ", ".join(FEATURES[name].code for name in features)
    return (
        "class FeatureMap(nn.Module):\n"
        f'    """Turn raw points (N, {dims}) into the features {shown}, shape (N, '
        f'{len(features)})."""\n\n'
        "    def forward(self, points):\n"
        f"        {unpack}\n"
        f"        return torch.stack([{terms}], dim=1)\n"
    )


def own_activation_classes(network: NetworkSpec) -> dict[str, str]:
    """The class name of each expression activation's module: OwnActivation, OwnActivation2…"""
    expressions = dict.fromkeys(
        layer.expression for layer in network.hidden if layer.activation == EXPRESSION
    )
    return {e: "OwnActivation" + (str(i) if i > 1 else "") for i, e in enumerate(expressions, 1)}


def _network_code(network: NetworkSpec, own: dict[str, str]) -> str:
    """`net = nn.Sequential(...)`, one module a line in build_network's order."""
    modules: list[tuple[str, str]] = []
    if network.features not in (PLANE_FEATURES, PIXEL_FEATURES):
        modules.append(("FeatureMap()", "the input features"))
    width = network.inputs
    for number, layer in enumerate(network.hidden, start=1):
        modules += _hidden_layer(number, width, layer, own)
        width = layer.units
    what = "one logit" if network.outputs == 1 else f"{network.outputs} logits, one per class"
    modules.append((f"nn.Linear({width}, {network.outputs})", f"output layer: {what}"))
    lines = [f"    {code},  # {index}: {comment}" for index, (code, comment) in enumerate(modules)]
    return "net = nn.Sequential(\n" + "\n".join(lines) + "\n)\n"


def _hidden_layer(
    number: int, inputs: int, layer: LayerSpec, own: dict[str, str]
) -> list[tuple[str, str]]:
    """The modules of hidden layer `number` with the comment for each."""
    if layer.activation not in ACTIVATIONS and layer.activation != EXPRESSION:
        raise ValueError(f"no PyTorch code for activation {layer.activation!r}")
    name = f"hidden layer {number}"
    modules = [(f"nn.Linear({inputs}, {layer.units})", f"{name}: {layer.units} units")]
    if layer.batch_norm:
        modules.append((f"nn.BatchNorm1d({layer.units})", f"{name}: batch normalisation"))
    if layer.layer_norm:
        modules.append((f"nn.LayerNorm({layer.units})", f"{name}: layer normalisation"))
    if layer.activation == EXPRESSION:
        modules.append((f"{own[layer.expression]}()", f"{name}: your activation"))
    else:
        code = ACTIVATIONS[layer.activation].code
        modules.append((code, f"{name}: {layer.activation} activation"))
    if layer.dropout > 0:
        modules.append((f"nn.Dropout(p={layer.dropout!r})", f"{name}: dropout while training"))
    return modules


def _init_code(init: str) -> str:
    """The loop that draws the weights as `init` does, or a comment for torch's default."""
    if init not in INITS:
        raise ValueError(f"no PyTorch code for init {init!r}")
    record = INITS[init]
    if not record.code:
        return _comment("nn.Linear's own initialisation is the playground's default one.")
    body = "".join(f"        {statement}\n" for statement in record.code)
    return (
        _comment(f"Initialisation {init!r}: {record.description}")
        + "for layer in net:\n    if isinstance(layer, nn.Linear):\n"
        + body
    )


def _loss_code(loss: str) -> str:
    """`loss_fn = ...` with torch's stable loss and what the session's loss does differently."""
    record = LOSSES[loss]
    return _comment(record.code_comment) + f"loss_fn = {record.code}\n"


def _optimizer_code(training: TrainSpec) -> str:
    """`optimizer = torch.optim.X(net.parameters(), ...)` with the record's options."""
    if training.optimizer not in OPTIMIZERS:
        raise ValueError(f"no PyTorch code for optimizer {training.optimizer!r}")
    record = OPTIMIZERS[training.optimizer]
    options = [f"lr={training.learning_rate!r}"]
    options += [f"{key}={value!r}" for key, value in record.options(training).items()]
    options.append(f"weight_decay={training.weight_decay!r}")  # explicit: AdamW's is 0.01
    how = "decoupled, applied to the weights" if record.decoupled_decay else "added to the gradient"
    args = ", ".join(["net.parameters()", *options])
    kind = record.torch_class.__name__
    call = f"optimizer = torch.optim.{kind}({args})"
    if len(call) > _WIDTH:
        call = f"optimizer = torch.optim.{kind}(\n    {args}\n)"
    return _comment(f"{record.code_comment} Weight decay is {how}.") + call + "\n"


def _schedule_code(training: TrainSpec) -> str:
    """The learning-rate scheduler, if the schedule is not constant; the rates equal ours."""
    record = SCHEDULES[training.schedule]
    if not record.code:
        return ""
    code, comment = record.code, record.code_comment
    steps = training.schedule_steps
    note = f"{comment.format(steps=steps)}: the rates of the playground's {training.schedule!r}"
    return (
        _comment(f"{note} schedule. Call scheduler.step() after every optimizer.step().")
        + f"scheduler = torch.optim.lr_scheduler.{code.format(steps=steps)}\n"
    )


TARGETS: dict[Head, str] = {
    "sigmoid": "labels 0. or 1.",
    "softmax": "class indices as floats",
    "identity": "target values",
}
"""head -> what the y of a minibatch holds."""


def _train_step_code(training: TrainSpec, dims: int) -> str:
    """A `train_step(x, y)` with the session's penalties, clipping and input noise."""
    head = LOSSES[training.loss].head
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


def _loss_lines(head: Head) -> list[str]:
    """The loss of a minibatch; one-output heads squeeze (B, 1) to (B,) and assert the shapes."""
    if head == "softmax":
        return ["    loss = loss_fn(net(x), y.long())"]
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
