"""The wire contract: generated TypeScript is current and every message is documented."""

import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path

import pytest

from server.protocol import ClientCommand, ServerEvent

ROOT = Path(__file__).resolve().parent.parent


def _message_types() -> list[str]:
    types = []
    for union in (ClientCommand, ServerEvent):
        members = typing.get_args(typing.get_args(union)[0])
        types += [m.model_fields["type"].default for m in members]
    return types


def test_every_message_type_is_documented() -> None:
    doc = (ROOT / "docs" / "protocol.md").read_text()
    for kind in _message_types():
        assert re.search(rf"^### `{kind}`", doc, re.MULTILINE), f"docs/protocol.md lacks `{kind}`"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed for the code generator")
@pytest.mark.parametrize(
    ("schema_module", "generator", "output"),
    [
        ("server.protocol", "codegen.mjs", "protocol.gen.ts"),  # the websocket's messages
        ("server.openapi", "apigen.mjs", "api.gen.ts"),  # the HTTP routes (FastAPI's OpenAPI)
    ],
)
def test_generated_typescript_is_current(schema_module: str, generator: str, output: str) -> None:
    schema = subprocess.run(
        [sys.executable, "-m", schema_module], capture_output=True, check=True, cwd=ROOT
    ).stdout
    generated = subprocess.run(
        ["node", f"frontend/scripts/{generator}"],
        input=schema,
        capture_output=True,
        check=True,
        cwd=ROOT,
    ).stdout.decode()
    current = (ROOT / "frontend" / "src" / "lib" / output).read_text()
    assert generated == current, f"{output} is stale: run `make codegen`"
