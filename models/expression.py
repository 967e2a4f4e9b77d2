"""An activation the learner writes as an expression in x: tokenizer, parser and tree.

A whitelisted grammar, read by a recursive-descent parser into a small tree of frozen nodes;
nothing here, nor in the modules that use the tree (models/expression_torch.py runs it as torch
operations, models/expression_pwl.py finds its linear pieces), ever hands text to Python's
eval, exec or compile. The grammar:

    sum     := product (("+" | "-") product)*
    product := unary (("*" | "/") unary)*
    unary   := ("-" | "+") unary | power
    power   := atom (("^" | "**") unary)?          right-associative: 2^-x, x^2^3
    atom    := number | "x" | "pi" | "e" | "(" sum ")" | name "(" arguments ")"
    where(condition, then, else) with condition := sum ("<" | "<=" | ">" | ">=") sum

"×", "÷" and "−" are read as "*", "/" and "-". Every refusal is an ExpressionError with the
0-based position in the text where reading stopped and the reason.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

MAX_LENGTH = 200
"""Characters an expression may have."""
MAX_DEPTH = 24
"""How deeply an expression may nest (parentheses, calls, operators)."""
MAX_NODES = 120
"""Numbers, x, operators and calls an expression may hold in all."""
MAX_CONSTANT = 1e6
"""The largest magnitude a number written in an expression may have."""

FUNCTIONS: dict[str, int] = {
    "exp": 1,
    "log": 1,
    "sin": 1,
    "cos": 1,
    "tanh": 1,
    "sigmoid": 1,
    "abs": 1,
    "relu": 1,
    "max": 2,
    "min": 2,
    "where": 3,
}
"""Every function an expression may call, with how many arguments it takes."""
CONSTANTS = {"pi": math.pi, "e": math.e}
"""Named numbers an expression may use."""
COMPARISONS = ("<=", ">=", "<", ">")
"""What may compare two sums, only as the condition of where(…)."""


class ExpressionError(ValueError):
    """An expression that cannot be read: where reading stopped (0-based) and why."""

    def __init__(self, position: int, reason: str) -> None:
        super().__init__(f"{reason} at {position}")
        self.position = position
        self.reason = reason


@dataclass(frozen=True)
class Num:
    """A number."""

    value: float


@dataclass(frozen=True)
class X:
    """The activation's input."""


@dataclass(frozen=True)
class Neg:
    """Minus its operand."""

    arg: Node


@dataclass(frozen=True)
class Bin:
    """An arithmetic operation: op is one of + - * / ^."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Cmp:
    """A comparison, the condition of where(…): op is one of < <= > >=."""

    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Call:
    """A call of one of FUNCTIONS; where's first argument is a Cmp."""

    name: str
    args: tuple[Node, ...]


Node = Num | X | Neg | Bin | Cmp | Call
"""A node of an expression's tree."""

_TOKEN = re.compile(
    r"\s*(?:(?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)|(?P<name>[A-Za-z_]\w*)"
    r"|(?P<op>\*\*|<=|>=|[-+*/^()<>,×÷−]))"
)
_SAME = {"×": "*", "÷": "/", "−": "-"}


@dataclass(frozen=True)
class Token:
    """A piece of the text: kind is num, name, op or end; pos its first character."""

    kind: str
    text: str
    pos: int


def tokenize(text: str) -> list[Token]:
    """The tokens of `text`, ending with an `end` token; ExpressionError at the first stray
    character."""
    tokens: list[Token] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            pos = len(text)
            break
        match = _TOKEN.match(text, pos)
        if match is None or match.lastgroup is None:
            start = len(text) - len(text[pos:].lstrip())
            raise ExpressionError(start, f"unexpected character {text[start]!r}")
        kind = match.lastgroup
        value = match.group(kind)
        tokens.append(Token(kind, _SAME.get(value, value), match.start(kind)))
        pos = match.end()
    tokens.append(Token("end", "", len(text)))
    return tokens


