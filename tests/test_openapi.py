"""The HTTP contract: the typed client's api.gen.ts is current with FastAPI's OpenAPI schema."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed for the code generator")
def test_generated_api_types_are_current() -> None:
    schema = subprocess.run(
        [sys.executable, "-m", "server.openapi"], capture_output=True, check=True, cwd=ROOT
    ).stdout
    generated = subprocess.run(
        ["node", "frontend/scripts/apigen.mjs"],
        input=schema,
        capture_output=True,
        check=True,
        cwd=ROOT,
    ).stdout.decode()
    current = (ROOT / "frontend" / "src" / "lib" / "api.gen.ts").read_text()
    assert generated == current, "api.gen.ts is stale: run `make codegen`"


def test_raw_bodies_are_in_the_schema_and_health_answers_head(client: TestClient) -> None:
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    csv = paths["/api/datasets/csv"]["post"]["requestBody"]["content"]
    assert csv == {"text/csv": {"schema": {"type": "string"}}}
    upload = paths["/api/weights/from-safetensors"]["post"]["requestBody"]["content"]
    assert upload["application/octet-stream"]["schema"]["format"] == "binary"
    # HEAD stays out of the schema (one operation id per path), and still answers.
    assert list(paths["/api/health"]) == ["get"]
    assert client.head("/api/health").status_code == 200
