"""A reload brings back the setup of every kind of data: regression, 1D, images, classes.

The page restores a setup by sending the settings the server last reported as one configure
over the new session's defaults; it used to be refused for regression data (`classes` 1) and
the digits (`classes` 10), and the page fell back to the defaults with an error.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def _exported_settings(page: Page, tmp_path: Path, name: str) -> dict[str, Any]:
    """The settings the server's session holds, from File → Export (answered in order, so
    after every configure sent before it)."""
    page.get_by_test_id("file-menu").click()
    with page.expect_download() as info:
        page.get_by_test_id("export-setup").click()
    path = tmp_path / name
    info.value.save_as(path)
    settings: dict[str, Any] = json.loads(path.read_text())["settings"]
    return settings


@pytest.mark.parametrize("dataset", ["sine", "plane", "multi_gauss", "digits"])
def test_a_reload_keeps_the_setup(
    page: Page, live_server: str, tmp_path: Path, artifacts: Path, dataset: str
) -> None:
    page.goto(live_server)
    status = page.get_by_test_id("connection-status")
    expect(status).to_have_attribute("data-state", "open", timeout=15_000)
    page.get_by_test_id("dataset-select").select_option(dataset)
    units = page.get_by_test_id("layer-units-0")
    units.fill("5")
    units.press("Enter")
    before = _exported_settings(page, tmp_path, "before.json")
    assert before["dataset"]["name"] == dataset and before["network"]["hidden"][0]["units"] == 5

    page.reload()
    expect(status).to_have_attribute("data-state", "open", timeout=15_000)
    after = _exported_settings(page, tmp_path, "after.json")
    assert after == before
    expect(page.get_by_test_id("error-banner")).to_be_hidden()
    expect(page.get_by_test_id("dataset-select")).to_have_value(dataset)
    expect(page.get_by_test_id("layer-units-0")).to_have_value("5")
    page.screenshot(path=str(artifacts / f"reload-{dataset}.png"))
