"""Build `inspection` events: what the client's inspect subscription asks to see inside the net.

The analysis lives in models/analysis (inspect, monitors, backprop); this module only picks
what is subscribed, paces it, and packs tensors as compact little-endian bytes.
"""

from __future__ import annotations

import math
import time
from dataclasses import asdict
from typing import Any

import numpy as np
import torch

from models.analysis.backprop import probe_point
from models.analysis.graph import computation_graph
from models.analysis.inspect import hidden_space, neuron_map, neuron_maps
from models.analysis.layers import layer_name, linear_layers
from models.analysis.monitors import LayerMonitor, MonitorTracker
from models.tasks import head_of
from models.trainer import Trainer
from server import limits
from server.background_monitors import BackgroundMonitors
from server.background_regions import in_background
from server.protocol import inspection as wire
from server.protocol.graph import GraphView

INSPECTION_INTERVAL = 1.0 / limits.MAX_INSPECTIONS_PER_SECOND
MONITOR_RECORD_INTERVAL = 0.5
"""Seconds between monitor samples recorded while training with nobody watching the monitors:
a forward and backward pass on the training set twice a second, so opening the Monitors tab
later shows the run so far."""
MONITOR_MAX_DUTY = 0.05
"""...and at most this share of the time: a large network's pass over 5,000 training points
(8 × 128 units) took ~0.2 s on a quiet core, so it records every few seconds instead."""
MONITOR_HISTORY_SAMPLES = 400
"""Bound on a run's kept monitor samples: past it every other one is dropped (the newest kept),
so a long run keeps its whole shape at half the detail."""


def _bytes(tensor: torch.Tensor, dtype: str = "<f4") -> bytes:
    array: np.ndarray = tensor.detach().cpu().numpy().astype(dtype)
    return array.tobytes()


def _json_safe(value: Any, in_list: bool = False) -> Any:
    """`value` (a dataclass's asdict, say) for JSON, which has no NaN: a diverged net's
    non-finite numbers travel as null, or as 0 inside a list (the banner says why)."""
    if isinstance(value, float) and not math.isfinite(value):
        return 0.0 if in_list else None
    if isinstance(value, dict):
        return {key: _json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(item, in_list=True) for item in value]
    return value


def _stats(observed: list[LayerMonitor]) -> list[wire.LayerMonitorStats]:
    return [wire.LayerMonitorStats.model_validate(_json_safe(asdict(m))) for m in observed]


def probe_problem(trainer: Trainer, probe: wire.ProbeRequest) -> str | None:
    """Why this probe does not fit the data in force, or None when it does."""
    split = trainer.split
    if split.image_shape is not None:
        return "probe: image data has no point in the plane to probe; try it on 2D data"
    if len(probe.point) != split.dims:
        return f"probe.point: this data has {split.dims} coordinate(s), got {len(probe.point)}"
    if split.task == "classification":
        target = probe.target
        if target != int(target) or not 0 <= target < split.classes:
            return f"probe.target: a class 0 … {split.classes - 1}, got {target}"
    return None


