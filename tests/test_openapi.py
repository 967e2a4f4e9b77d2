"""The OpenAPI schema the typed client is generated from (its staleness test is in
test_protocol.py, beside the websocket's)."""

from fastapi.testclient import TestClient


def test_raw_bodies_are_in_the_schema_and_health_answers_head(client: TestClient) -> None:
    paths = client.app.openapi()["paths"]  # type: ignore[attr-defined]
    csv = paths["/api/datasets/csv"]["post"]["requestBody"]["content"]
    assert csv == {"text/csv": {"schema": {"type": "string"}}}
    upload = paths["/api/weights/from-safetensors"]["post"]["requestBody"]["content"]
    assert upload["application/octet-stream"]["schema"]["format"] == "binary"
    # HEAD stays out of the schema (one operation id per path), and still answers.
    assert list(paths["/api/health"]) == ["get"]
    assert client.head("/api/health").status_code == 200
