"""The expression parser: fuzzed so no input reaches Python evaluation and every refusal has a
position; expression activations equal their torch equivalents, values and gradients."""

import builtins
import contextlib
import math
from collections.abc import Callable, Iterator
from unittest import mock

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from models.expression import (
    FUNCTIONS,
    MAX_CONSTANT,
    MAX_DEPTH,
    MAX_LENGTH,
    ExpressionError,
    parse,
)
from models.expression_pwl import pieces
from models.expression_torch import ExpressionActivation, evaluate, torch_code


@contextlib.contextmanager
def no_python_evaluation() -> Iterator[list[str]]:
    """Within it, any call of eval, exec or compile is recorded (and refused)."""
    calls: list[str] = []

    def refusing(name: str) -> Callable[..., None]:
        def refuse(*args: object, **kwargs: object) -> None:
            calls.append(name)
            raise AssertionError(f"an expression reached Python's {name}")

        return refuse

    with contextlib.ExitStack() as stack:
        for name in ("eval", "exec", "compile"):
            stack.enter_context(mock.patch.object(builtins, name, refusing(name)))
        yield calls


def _read(text: str) -> None:
    """Parse and, when it reads, evaluate `text` and its code; a refusal must point inside the
    text; nothing may call eval, exec or compile."""
    with no_python_evaluation() as calls:
        try:
            tree = parse(text)
        except ExpressionError as error:
            tree = None
            assert 0 <= error.position <= len(text), (text, error.position)
            assert error.reason and str(error).endswith(f"at {error.position}")
        if tree is not None:
            pieces(tree)
            torch_code(tree)
            with torch.no_grad():
                out = evaluate(tree, torch.linspace(-3, 3, 7))
            assert out.shape == (7,)
    assert calls == []


ALPHABET = "x0123456789.e+-*/^()<>=,×÷− abcdefghilmnoprstuwgz_'\"[]{};:!@#$%&|`\\\n"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
def test_random_strings_are_read_or_refused_with_a_position(text: str) -> None:
    _read(text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_unicode_is_read_or_refused_with_a_position(text: str) -> None:
    _read(text)


def _trees() -> st.SearchStrategy[str]:
    """Grammar-valid expressions (they may still break a limit)."""
    leaf = st.one_of(
        st.just("x"),
        st.sampled_from(["pi", "e"]),
        st.floats(0, 1000, allow_nan=False).map(lambda v: f"{v:g}"),
    )

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        unary = [name for name, n in FUNCTIONS.items() if n == 1]
        return st.one_of(
            st.tuples(
                inner, st.sampled_from(["+", "-", "*", "/", "^", "**", "×", "÷", "−"]), inner
            ).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda s: f"-{s}"),
            st.tuples(st.sampled_from(unary), inner).map(lambda t: f"{t[0]}({t[1]})"),
            st.tuples(st.sampled_from(["max", "min"]), inner, inner).map(
                lambda t: f"{t[0]}({t[1]}, {t[2]})"
            ),
            st.tuples(inner, st.sampled_from(["<", "<=", ">", ">="]), inner, inner, inner).map(
                lambda t: f"where({t[0]} {t[1]} {t[2]}, {t[3]}, {t[4]})"
            ),
        )

    return st.recursive(leaf, grow, max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(_trees())
def test_grammar_valid_trees_parse_or_hit_a_limit(text: str) -> None:
    try:
        parse(text)
    except ExpressionError as error:
        assert "deep" in error.reason or "longer" in error.reason or "more than" in error.reason
        assert 0 <= error.position <= len(text)
    _read(text)


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("foo(x)", 0, "unknown name 'foo'"),
        ("x + bar", 4, "unknown name 'bar'"),
        ("max(0, x", 8, "expected ')'"),
        ("(x + 1", 6, "expected ')'"),
        ("2x", 1, "unexpected 'x'"),
        ("x $ 1", 2, "unexpected character '$'"),
        ("", 0, "empty"),
        ("sin(x, 1)", 0, "sin takes 1 argument, got 2"),
        ("where(x, 1, 0)", 7, "expected a comparison"),
        ("x < 1", 2, "unexpected '<'"),
        ("x + ", 4, "found the end"),
        ("1e9 * x", 0, "number larger than"),
        ("__import__(x)", 0, "unknown name '__import__'"),
        ("x." + "_" * 5, 1, "unexpected"),
        ("(" * (MAX_DEPTH + 2) + "x" + ")" * (MAX_DEPTH + 2), 12, "nested more than"),
        ("x+" * 150 + "x", MAX_LENGTH, "longer than"),
    ],
)
def test_refusals_name_position_and_reason(text: str, position: int, reason: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        parse(text)
    assert reason in caught.value.reason
    if "nested" not in reason:
        assert caught.value.position == position
    assert str(caught.value) == f"{caught.value.reason} at {caught.value.position}"
    assert MAX_CONSTANT == 1e6


Ref = Callable[[torch.Tensor], torch.Tensor]
EQUIVALENTS: list[tuple[str, Ref]] = [
    ("x * sigmoid(1.5*x)", lambda x: x * torch.sigmoid(1.5 * x)),
    ("max(0, x) - 0.1*max(0, -x)", lambda x: F.leaky_relu(x, 0.1)),
    ("sin(x) + x", lambda x: torch.sin(x) + x),
    ("relu(x)", torch.relu),
    ("max(x, 0)", torch.relu),
    ("tanh(x)", torch.tanh),
    ("abs(x)", torch.abs),
    ("min(max(x, -1), 1)", F.hardtanh),
    ("x × sigmoid(x)", F.silu),
    ("log(1 + exp(x))", F.softplus),
    ("where(x > 0, x, exp(x) - 1)", F.elu),
    ("x^2 / 2 − x ÷ 4", lambda x: x**2 / 2 - x / 4),
    ("2 ** -x ** 2", lambda x: 2 ** (-(x**2))),
    ("cos(pi * x) * e", lambda x: torch.cos(math.pi * x) * math.e),
    ("-x^2", lambda x: -(x**2)),
    ("3", lambda x: torch.full_like(x, 3.0)),
]


@pytest.mark.parametrize(("text", "reference"), EQUIVALENTS)
def test_expression_equals_its_torch_equivalent_with_gradients(text: str, reference: Ref) -> None:
    x = torch.linspace(-3.1, 2.9, 101, dtype=torch.float64, requires_grad=True)
    module = ExpressionActivation(text)
    got, want = module(x), reference(x)
    torch.testing.assert_close(got, want)
    if want.requires_grad:
        (g_got,) = torch.autograd.grad(got.sum(), x)
        (g_want,) = torch.autograd.grad(want.sum(), x)
        torch.testing.assert_close(g_got, g_want)
    assert text in repr(module)
