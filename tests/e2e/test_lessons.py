"""The lessons panel in a real browser: two lessons in a row, and one experiment."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def test_walk_two_lessons_and_run_an_experiment(page: Page, live_server: str) -> None:
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    page.get_by_test_id("lessons-button").click()
    panel = page.get_by_test_id("lessons-panel")
    expect(panel).to_be_visible()

    # Lesson 1: its preset loads gauss; training turns the check green.
    page.get_by_test_id("lesson-linear-model").click()
    expect(page.get_by_test_id("dataset-select")).to_have_value("gauss")
    check = page.get_by_test_id("lesson-check").first
    expect(check).to_have_attribute("data-state", "pending")
    page.get_by_test_id("play").click()
    expect(check).to_have_attribute("data-state", "passed", timeout=20_000)
    page.get_by_test_id("pause").click()
    # Lesson 1 has more checks (circle, saturation): one of four is not done.
    expect(page.get_by_test_id("lesson-linear-model")).to_have_attribute("data-done", "false")
    expect(page.get_by_test_id("lesson-linear-model")).to_contain_text("1")

    # Next: lesson 2 starts with its own preset and a fresh check.
    page.get_by_test_id("lesson-next").click()
    expect(page.get_by_test_id("dataset-select")).to_have_value("blobs")
    expect(page.get_by_test_id("lesson-check").first).to_have_attribute("data-state", "pending")
    expect(page.get_by_test_id("lesson-action-0")).to_be_visible()

    # Double descent: the experiment answers with a plot and the p = n marker.
    page.get_by_test_id("lesson-double-descent").click()
    page.get_by_test_id("lesson-experiment").click()
    plot = page.get_by_test_id("lesson-plot")
    expect(plot).to_be_visible(timeout=30_000)
    expect(plot).to_contain_text("p = n = 40")
    expect(page.get_by_test_id("error-banner")).to_be_hidden()

    # Free play leaves the lesson and keeps the setup.
    page.get_by_test_id("free-play").click()
    expect(panel).to_be_hidden()
    expect(page.get_by_test_id("dataset-select")).to_have_value("moons")
