"""The page through server faults: a restart on the same port, and a server that is full."""

from __future__ import annotations

import base64
import json
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from playwright.sync_api import Page, expect

from server.app import create_app
from server.settings import Settings

pytestmark = pytest.mark.e2e

POINTS_CSV = b"x1,x2,label\n" + b"".join(
    f"{x},{y},{int(x * y > 0)}\n".encode() for x in (-3, -1, 1, 3) for y in (-2.5, -0.5, 2)
)
"""Twelve points of the user's own, in the four quadrants of an XOR."""


def free_port() -> int:
    """A port nothing listens on now; the server binds it again after each restart."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class RestartableServer:
    """The real app under uvicorn in a thread, stopped and started again on one fixed port."""

    def __init__(self, port: int, **settings: Any) -> None:
        self.port = port
        self.settings = settings
        self.url = f"http://127.0.0.1:{port}"
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        """Serves a fresh app (no sessions, defaults everywhere); returns once it listens."""
        app = create_app(Settings(device="cpu", **self.settings))
        config = uvicorn.Config(
            app, host="127.0.0.1", port=self.port, log_level="warning", timeout_graceful_shutdown=3
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError(f"the server did not start on port {self.port}")
            time.sleep(0.05)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self) -> None:
        """Shuts down as on SIGTERM (open sockets get a close frame); returns once it is gone."""
        assert self._server is not None and self._thread is not None
        self._server.should_exit = True
        self._thread.join(15)
        assert not self._thread.is_alive(), "the server did not stop"


@pytest.fixture
def restartable() -> Iterator[RestartableServer]:
    server = RestartableServer(free_port())
    server.start()
    yield server
    if server.running:
        server.stop()


def _connected(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    expect(page.get_by_test_id("data-point-count")).not_to_have_text("0 points")


def _saved_setup(page: Page) -> str | None:
    """The page's stored copy of its setup (a `#setup=` hash), or None."""
    saved: str | None = page.evaluate("localStorage.getItem('nn-playground:setup')")
    return saved


def _decoded(hash_: str) -> dict[str, Any]:
    """The setup a `#setup=` hash holds (base64url JSON, as frontend/src/lib/urlHash.ts writes)."""
    text = hash_.removeprefix("#setup=")
    setup: dict[str, Any] = json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))
    return setup


def _exported_setup(page: Page, tmp_path: Path, name: str) -> dict[str, Any]:
    """The setup as the server's session holds it: settings and points, from File → Export."""
    page.get_by_test_id("file-menu").click()
    with page.expect_download() as info:
        page.get_by_test_id("export-setup").click()
    path = tmp_path / name
    info.value.save_as(path)
    setup: dict[str, Any] = json.loads(path.read_text())
    return {"settings": setup["settings"], "custom": setup["custom"]}


def test_the_page_survives_a_restart_and_restores_the_setup(
    page: Page, restartable: RestartableServer, tmp_path: Path, artifacts: Path
) -> None:
    _connected(page, restartable.url)
    page.get_by_test_id("layer-units-0").fill("7")
    page.get_by_test_id("layer-units-0").press("Enter")
    page.get_by_test_id("learning-rate").fill("0.1")
    page.get_by_test_id("learning-rate").press("Enter")
    page.get_by_test_id("csv-upload").set_input_files(
        {"name": "mine.csv", "mimeType": "text/csv", "buffer": POINTS_CSV}
    )
    expect(page.get_by_test_id("data-point-count")).to_have_text("12 points")
    before = _exported_setup(page, tmp_path, "before.json")
    assert before["settings"]["network"]["hidden"][0]["units"] == 7
    assert len(before["custom"]["x"]) == 12

    restartable.stop()
    status = page.get_by_test_id("connection-status")
    expect(status).to_have_attribute("data-state", "closed")
    banner = page.get_by_test_id("connection-problem")
    expect(banner).to_have_text(re.compile("restarting|lost"))
    page.screenshot(path=str(artifacts / "reliability-restart-banner.png"))

    restartable.start()  # a new process would hold no sessions either: nothing of ours survives
    expect(status).to_have_attribute("data-state", "open", timeout=15_000)
    expect(page.get_by_test_id("error-banner")).to_be_hidden()
    expect(page.get_by_test_id("data-point-count")).to_have_text("12 points")
    expect(page.get_by_test_id("layer-units-0")).to_have_value("7")
    expect(page.get_by_test_id("dataset-select")).to_have_value("custom")
    assert _exported_setup(page, tmp_path, "after.json") == before


def test_a_bare_address_brings_back_the_saved_setup_and_new_forgets_it(
    page: Page, restartable: RestartableServer
) -> None:
    _connected(page, restartable.url)
    page.get_by_test_id("dataset-select").select_option("xor")
    expect(page).to_have_url(re.compile("#setup="))
    with_xor = page.url
    page.get_by_test_id("layer-units-0").fill("5")
    page.get_by_test_id("layer-units-0").press("Enter")
    expect(page).not_to_have_url(with_xor)  # the copy is written with the address
    saved = _saved_setup(page)
    assert saved is not None and saved == page.evaluate("location.hash")
    assert _decoded(saved)["settings"]["network"]["hidden"][0]["units"] == 5

    _connected(page, restartable.url + "/")  # the bookmark: no hash at all
    expect(page.get_by_test_id("dataset-select")).to_have_value("xor")
    expect(page.get_by_test_id("layer-units-0")).to_have_value("5")

    page.get_by_test_id("file-menu").click()
    page.get_by_test_id("new-setup").click()
    expect(page.get_by_test_id("dataset-select")).to_have_value("circle")
    expect(page).not_to_have_url(re.compile("#setup="))
    assert _saved_setup(page) is None
    _connected(page, restartable.url + "/")
    expect(page.get_by_test_id("dataset-select")).to_have_value("circle")
    expect(page.get_by_test_id("layer-units-0")).to_have_value("4")


def test_a_full_server_says_so_and_lets_the_page_in_when_a_place_frees(
    page: Page, artifacts: Path
) -> None:
    server = RestartableServer(free_port(), max_sessions=1)
    server.start()
    try:
        first = page.context.new_page()
        _connected(first, server.url)
        page.goto(server.url)
        problem = page.get_by_test_id("connection-problem")
        expect(problem).to_contain_text("Server busy")
        expect(problem).to_contain_text("keeps trying")
        expect(page.get_by_test_id("connection-status")).not_to_have_attribute("data-state", "open")
        page.screenshot(path=str(artifacts / "reliability-busy-banner.png"))

        first.close()  # its session ends; the waiting page gets in on a retry
        expect(page.get_by_test_id("connection-status")).to_have_attribute(
            "data-state", "open", timeout=15_000
        )
        expect(page.get_by_test_id("error-banner")).to_be_hidden()
    finally:
        server.stop()
