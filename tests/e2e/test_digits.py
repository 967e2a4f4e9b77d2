"""Image data in a real browser: pick the digits, train softmax regression, see what it learned."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

TARGET = 90.0
TIMEOUT_S = 90.0


def percent(page: Page, test_id: str) -> float | None:
    text = page.get_by_test_id(test_id).inner_text().strip().rstrip("%")
    try:
        return float(text)
    except ValueError:
        return None  # "—" before the first frame


def test_digits_train_to_90_percent_with_weight_images_and_confusion(
    page: Page, live_server: str, artifacts: Path
) -> None:
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute(
        "data-state", "open", timeout=15_000
    )
    tile = page.get_by_test_id("dataset-tile-digits")
    tile.click()
    expect(tile).to_have_attribute("aria-checked", "true")
    expect(page.get_by_test_id("feature-pixels")).to_contain_text("64 pixels")
    # Softmax regression: no hidden layers, one weight image per digit.
    remove = page.get_by_test_id("remove-layer")
    for _ in range(8):
        if not remove.is_enabled():
            break
        remove.click()
        page.wait_for_timeout(200)
    expect(page.get_by_test_id("architecture")).to_have_text("64 inputs → 10 outputs")
    # The plane-based controls are gone: no canvas, no data editing, no test-data toggle.
    expect(page.get_by_test_id("boundary-canvas")).to_have_count(0)
    expect(page.get_by_test_id("edit-data")).to_have_count(0)
    expect(page.get_by_test_id("show-test-data")).to_have_count(0)

    page.get_by_test_id("play").click()
    deadline = time.monotonic() + TIMEOUT_S
    accuracy = None
    while time.monotonic() < deadline:
        accuracy = percent(page, "test-accuracy")
        if accuracy is not None and accuracy >= TARGET:
            break
        page.wait_for_timeout(250)
    assert accuracy is not None and accuracy >= TARGET, f"test accuracy {accuracy}%"

    weights = page.get_by_test_id("weight-images")
    expect(weights).to_be_visible()
    expect(weights).to_have_attribute("data-count", "10")
    expect(weights.locator("canvas")).to_have_count(10)
    matrix = page.get_by_test_id("confusion-matrix")
    expect(matrix).to_be_visible()
    expect(matrix.locator("tbody tr")).to_have_count(10)
    expect(matrix.locator("tbody td")).to_have_count(100)
    expect(page.get_by_test_id("confusion-accuracy")).to_contain_text("right")
    page.get_by_test_id("pause").click()
    page.screenshot(path=str(artifacts / "digits.png"), full_page=True)
