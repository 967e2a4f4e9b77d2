"""Linear regions in a real browser: live count, folding preset, depth-vs-width explorer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_count_fold_and_explore_regions(page: Page, live_server: str, artifacts: Path) -> None:
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")

    # A ReLU network: after a step the count is an exact integer.
    layers = page.locator("[data-testid^=layer-activation-]")
    expect(layers.first).to_be_visible()
    for i in range(layers.count()):
        page.get_by_test_id(f"layer-activation-{i}").select_option("relu")
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("regions-count")).to_have_text(re.compile(r"^\d+$"))
    assert int(page.get_by_test_id("regions-count").inner_text()) >= 1

    # The regions view charts the count and sets it against the bounds.
    page.get_by_test_id("tab-regions").click()
    expect(page.get_by_test_id("regions-chart")).to_be_visible()
    expect(page.get_by_test_id("region-theory")).to_contain_text("Serra")
    expect(page.get_by_test_id("theory-achieved")).to_have_text(re.compile(r"^[\d\u2009]+$"))

    # The folding preset, depth 2: 16² regions, drawn on the canvas.
    page.get_by_test_id("tab-depth-width").click()
    page.get_by_test_id("show-region-edges").check()
    page.get_by_test_id("preset-folding-2").click()
    expect(page.get_by_test_id("regions-count")).to_have_text("256", timeout=15_000)
    expect(page.get_by_test_id("region-overlay-note")).to_have_text("256 drawn")
    expect(page.get_by_test_id("layer-units-1")).to_have_value("8")
    expect(page.locator("[data-testid^=layer-units-]")).to_have_count(2)

    # The explorer on a small budget: one row of counts per depth.
    budget = page.get_by_test_id("explore-budget")
    budget.fill("8")
    budget.press("Enter")
    seeds = page.get_by_test_id("explore-seeds")
    seeds.fill("2")
    seeds.press("Enter")
    page.get_by_test_id("explore-run").click()
    results = page.get_by_test_id("explore-results")
    expect(results.get_by_role("table")).to_be_visible(timeout=30_000)
    expect(results).to_contain_text("L=1 · 8")
    expect(results).to_contain_text("L=4 · 2")
    expect(page.get_by_test_id("explore-run")).to_be_enabled()
    expect(page.get_by_test_id("error-banner")).to_be_hidden()
    page.screenshot(path=str(artifacts / "regions.png"))
