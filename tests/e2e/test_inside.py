"""Inside the network, guards and sharing in a real browser (issue 7)."""

from __future__ import annotations

import base64
import json
import math
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import FilePayload, Page, expect

from tests.e2e.test_toolbox import STEP, save_screenshot

pytestmark = pytest.mark.e2e


def _hash_for(settings: dict[str, Any]) -> str:
    """The page's own encoding of a setup in the URL: base64url of {settings, custom}."""
    text = json.dumps({"settings": settings, "custom": None})
    return "#setup=" + base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _defaults(live_server: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{live_server}/api/catalog", timeout=10) as answer:
        settings: dict[str, Any] = json.load(answer)["defaults"]
    return settings


def _open(page: Page, url: str) -> Page:
    page.goto(url)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    expect(page.get_by_test_id("data-point-count")).not_to_have_text("0 points")
    return page


def _link_with(page: Page, text: str, timeout: float = 10.0) -> str:
    """The page's address once its #setup= hash holds `text` (the hash follows confirmed
    settings, so it catches up a moment after the controls)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        url = page.url
        _, _, encoded = url.partition("#setup=")
        padded = encoded + "=" * (-len(encoded) % 4)
        if encoded and text in base64.urlsafe_b64decode(padded).decode():
            return url
        page.wait_for_timeout(100)
    raise AssertionError(f"the link never held {text}: {page.url}")


@pytest.fixture
def connected(page: Page, live_server: str) -> Iterator[Page]:
    yield _open(page, live_server)


def test_a_link_reproduces_the_setup(page: Page, live_server: str) -> None:
    _open(page, live_server)
    page.get_by_test_id("dataset-select").select_option("xor")
    page.get_by_test_id("layer-units-0").fill("7")
    page.get_by_test_id("layer-units-0").press("Enter")
    link = _link_with(page, '"units":7')
    other = page.context.new_page()
    _open(other, link)
    expect(other.get_by_test_id("dataset-select")).to_have_value("xor")
    expect(other.get_by_test_id("layer-units-0")).to_have_value("7")
    other.reload()
    expect(other.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    expect(other.get_by_test_id("layer-units-0")).to_have_value("7")


def test_a_broken_link_says_so_and_starts_from_defaults(page: Page, live_server: str) -> None:
    _open(page, f"{live_server}/#setup=not-base64-json")
    expect(page.get_by_test_id("error-banner")).to_contain_text("link")
    expect(page.get_by_test_id("dataset-select")).to_have_value("circle")


def test_divergence_pauses_and_undo_restores_finite_weights(
    page: Page, live_server: str, artifacts: Path
) -> None:
    settings = _defaults(live_server)
    settings["network"]["init"] = "large_normal"
    settings["network"]["hidden"] = [{"units": 8, "activation": "relu"}] * 3
    settings["training"].update(optimizer="sgd", learning_rate=10.0, batch_size=1)
    _open(page, live_server + "/" + _hash_for(settings))
    expect(page.get_by_test_id("learning-rate")).to_have_value("10")
    page.get_by_test_id("play").click()
    banner = page.get_by_test_id("error-banner")
    expect(banner).to_contain_text("diverged at step", timeout=20_000)
    expect(banner).to_contain_text("layer")
    expect(page.get_by_test_id("play")).to_be_visible()  # it paused by itself
    save_screenshot(page, artifacts, "diverged.png")
    undo = page.get_by_test_id("undo")
    undo_to = int("".join(c for c in undo.inner_text() if c.isdigit()))
    undo.click()
    expect(page.get_by_test_id("step-count")).to_have_text(str(undo_to))
    expect(banner).to_be_hidden()
    assert math.isfinite(float(page.get_by_test_id("train-loss").inner_text()))


def test_forward_backward_of_a_clicked_point(connected: Page, artifacts: Path) -> None:
    page = connected
    page.get_by_test_id("step").click()
    page.get_by_test_id("inside-tab-backprop").click()
    page.get_by_test_id("boundary-canvas").click(position={"x": 60, "y": 60})
    table = page.get_by_test_id("backprop-table")
    expect(table).to_be_visible()
    expect(table).to_contain_text("output layer")
    assert float(page.get_by_test_id("probe-loss").inner_text()) > 0
    page.get_by_test_id("inside-tab-network").click()
    expect(page.get_by_test_id("network-diagram")).to_be_visible()
    save_screenshot(page, artifacts, "inside-network.png")


def test_monitors_and_hidden_space_fill_while_training(connected: Page) -> None:
    page = connected
    page.get_by_test_id("inside-tab-monitors").click()
    page.get_by_test_id("play").click()
    page.wait_for_function(f"() => {STEP} > 300")
    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("monitor-charts")).to_be_visible()
    expect(page.get_by_test_id("dead-relu-0")).to_be_visible()
    page.get_by_test_id("inside-tab-hidden").click()
    expect(page.get_by_test_id("hidden-space-canvas")).to_be_visible()


def test_overfit_check_reports_a_pass(connected: Page) -> None:
    page = connected
    page.get_by_test_id("overfit-check").click()
    result = page.get_by_test_id("overfit-result")
    expect(result).to_have_attribute("data-passed", "true", timeout=20_000)


def test_export_then_import_round_trip_and_a_bad_file(connected: Page) -> None:
    page = connected
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("step-count")).to_have_text("1")
    page.get_by_test_id("file-menu").click()
    with page.expect_download() as download:
        page.get_by_test_id("export-weights").click()
    setup = json.loads(Path(download.value.path()).read_text())
    assert setup["format"] == "nn-playground/setup" and setup["step"] == 1
    page.get_by_test_id("reset").click()
    expect(page.get_by_test_id("step-count")).to_have_text("0")
    files = page.get_by_test_id("import-file")
    files.set_input_files(
        FilePayload(name="broken.json", mimeType="application/json", buffer=b"{not json")
    )
    expect(page.get_by_test_id("error-banner")).to_be_visible()
    expect(page.get_by_test_id("step-count")).to_have_text("0")
    good = json.dumps(setup).encode()
    files.set_input_files(FilePayload(name="setup.json", mimeType="application/json", buffer=good))
    expect(page.get_by_test_id("step-count")).to_have_text("1")


def test_copy_as_pytorch_shows_runnable_code(connected: Page) -> None:
    page = connected
    page.get_by_test_id("file-menu").click()
    page.get_by_test_id("copy-pytorch").click()
    dialog = page.get_by_test_id("pytorch-code")
    expect(dialog).to_contain_text("nn.Sequential")
    code = dialog.locator("pre").inner_text()
    namespace: dict[str, Any] = {}
    exec(code, namespace)  # the app's own generated code
    assert "net" in namespace
