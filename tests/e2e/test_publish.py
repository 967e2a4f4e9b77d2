"""Publish a trained run, open its link in a fresh browser: the same run, read-only, exactly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.e2e

STEP = "Number(document.querySelector('[data-testid=step-count]').textContent)"


def canvas_pixels(page: Page) -> str:
    """The boundary canvas as a PNG data URL: equal strings, equal pixels.

    Read once it holds still: the canvas draws the newest frame on the next animation frame,
    and a frame that carries weights only after the page's worker has evaluated its grid (up
    to two evaluations queued ahead of it), so a read right after the step count changed could
    still show the frame before it.
    """
    canvas = page.get_by_test_id("boundary-canvas")
    read = """canvas => new Promise(done => setTimeout(() => requestAnimationFrame(
        () => requestAnimationFrame(() => done(canvas.toDataURL()))), 200))"""
    previous, current = "", str(canvas.evaluate(read))
    for _ in range(50):
        if current == previous:
            return current
        previous, current = current, str(canvas.evaluate(read))
    raise AssertionError("the boundary canvas kept changing while paused")


def open_page(page: Page, address: str) -> None:
    page.goto(address)
    expect(page.get_by_test_id("connection-status")).to_have_attribute(
        "data-state", "open", timeout=15_000
    )


def test_a_published_run_opens_read_only_with_the_same_picture(
    page: Page,
    browser: Browser,
    browser_context_args: dict[str, Any],
    live_server: str,
    artifacts: Path,
) -> None:
    open_page(page, live_server)
    page.get_by_test_id("dataset-select").select_option("xor")
    page.get_by_test_id("play").click()
    page.wait_for_function(f"() => {STEP} > 300", timeout=30_000)
    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("play")).to_be_visible()
    step = page.get_by_test_id("step-count").inner_text()
    picture = canvas_pixels(page)

    page.get_by_test_id("file-menu").click()
    page.get_by_test_id("publish-run").click()
    dialog = page.get_by_test_id("publish-dialog")
    expect(dialog).to_contain_text(f"step {step}")
    page.get_by_test_id("publish-confirm").click()
    link = page.get_by_test_id("publish-link")
    expect(link).to_be_visible(timeout=15_000)
    address = link.input_value()
    assert address.startswith(f"{live_server}/#run=")
    page.screenshot(path=artifacts / "publish-dialog.png")

    fresh = browser.new_context(**browser_context_args)  # no storage shared with the first
    try:
        viewer = fresh.new_page()
        open_page(viewer, address)
        bar = viewer.get_by_test_id("published-bar")
        expect(bar).to_contain_text("Published run — read-only")
        expect(bar).to_contain_text(f"trained to step {step}")
        expect(viewer.get_by_test_id("step-count")).to_have_text(step)
        expect(viewer.get_by_test_id("dataset-select")).to_have_value("xor")
        expect(viewer.get_by_test_id("play")).to_be_disabled()
        expect(viewer.get_by_test_id("reset")).to_be_disabled()
        # The loss curve came with it: the chart is not empty at the published step.
        viewer.wait_for_function(f"() => {STEP} === {step}")
        viewer.wait_for_function(
            """picture => document.querySelector('[data-testid=boundary-canvas]')
                .toDataURL() === picture""",
            arg=picture,
            timeout=15_000,
        )
        assert canvas_pixels(viewer) == picture
        viewer.screenshot(path=artifacts / "published-read-only.png")

        viewer.get_by_test_id("train-copy").click()
        expect(bar).to_be_hidden()
        assert "run=" not in viewer.evaluate("location.hash")
        viewer.get_by_test_id("step").click()
        expect(viewer.get_by_test_id("step-count")).to_have_text(str(int(step) + 1))
    finally:
        fresh.close()


def test_a_link_to_a_missing_run_says_so_and_starts_from_the_defaults(
    page: Page, live_server: str
) -> None:
    open_page(page, f"{live_server}/#run={'A' * 24}")
    expect(page.get_by_test_id("error-banner")).to_contain_text(
        "The published run in this link cannot be opened: no published run has this id"
    )
    expect(page.get_by_test_id("published-bar")).to_be_hidden()
    expect(page.get_by_test_id("play")).to_be_enabled()
    assert "run=" not in page.evaluate("location.hash")