class Inspector:
    """One session's subscription, its pacing and the monitors' memory between inspections."""

    def __init__(self) -> None:
        self.subscription: wire.InspectCommand | None = None
        self._tracker = MonitorTracker()
        self._last_at = -math.inf
        self._history: list[wire.MonitorSample] = []
        self._tail: wire.MonitorSample | None = None
        self._arrived = 0
        self._stride = 1
        self._recorded_at = -math.inf
        self._monitor_seconds = 0.0
        self._history_due = False
        self._background = BackgroundMonitors()
        """Large networks' samples while training (server/background_monitors.py)."""

    @property
    def monitor_history(self) -> list[wire.MonitorSample]:
        """This run's monitor samples so far, oldest first (bounded, thinned)."""
        return [*self._history, *([self._tail] if self._tail else [])]

    def subscribe(self, command: wire.InspectCommand) -> None:
        """Replace what is looked at; an empty subscription stops inspections."""
        watching = self.subscription is not None and self.subscription.monitors
        if command.monitors and not watching:
            self._history_due = True  # a newly opened Monitors view gets the run so far
        wanted = (
            command.neurons
            or command.focus is not None
            or command.hidden_layer is not None
            or command.monitors
            or command.probe is not None
        )
        self.subscription = command if wanted else None
        self._last_at = -math.inf  # the new view's first inspection goes out at once

    def new_run(self) -> None:
        """Forget the previous run's weights and monitors: the next update ratio starts afresh."""
        self._tracker.clear()
        self._background.new_run()
        self._history, self._tail, self._arrived, self._stride = [], None, 0, 1
        self._recorded_at = -math.inf

    def due(self, running: bool) -> bool:
        """Whether an inspection should go with this frame: always at rest, ≤ 10/s in training."""
        if self.subscription is None:
            return False
        return not running or time.perf_counter() - self._last_at >= INSPECTION_INTERVAL

    def for_frame(
        self, trainer: Trainer, run: int, running: bool, share: float = 1.0
    ) -> wire.InspectionEvent | None:
        """The inspection to send with a frame, if one is due; records the monitors' history
        (at most every MONITOR_RECORD_INTERVAL while training) when it carries none."""
        if (done := self._background.take(run)) is not None:
            _, step, observed, self._monitor_seconds = done
            self._keep(wire.MonitorSample(step=step, layers=_stats(observed)))
        inspection = self.inspect(trainer, run) if self.due(running) else None
        if inspection is None or inspection.monitors is None:
            self.record(trainer, running, share, run)
        return inspection

    def record(self, trainer: Trainer, running: bool, share: float = 1.0, run: int = 0) -> None:
        """Keep a monitor sample of the current step in the run's history, when one is due:
        within MONITOR_MAX_DUTY of `share`, the session's share of the process (server/tempo.py:
        ~1/40 among 40 playing sessions)."""
        duty = MONITOR_MAX_DUTY * max(share, 1e-3)
        interval = max(MONITOR_RECORD_INTERVAL, self._monitor_seconds / duty)
        if running and time.perf_counter() - self._recorded_at < interval:
            return
        history = self.monitor_history
        if history and history[-1].step == trainer.steps:
            return
        if running and self._background.busy:
            return
        if running and in_background(trainer):  # large: beside training, frames go on
            self._recorded_at = time.perf_counter()
            self._background.start(trainer, run)
            return
        self._monitors(trainer)

    def inspect(self, trainer: Trainer, run: int) -> wire.InspectionEvent:
        """Compute what the subscription asks for, on the trainer's net in eval mode."""
        assert self.subscription is not None, "inspect() only when due()"
        self._last_at = time.perf_counter()
        wanted, net, split = self.subscription, trainer.net, trainer.split
        head = head_of(trainer.spec.training.loss)
        event = wire.InspectionEvent(run=run, step=trainer.steps, layers=self._layers(trainer))
        # Image data has no box: no neuron maps and no focus, and its hidden space has no lines.
        image = split.image_shape is not None
        if wanted.neurons and not image:
            event.neurons = self._neurons(trainer, head)
        if not image and wanted.focus is not None and wanted.focus.layer < len(event.layers):
            layer = event.layers[wanted.focus.layer]
            if wanted.focus.unit < layer.units:
                resolution = limits.FOCUS_RESOLUTION
                plane = neuron_map(
                    net, split.box, split.dims, resolution, wanted.focus.layer,
                    wanted.focus.unit, head,
                )  # fmt: skip
                event.focus = wire.FocusPlane(
                    layer=wanted.focus.layer,
                    unit=wanted.focus.unit,
                    width=plane.shape[1],
                    height=plane.shape[0],
                    data=_bytes(plane),
                )
        hidden = wanted.hidden_layer
        if hidden is not None and hidden < len(trainer.spec.network.hidden):
            event.hidden_space = self._hidden_space(trainer, hidden)
        if wanted.monitors:
            if self._history_due:
                event.monitor_history = [s for s in self.monitor_history if s.step < trainer.steps]
                self._history_due = False
            event.monitors = self._monitors(trainer)
        if wanted.probe is not None and probe_problem(trainer, wanted.probe) is None:
            event.probe = self._probe(trainer, wanted.probe.point, wanted.probe.target)
            if wanted.graph:
                graph = computation_graph(
                    trainer.net, trainer.spec.training.loss, wanted.probe.point,
                    wanted.probe.target, limits.GRAPH_MATRIX_ENTRIES,
                )  # fmt: skip
                event.graph = GraphView.model_validate(asdict(graph))
        return event

    def _layers(self, trainer: Trainer) -> list[wire.InspectedLayer]:
        hidden = trainer.spec.network.hidden
        return [
            wire.InspectedLayer(
                layer=i,
                name=layer_name(i, len(hidden)),
                inputs=linear.in_features,
                units=linear.out_features,
                activation=hidden[i].activation if i < len(hidden) else None,
                weight=_bytes(linear.weight),
                bias=_bytes(linear.bias),
            )
            for i, linear in enumerate(linear_layers(trainer.net))
        ]

    def _neurons(self, trainer: Trainer, head: str) -> wire.NeuronPlanes:
        split = trainer.split
        resolution = limits.INSPECTION_RESOLUTION
        if split.dims == 1:
            resolution *= 4  # a line of samples costs what a row does: draw it smoothly
        maps = neuron_maps(trainer.net, split.box, split.dims, resolution, head)
        most = limits.INSPECTION_MAX_NEURONS_PER_LAYER  # the diagram draws fewer of a column
        planes = [plane[:most] for plane in (maps.inputs, *maps.hidden, maps.outputs)]
        stacked = torch.cat(planes).clamp(-6e4, 6e4)  # float16's range; NaN stays NaN
        return wire.NeuronPlanes(
            width=stacked.shape[2],
            height=stacked.shape[1],
            counts=[p.shape[0] for p in planes],
            data=_bytes(stacked, "<f2"),
        )

    def _hidden_space(self, trainer: Trainer, layer: int) -> wire.HiddenSpaceView:
        split = trainer.split
        train_x = split.train.x.to(trainer.device)
        lines = 0 if split.image_shape is not None else 11
        view = hidden_space(trainer.net, layer, train_x, split.box, split.dims, lines)
        return wire.HiddenSpaceView(
            layer=layer,
            units=view.units,
            projected=view.projected,
            count=view.points.shape[0],
            points=_bytes(view.points),
            labels=_bytes(split.train.y),
            lines=view.lines.shape[0],
            samples=view.lines.shape[1],
            grid=_bytes(view.lines),
        )

    def _monitors(self, trainer: Trainer) -> list[wire.LayerMonitorStats]:
        """The monitors at the current step, also kept in the run's history."""
        split = trainer.split
        x, y = split.train.x.to(trainer.device), split.train.y.to(trainer.device)
        started = time.perf_counter()
        observed = self._tracker.observe(trainer.net, trainer.loss_fn, x, y, trainer.steps)
        self._monitor_seconds = time.perf_counter() - started
        stats = _stats(observed)
        self._keep(wire.MonitorSample(step=trainer.steps, layers=stats))
        return stats

    def _keep(self, sample: wire.MonitorSample) -> None:
        """Every stride-th sample is kept for good, the newest one provisionally: past the bound
        every other kept one goes and the stride doubles, so the run stays evenly sampled."""
        self._recorded_at = time.perf_counter()
        newest = self._tail or (self._history[-1] if self._history else None)
        if newest is not None and sample.step <= newest.step:
            if sample.step == newest.step:
                if self._tail is not None:
                    self._tail = sample
                else:
                    self._history[-1] = sample
            return
        if self._arrived % self._stride == 0:
            self._history.append(sample)
            self._tail = None
        else:
            self._tail = sample
        self._arrived += 1
        if len(self._history) > MONITOR_HISTORY_SAMPLES:
            self._history = self._history[::2]
            self._stride *= 2

    def _probe(self, trainer: Trainer, point: list[float], target: float) -> wire.ProbeResult:
        probe = probe_point(trainer.net, trainer.spec.training.loss, point, target)
        fields = {k: v for k, v in asdict(probe).items() if k != "features"}  # the inputs
        return wire.ProbeResult.model_validate(_json_safe(fields))
