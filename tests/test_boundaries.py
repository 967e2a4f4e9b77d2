"""models/ stays pure: importing it loads no web or async library beyond what torch loads."""

import pkgutil
import subprocess
import sys

import models

FORBIDDEN = ("fastapi", "starlette", "pydantic", "uvicorn", "asyncio", "anyio", "server")


def test_models_import_no_web_or_async_library() -> None:
    names = [m.name for m in pkgutil.walk_packages(models.__path__, "models.")]
    code = (
        "import sys, torch, numpy\n"
        f"forbidden = lambda: {{m for m in sys.modules if m.split('.')[0] in {FORBIDDEN!r}}}\n"
        "before = forbidden()\n"  # torch itself imports asyncio; only what models adds counts
        + "".join(f"import {name}\n" for name in names)
        + "print(sorted(forbidden() - before))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout
