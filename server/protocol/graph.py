"""The computational graph of a probed point on the wire (models.analysis.graph's records).

Values and gradients may be ±inf or NaN (a naive loss at a large logit): inspections travel as
msgpack, which carries them as they are, and the page shows −∞ where JSON would have had null.
"""

from __future__ import annotations

from models.analysis.graph import ComputationGraph, GraphNode
from server.protocol.derive import wire_model

_GraphNode = wire_model(GraphNode, "_GraphNode", {})


class GraphNodeView(_GraphNode):  # type: ignore[misc,valid-type]
    """One operation of the forward pass with its value, the gradient arriving at it and its
    edge's local derivative (the fields of models.analysis.graph.GraphNode)."""


class GraphView(wire_model(ComputationGraph, "_GraphView", {}, exclude=("nodes",))):  # type: ignore[misc]
    """One point's computational graph, forward and backward: nodes[i]'s edge comes from
    nodes[i − 1], and nodes[i − 1].grad = nodes[i].grad × nodes[i]'s local derivative."""

    nodes: list[GraphNodeView]
