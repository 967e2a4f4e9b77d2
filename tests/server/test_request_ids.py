"""Export and import replies carry the client's `request_id`, so a page matches each reply to
its request instead of counting queue positions."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.conftest import is_type, wait_for


def test_export_and_import_replies_echo_the_request_id(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "export", "weights": True, "request_id": 7})
        exported = wait_for(ws, is_type("setup_file"))
        assert exported["request_id"] == 7
        ws.send_json({"type": "export", "weights": False})
        assert wait_for(ws, is_type("setup_file"))["request_id"] is None
        ws.send_json({"type": "import", "setup": exported["setup"], "request_id": 8})
        assert wait_for(ws, is_type("settings"))["request_id"] == 8
        ws.send_json({"type": "configure", "seed": 3})
        assert wait_for(ws, is_type("settings"))["request_id"] is None


def test_a_refused_import_names_its_request_id(client: TestClient) -> None:
    with client.websocket_connect("/ws") as ws:
        wait_for(ws, is_type("frame"))
        ws.send_json({"type": "export", "weights": True, "request_id": 1})
        setup = wait_for(ws, is_type("setup_file"))["setup"]
        # Refused by the worker (weights that do not fit the network)...
        first = next(iter(setup["weights"]))
        wrong = {**setup["weights"], first: {"shape": [3, 3], "values": [0.0] * 9}}
        ws.send_json({"type": "import", "setup": {**setup, "weights": wrong}, "request_id": 2})
        error = wait_for(ws, is_type("error"))
        assert (error["command"], error["request_id"]) == ("import", 2)
        # ...and by validation, before the command is read at all.
        ws.send_json({"type": "import", "setup": {"settings": 1}, "request_id": 3})
        error = wait_for(ws, is_type("error"))
        assert (error["command"], error["request_id"]) == ("import", 3)
        ws.send_json({"type": "import", "setup": {"settings": 1}, "request_id": -1})
        assert wait_for(ws, is_type("error"))["request_id"] is None
