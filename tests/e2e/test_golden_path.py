"""The golden path of CONTRACT §4 in a real browser: connect, build, train, pause, look."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def number(page: Page, test_id: str) -> float:
    text = page.get_by_test_id(test_id).inner_text().strip().rstrip("%")
    return float(text)


def distinct_canvas_colours(page: Page) -> int:
    return int(
        page.get_by_test_id("boundary-canvas").evaluate(
            """canvas => {
                const ctx = canvas.getContext('2d');
                const {data} = ctx.getImageData(0, 0, canvas.width, canvas.height);
                const seen = new Set();
                for (let i = 0; i < data.length; i += 4 * 97) {
                    seen.add(data[i] << 16 | data[i + 1] << 8 | data[i + 2]);
                }
                return seen.size;
            }"""
        )
    )


def test_build_train_pause_and_see_the_boundary(
    page: Page, live_server: str, artifacts: Path
) -> None:
    page.goto(live_server)
    status = page.get_by_test_id("connection-status")
    expect(status).to_have_attribute("data-state", "open", timeout=15_000)
    expect(status).to_contain_text("connected")

    page.get_by_test_id("dataset-select").select_option("xor")
    layers_before = page.locator("[data-testid^=layer-units-]").count()
    page.get_by_test_id("add-layer").click()
    expect(page.locator("[data-testid^=layer-units-]")).to_have_count(layers_before + 1)
    expect(page.get_by_test_id("step-count")).to_have_text("0")

    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("pause")).to_be_visible()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=step-count]').textContent) > 200"
    )
    first_loss = number(page, "test-loss")
    value = "Number(document.querySelector('[data-testid={}]').textContent)".format
    page.wait_for_function(
        f"() => {value('test-loss')} < {first_loss} && {value('step-count')} > 1500",
        timeout=30_000,
    )

    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("play")).to_be_visible()
    paused_at = page.get_by_test_id("step-count").inner_text()
    page.wait_for_timeout(600)  # absence of progress can only be seen by waiting
    assert page.get_by_test_id("step-count").inner_text() == paused_at
    assert number(page, "test-loss") < first_loss
    assert distinct_canvas_colours(page) > 20, "the boundary canvas looks blank"
    page.screenshot(path=str(artifacts / "golden-path.png"))


def test_step_button_runs_one_step_and_shows_no_error(page: Page, live_server: str) -> None:
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("step-count")).to_have_text("1")
    expect(page.get_by_test_id("error-banner")).to_be_hidden()
