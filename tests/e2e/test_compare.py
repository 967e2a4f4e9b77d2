"""Compare in lanes in a real browser: fork into 3 activations, watch them train, keep one."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

TEXT = "Number(document.querySelector('[data-testid={}]').textContent)".format


def painted_colours(page: Page, test_id: str) -> int:
    return int(
        page.get_by_test_id(test_id).evaluate(
            """canvas => {
                const ctx = canvas.getContext('2d');
                const {data} = ctx.getImageData(0, 0, canvas.width, canvas.height);
                const seen = new Set();
                for (let i = 0; i < data.length; i += 4 * 31) {
                    seen.add(data[i] << 16 | data[i + 1] << 8 | data[i + 2]);
                }
                return seen.size;
            }"""
        )
    )


def curve_lengths(page: Page) -> list[int]:
    return [
        len(d or "")
        for d in page.locator("[data-testid=lanes-chart] path").evaluate_all(
            "paths => paths.map(p => p.getAttribute('d'))"
        )
    ]


def test_fork_into_three_activations_watch_them_and_promote_one(
    page: Page, live_server: str, artifacts: Path
) -> None:
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")

    # The dialog works from the keyboard: Enter opens it, Escape closes it.
    page.get_by_test_id("compare-open").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_test_id("compare-dialog")
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.get_by_test_id("compare-open").click()
    page.get_by_test_id("compare-setting").select_option("activation")
    expect(page.get_by_test_id("compare-value-0")).to_contain_text("tanh")
    page.get_by_test_id("compare-value-1").select_option("relu")
    page.get_by_test_id("compare-value-2").select_option("sigmoid")
    page.get_by_test_id("compare-start").click()
    expect(dialog).to_be_hidden()

    view = page.get_by_test_id("lanes-view")
    expect(view).to_be_visible()
    expect(page.get_by_test_id("lanes-setting")).to_contain_text("Activation")
    for i, name in enumerate(["tanh", "relu", "sigmoid"]):
        expect(page.get_by_test_id(f"lanes-row-{i}")).to_contain_text(name)
        expect(page.get_by_test_id(f"lane-thumb-{i}")).to_be_visible()
    expect(page.get_by_test_id("lanes-chart")).to_contain_text("1 · tanh")

    page.get_by_test_id("play").click()
    page.wait_for_function(f"() => {TEXT('lane-step-2')} > 100", timeout=30_000)
    early = curve_lengths(page)
    page.wait_for_function(f"() => {TEXT('lane-step-2')} > 600", timeout=30_000)
    later = curve_lengths(page)
    assert len(later) == 6 and all(b > a for a, b in zip(early, later, strict=True))
    assert all(painted_colours(page, f"lane-thumb-{i}") > 3 for i in range(3))
    page.screenshot(path=str(artifacts / "compare-lanes.png"))

    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("play")).to_be_visible()
    page.wait_for_function(
        f"() => {TEXT('lane-step-1')} === {TEXT('step-count')}"
        f" && {TEXT('lane-step-0')} === {TEXT('lane-step-1')}"
    )
    step = int(page.get_by_test_id("lane-step-1").inner_text())
    assert step > 600
    page.get_by_test_id("lane-promote-1").click()

    expect(view).to_be_hidden()
    expect(page.get_by_test_id("boundary-canvas")).to_be_visible()
    expect(page.get_by_test_id("layer-activation-0")).to_have_value("relu")
    expect(page.get_by_test_id("step-count")).to_have_text(str(step))
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("step-count")).to_have_text(str(step + 1))
