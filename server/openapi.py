"""The HTTP API's OpenAPI schema: printed for the frontend's typed client (`make codegen`).

Routes that read their body raw (a CSV file's text, a safetensors file's bytes) declare it
with `raw_body`, so the generated client types those bodies too.

    python -m server.openapi > openapi.json
"""

from __future__ import annotations

import json
from typing import Any, Literal

OCTET_STREAM = "application/octet-stream"


def raw_body(media_type: str, kind: Literal["string", "binary"]) -> dict[str, Any]:
    """The `openapi_extra` of a route whose required body is text or bytes of `media_type`."""
    schema: dict[str, str] = {"type": "string"}
    if kind == "binary":
        schema["format"] = "binary"
    return {"requestBody": {"required": True, "content": {media_type: {"schema": schema}}}}


def bytes_answer(media_type: str = OCTET_STREAM) -> dict[int | str, dict[str, Any]]:
    """The `responses` of a route that answers 200 with a file's bytes instead of JSON."""
    schema = {"type": "string", "format": "binary"}
    return {200: {"content": {media_type: {"schema": schema}}}}


def main() -> None:
    """Print the app's OpenAPI schema as JSON, keys sorted so the output is stable."""
    from server.app import create_app  # the app imports the routes, which import this module

    print(json.dumps(create_app().openapi(), indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
