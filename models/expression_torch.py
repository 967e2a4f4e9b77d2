"""An expression's tree (models/expression.py) run as torch operations, and written as code.

`evaluate` walks the tree with one torch function per node, so autograd gives the gradient;
`ExpressionActivation` is the module build_network puts after a Linear for activation "expr";
`torch_code` writes the same operations as Python source for "Copy as PyTorch", and
`module_code` wraps them in a small nn.Module class. The written code is the only text this
produces; nothing here executes text.
"""

from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

from models.expression import Bin, Call, Cmp, Neg, Node, Num, X, parse

_UNARY: dict[str, Callable[[torch.Tensor], torch.Tensor]] = {
    "exp": torch.exp,
    "log": torch.log,
    "sin": torch.sin,
    "cos": torch.cos,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "abs": torch.abs,
    "relu": torch.relu,
}
_BINARY: dict[str, Callable[[torch.Tensor, torch.Tensor], torch.Tensor]] = {
    "+": torch.add,
    "-": torch.sub,
    "*": torch.mul,
    "/": torch.div,
    "^": torch.pow,
    "max": torch.maximum,
    "min": torch.minimum,
    "<": torch.lt,
    "<=": torch.le,
    ">": torch.gt,
    ">=": torch.ge,
}


def evaluate(node: Node, x: torch.Tensor) -> torch.Tensor:
    """The expression's value at every element of x, same shape and dtype."""
    out = _value(node, x)
    return out if out.shape == x.shape else out.expand_as(x)


def _value(node: Node, x: torch.Tensor) -> torch.Tensor:
    match node:
        case Num(value):
            return x.new_tensor(value)
        case X():
            return x
        case Neg(arg):
            return torch.neg(_value(arg, x))
        case Bin(op, left, right) | Cmp(op, left, right):
            return _BINARY[op](_value(left, x), _value(right, x))
        case Call("where", (condition, then, otherwise)):
            return torch.where(_value(condition, x), _value(then, x), _value(otherwise, x))
        case Call(name, (arg,)):
            return _UNARY[name](_value(arg, x))
        case Call(name, (left, right)):
            return _BINARY[name](_value(left, x), _value(right, x))
    raise AssertionError(f"no torch operation for {node!r}")  # the parser makes no other node


class ExpressionActivation(nn.Module):
    """An activation written as an expression in x, e.g. "x * sigmoid(1.5 * x)"."""

    def __init__(self, expression: str) -> None:
        super().__init__()
        self.expression = expression
        self.tree = parse(expression)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Return the expression at every element of x."""
        return evaluate(self.tree, x)

    def extra_repr(self) -> str:
        return repr(self.expression)


_PRECEDENCE = {"+": 1, "-": 1, "*": 2, "/": 2, "^": 4}
_CODE_FUNCTION = {name: f"torch.{name}" for name in _UNARY} | {
    "max": "torch.maximum",
    "min": "torch.minimum",
    "where": "torch.where",
}


def torch_code(node: Node) -> str:
    """The expression as Python source over a tensor `x`, with torch functions."""
    return _code(node, tensor=True)


def _code(node: Node, tensor: bool) -> str:
    """Source for `node`; `tensor`: it must be a tensor (a function's argument), so a number
    with no x around it is written x.new_tensor(v), on x's device and dtype."""
    match node:
        case Num(value):
            return f"x.new_tensor({value!r})" if tensor else repr(value)
        case X():
            return "x"
        case Neg(arg):
            return f"-{_wrapped(arg, 3, tensor)}"
        case Bin(op, left, right) | Cmp(op, left, right):
            constant = not _names(node)  # a tensor only if its left operand is one
            level = _PRECEDENCE.get(op, 0)
            written = "**" if op == "^" else op
            left_level, right_level = (level + 1, level) if op == "^" else (level, level + 1)
            return (
                f"{_wrapped(left, left_level, tensor and constant)} {written} "
                f"{_wrapped(right, right_level, False)}"
            )
        case Call(name, args):
            inner = ", ".join(_code(arg, tensor=True) for arg in args)
            return f"{_CODE_FUNCTION[name]}({inner})"
    raise AssertionError(f"no code for {node!r}")


def _wrapped(node: Node, level: int, tensor: bool) -> str:
    """Source for `node` as an operand at precedence `level`, in parentheses where needed."""
    text = _code(node, tensor)
    mine = 3 if isinstance(node, Neg) else _PRECEDENCE.get(getattr(node, "op", ""), 9)
    if isinstance(node, Cmp):
        mine = 0
    return f"({text})" if mine < level else text


def module_code(class_name: str, expression: str) -> str:
    """A small nn.Module class computing `expression`, for "Copy as PyTorch"."""
    doc = expression.replace("\\", "\\\\").replace('"', "'")
    tree = parse(expression)
    body = torch_code(tree)
    if "x" not in _names(tree):  # a constant: as wide as x, as every activation is
        body = f"{body} + torch.zeros_like(x)"
    return (
        f"class {class_name}(nn.Module):\n"
        f'    """Your own activation: {doc}."""\n\n'
        "    def forward(self, x):\n"
        f"        return {body}\n"
    )


def _names(node: Node) -> set[str]:
    """ "x" if the tree reads its input anywhere, else the empty set."""
    match node:
        case X():
            return {"x"}
        case Neg(arg):
            return _names(arg)
        case Bin(_, left, right) | Cmp(_, left, right):
            return _names(left) | _names(right)
        case Call(_, args):
            return set().union(*map(_names, args))
    return set()