def parse(text: str) -> Node:
    """The tree of `text`, or ExpressionError naming the position and the reason."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(MAX_LENGTH, f"longer than {MAX_LENGTH} characters")
    if not text.strip():
        raise ExpressionError(0, "empty expression: write a function of x, e.g. max(0, x)")
    return _Parser(tokenize(text)).whole()


class _Parser:
    """Recursive descent over the tokens, counting nodes and depth as it goes."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.at = 0
        self.depth = 0
        self.nodes = 0

    @property
    def token(self) -> Token:
        return self.tokens[self.at]

    def whole(self) -> Node:
        node = self.sum()
        if self.token.kind != "end":
            raise self.error(f"unexpected {self.token.text!r}")
        return node

    def error(self, reason: str) -> ExpressionError:
        return ExpressionError(self.token.pos, reason)

    def take(self, *texts: str) -> Token | None:
        """The next token, consumed, if it is an operator among `texts`."""
        token = self.token
        if token.kind == "op" and token.text in texts:
            self.at += 1
            return token
        return None

    def expect(self, text: str) -> None:
        if self.take(text) is None:
            found = "the end" if self.token.kind == "end" else repr(self.token.text)
            raise self.error(f"expected {text!r}, found {found}")

    def node(self, node: Node) -> Node:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise self.error(f"more than {MAX_NODES} numbers, operators and calls")
        return node

    def nested(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.error(f"nested more than {MAX_DEPTH} deep")

    def sum(self) -> Node:
        self.nested()
        node = self.product()
        while (op := self.take("+", "-")) is not None:
            node = self.node(Bin(op.text, node, self.product()))
        self.depth -= 1
        return node

    def product(self) -> Node:
        node = self.unary()
        while (op := self.take("*", "/")) is not None:
            node = self.node(Bin(op.text, node, self.unary()))
        return node

    def unary(self) -> Node:
        self.nested()
        if self.take("-") is not None:
            node = self.node(Neg(self.unary()))
        elif self.take("+") is not None:
            node = self.unary()
        else:
            node = self.power()
        self.depth -= 1
        return node

    def power(self) -> Node:
        node = self.atom()
        if self.take("^", "**") is not None:
            node = self.node(Bin("^", node, self.unary()))
        return node

    def atom(self) -> Node:
        token = self.token
        if token.kind == "num":
            self.at += 1
            value = float(token.text)
            if not value <= MAX_CONSTANT:
                raise ExpressionError(token.pos, f"number larger than {MAX_CONSTANT:g}")
            return self.node(Num(value))
        if token.kind == "name":
            self.at += 1
            return self.named(token)
        if self.take("(") is not None:
            node = self.sum()
            self.expect(")")
            return node
        found = "the end" if token.kind == "end" else repr(token.text)
        raise self.error(f"expected a number, x, a function or '(', found {found}")

    def named(self, token: Token) -> Node:
        name = token.text
        if name == "x":
            return self.node(X())
        if name in CONSTANTS:
            return self.node(Num(CONSTANTS[name]))
        if name not in FUNCTIONS:
            known = ", ".join(FUNCTIONS)
            raise ExpressionError(token.pos, f"unknown name {name!r} (use x, pi, e, {known})")
        if self.token.text != "(":
            raise self.error(f"expected '(' after {name}")
        self.at += 1
        self.nested()
        args = [self.condition() if name == "where" else self.sum()]
        while self.take(",") is not None:
            args.append(self.sum())
        self.expect(")")
        self.depth -= 1
        want = FUNCTIONS[name]
        if len(args) != want:
            s = "" if want == 1 else "s"
            raise ExpressionError(token.pos, f"{name} takes {want} argument{s}, got {len(args)}")
        return self.node(Call(name, tuple(args)))

    def condition(self) -> Node:
        left = self.sum()
        op = self.take(*COMPARISONS)
        if op is None:
            raise self.error("expected a comparison (<, <=, >, >=) in where's condition")
        return self.node(Cmp(op.text, left, self.sum()))
