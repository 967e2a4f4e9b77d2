"""The run history in a real browser: runs left behind are kept in IndexedDB across a reload,
and the Runs list compares, reopens, renames and deletes them."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_axe import _serious, axe_page  # noqa: F401 (a fixture)

pytestmark = pytest.mark.e2e

STEPS = "Number(document.querySelector('[data-testid=step-count]').textContent.replace(/,/g, ''))"


def _train(page: Page, steps: int) -> None:
    """Plays until the step counter passes `steps`, then pauses."""
    page.get_by_test_id("play").click()
    page.wait_for_function(f"() => {STEPS} > {steps}", timeout=30_000)
    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("play")).to_be_visible()


def _wait_connected(page: Page) -> None:
    expect(page.get_by_test_id("connection-status")).to_have_attribute(
        "data-state", "open", timeout=15_000
    )


def _open_runs(page: Page) -> None:
    page.get_by_test_id("runs-open").click()
    expect(page.get_by_test_id("runs-panel")).to_be_visible()


def test_runs_survive_a_reload_and_compare_reopen_rename_delete(
    page: Page, live_server: str, artifacts: Path
) -> None:
    page.goto(live_server)
    _wait_connected(page)
    activation = page.get_by_test_id("layer-activation-0")
    first = activation.input_value()
    other = "relu" if first != "relu" else "tanh"

    _train(page, 20)
    page.get_by_test_id("reset").click()
    expect(page.get_by_test_id("step-count")).to_have_text("0")
    activation.select_option(other)  # a change that restarts: the reset run (0 steps) is not kept
    _train(page, 20)

    page.reload()
    _wait_connected(page)
    _open_runs(page)
    items = page.get_by_test_id("run-item")
    expect(items).to_have_count(2)
    names = page.get_by_test_id("run-name")
    expect(names.nth(0)).to_contain_text(f"{other} ")  # newest first
    expect(names.nth(1)).to_contain_text(f"{first} ")
    expect(page.locator("[data-testid=run-item] img").first).to_be_visible()  # the thumbnail

    # Compare: one curve per run, and the settings table marks the activation.
    page.get_by_test_id("run-select").nth(0).check()
    page.get_by_test_id("run-select").nth(1).check()
    page.get_by_test_id("runs-compare").click()
    chart = page.get_by_test_id("compare-chart")
    expect(chart).to_have_attribute("data-series", "2")
    expect(chart.locator("canvas")).to_be_visible()
    expect(page.get_by_test_id("compare-legend").locator("li")).to_have_count(2)
    differing = page.locator("[data-testid=compare-diff] tbody tr[data-differs=true]")
    expect(differing).to_have_count(1)
    expect(differing).to_contain_text("network.hidden.0.activation")
    expect(differing).to_contain_text(first)
    expect(differing).to_contain_text(other)
    page.screenshot(path=str(artifacts / "runs-compare.png"))
    page.get_by_test_id("runs-back").click()

    # Rename in place with the keyboard.
    page.get_by_test_id("run-rename").nth(1).click()
    field = page.get_by_test_id("run-rename-input")
    field.fill("the first one")
    field.press("Enter")
    expect(names.nth(1)).to_have_text("the first one")
    page.screenshot(path=str(artifacts / "runs-panel.png"))

    # Reopen the first run: its setup comes back.
    page.get_by_test_id("run-reopen").nth(1).click()
    expect(page.get_by_test_id("runs-panel")).to_be_hidden()
    expect(activation).to_have_value(first)
    expect(page.get_by_test_id("error-banner")).to_be_hidden()

    # Delete one; the rename and the deletion are still there after a reload.
    _open_runs(page)
    expect(items).to_have_count(2)  # reopening and not training keeps nothing new
    page.get_by_test_id("run-delete").nth(0).click()
    expect(items).to_have_count(1)
    page.reload()
    _wait_connected(page)
    _open_runs(page)
    expect(items).to_have_count(1)
    expect(names.nth(0)).to_have_text("the first one")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("runs-panel")).to_be_hidden()
    expect(page.get_by_test_id("runs-open")).to_be_focused()


def test_a_run_kept_with_its_weights_reopens_trained(page: Page, live_server: str) -> None:
    page.goto(live_server)
    _wait_connected(page)
    _open_runs(page)
    page.get_by_test_id("runs-keep-weights").check()
    page.keyboard.press("Escape")
    _train(page, 30)
    trained = page.get_by_test_id("step-count").inner_text()
    loss = page.get_by_test_id("test-loss").inner_text()
    page.get_by_test_id("reset").click()
    expect(page.get_by_test_id("step-count")).to_have_text("0")

    _open_runs(page)
    expect(page.get_by_test_id("run-metrics").first).to_contain_text("weights kept")
    page.get_by_test_id("run-reopen").first.click()
    # The trained network is back: its step and its test loss, not a fresh one's.
    expect(page.get_by_test_id("step-count")).to_have_text(trained)
    expect(page.get_by_test_id("test-loss")).to_have_text(loss)


def test_axe_finds_nothing_serious_in_the_runs_list_and_the_comparison(axe_page: Page) -> None:  # noqa: F811
    page = axe_page
    for _ in range(2):
        _train(page, 10)
        page.get_by_test_id("reset").click()
        expect(page.get_by_test_id("step-count")).to_have_text("0")
    _open_runs(page)
    expect(page.get_by_test_id("run-item")).to_have_count(2)
    assert _serious(page) == []
    page.get_by_test_id("run-select").nth(0).check()
    page.get_by_test_id("run-select").nth(1).check()
    page.get_by_test_id("runs-compare").click()
    expect(page.get_by_test_id("compare-chart").locator("canvas")).to_be_visible()
    assert _serious(page) == []
