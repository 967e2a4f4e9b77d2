"""Nothing user-supplied reaches a code loader: an AST scan finds no unpickling or eval in
models/ and server/."""

from __future__ import annotations

import ast
import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

UNSAFE_MODULES = {"pickle", "_pickle", "cPickle", "dill", "cloudpickle", "joblib", "marshal"}
UNSAFE_MODULES |= {"shelve"}

ROOT = Path(__file__).resolve().parents[2]


def unsafe_uses(source: str) -> list[str]:
    """`pickle` imports, `torch.load(`, `eval(`, `exec(` and pickle-enabling flags in `source`.

    Parsed, not grepped: `net.eval()` (a module's eval mode), `safetensors.torch.load`
    (no pickle) and the word in a docstring are not findings.
    """
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names]
            modules = [node.module or ""] if isinstance(node, ast.ImportFrom) else names
            if any(m.split(".")[0] in UNSAFE_MODULES for m in modules):
                found.append(f"line {node.lineno}: imports {', '.join(modules)}")
            if isinstance(node, ast.ImportFrom) and node.module == "torch" and "load" in names:
                found.append(f"line {node.lineno}: imports torch.load")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in {"eval", "exec", "__import__"}:
                found.append(f"line {node.lineno}: {func.id}(")
            if (
                isinstance(func, ast.Attribute)
                and func.attr == "load"
                and isinstance(func.value, ast.Name)
                and func.value.id == "torch"
            ):
                found.append(f"line {node.lineno}: torch.load(")
            for kw in node.keywords:
                enables = kw.arg == "allow_pickle" and _is_const(kw.value, True)
                if enables or (kw.arg == "weights_only" and _is_const(kw.value, False)):
                    found.append(f"line {node.lineno}: {kw.arg}={ast.unparse(kw.value)}")
    return found


def _is_const(node: ast.expr, value: bool) -> bool:
    return isinstance(node, ast.Constant) and node.value is value


def test_the_scanner_finds_each_unsafe_use() -> None:
    source = """
import pickle
from torch import load
import torch, numpy as np
torch.load(path)
eval(text)
exec(text)
np.load(path, allow_pickle=True)
net.eval()
safetensors.torch.load(data)
'''pickle in a docstring'''
"""
    assert len(_in_fresh_interpreter(unsafe_uses, source)) == 6


T = TypeVar("T")


def _in_fresh_interpreter(function: Callable[..., T], *args: Any) -> T:
    """function(*args) in a spawned process. On CPython 3.11.7 a RecursionError elsewhere in
    this process (the fuzz tests' deeply nested JSON) can leave the ast module's recursion
    counter off, after which every ast.parse raises SystemError (python/cpython#106905)."""
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        return pool.submit(function, *args).result(timeout=60)


def _unsafe_uses_in_packages() -> dict[str, list[str]]:
    return {
        str(path.relative_to(ROOT)): uses
        for package in ("models", "server")
        for path in sorted((ROOT / package).rglob("*.py"))
        if (uses := unsafe_uses(path.read_text()))
    }


def test_models_and_server_never_unpickle_or_evaluate() -> None:
    findings = _in_fresh_interpreter(_unsafe_uses_in_packages)
    assert findings == {}, "user input must reach only JSON and safetensors parsers"
