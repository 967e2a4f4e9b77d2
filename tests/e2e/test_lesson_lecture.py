"""Lessons 4, 5, 6, 9 and 11 in a real browser, as a student follows them: open the lesson fresh,
see that no check is green yet, do what its text says, and watch each check turn green."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.e2e

LIVE = 30_000
"""Bounded time for a live check (a preset's first frame, or training at full pace)."""
EXPERIMENT = 180_000
"""Bounded time for a server experiment on a busy two-core machine."""


def open_lesson(page: Page, live_server: str, number: int, lesson_id: str) -> Locator:
    """Open lesson `number` as a fresh page: by #lesson=N where the page knows it, else by the
    lessons panel. Returns the lesson's element."""
    page.goto(f"{live_server}/#lesson={number}")
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    current = page.locator(f'[data-testid="lesson-current"][data-lesson="{lesson_id}"]')
    try:
        current.wait_for(timeout=3_000)
    except Exception:  # no #lesson=N in this build: pick it in the panel
        if not page.get_by_test_id("lessons-panel").is_visible():
            page.get_by_test_id("lessons-button").click()
        page.get_by_test_id(f"lesson-{lesson_id}").click()
    expect(current).to_be_visible()
    speed = page.get_by_test_id("speed")
    if speed.count():
        speed.select_option("max")
    return current


def checks(page: Page) -> Locator:
    """The open lesson's checks (`lesson-check-{i}`, or `lesson-check` each)."""
    return page.locator('[data-testid="lesson-current"] [data-testid^="lesson-check"]')


def _passed(check: Locator) -> bool:
    state = check.get_attribute("data-state")
    return state == "passed" if state is not None else check.get_attribute("data-passed") == "true"


def expect_passed(check: Locator, timeout: float) -> None:
    if check.get_attribute("data-state") is not None:
        expect(check).to_have_attribute("data-state", "passed", timeout=timeout)
    else:
        expect(check).to_have_attribute("data-passed", "true", timeout=timeout)


def expect_none_passed(page: Page, count: int) -> None:
    expect(checks(page)).to_have_count(count)
    page.wait_for_timeout(1_000)  # the preset's first frames have arrived and been judged
    states = [_passed(checks(page).nth(i)) for i in range(count)]
    assert states == [False] * count


def press(lesson: Locator, label: str) -> None:
    lesson.get_by_role("button", name=label, exact=True).click()


def run_experiment(page: Page, noisy: bool = False) -> None:
    page.get_by_test_id("lesson-experiment-noisy" if noisy else "lesson-experiment").click()


def test_lesson_4_the_two_unit_solution_and_the_seeds(page: Page, live_server: str) -> None:
    lesson = open_lesson(page, live_server, 4, "xor")
    expect(page.get_by_test_id("dataset-select")).to_have_value("xor4")
    expect_none_passed(page, 4)  # the last two: hand-solving by dragging (test_unit_lines.py)
    press(lesson, "The two-unit solution")
    expect_passed(checks(page).nth(0), LIVE)
    expect(page.get_by_test_id("test-accuracy")).to_have_text(re.compile(r"100|1\.0"))
    expect(page.get_by_test_id("step-count")).to_have_text("0")  # paused: the weights did it
    expect(page.get_by_test_id("layer-units-0")).to_have_value("2")
    run_experiment(page)
    expect_passed(checks(page).nth(1), EXPERIMENT)
    expect(page.get_by_test_id("lesson-plot").first).to_contain_text("classic XOR")
    expect(lesson).to_contain_text("27 times with two units")
    expect(page.get_by_test_id("lesson-plot").first).to_contain_text("27/100")


def test_lesson_5_sigmoid_bumps_beside_relu(page: Page, live_server: str) -> None:
    lesson = open_lesson(page, live_server, 5, "universal-approximation")
    expect_none_passed(page, 3)  # the last: dragged steps (test_unit_lines.py)
    press(lesson, "10 bumps (20 sigmoids)")
    expect_passed(checks(page).nth(0), LIVE)
    expect(page.get_by_test_id("dataset-select")).to_have_value("sine")
    expect(page.get_by_test_id("layer-activation-0")).to_have_value("sigmoid")
    run_experiment(page)
    expect_passed(checks(page).nth(1), EXPERIMENT)
    expect(page.get_by_test_id("lesson-plot").first).to_contain_text("sigmoid bumps, built")


def test_lesson_6_training_then_the_folding_net(page: Page, live_server: str) -> None:
    lesson = open_lesson(page, live_server, 6, "depth-vs-width")
    expect_none_passed(page, 3)  # the third, your own activation: tests/e2e/test_expression.py
    page.get_by_test_id("play").click()
    expect_passed(checks(page).nth(0), 90_000)
    page.get_by_test_id("pause").click()
    assert not _passed(checks(page).nth(1))  # training alone does not reach the folding net's
    press(lesson, "Folding, depth 2")
    expect_passed(checks(page).nth(1), LIVE)
    expect(page.get_by_test_id("regions-count")).to_have_text(re.compile(r"^\s*256\s*$"))
    # The experiment: the two constructions in rows of their own, the sentence from the numbers.
    page.get_by_role("tab", name="Depth vs width").click()
    page.get_by_test_id("explore-run").click()
    expect(page.get_by_test_id("explore-montufar")).to_contain_text(re.compile(r"9\D?472"))
    folding = page.get_by_test_id("explore-folding")
    expect(folding).to_contain_text(re.compile(r"4\D?096"))  # L = 3 · 8: what depth 3 loads
    expect(page.get_by_test_id("explore-sentence")).to_contain_text("fewer with depth")


def test_lesson_9_the_peak_at_the_threshold(page: Page, live_server: str) -> None:
    open_lesson(page, live_server, 9, "double-descent")
    expect_none_passed(page, 2)
    run_experiment(page)
    expect_passed(checks(page).nth(0), EXPERIMENT)
    expect(page.get_by_test_id("lesson-plot").first).to_contain_text("p = n = 40")
    expect(page.get_by_test_id("lesson-plot").first).to_contain_text("trained one-layer ReLU nets")
    assert not _passed(checks(page).nth(1))  # clean labels: the peak stays low
    run_experiment(page, noisy=True)
    expect_passed(checks(page).nth(1), EXPERIMENT)


def test_lesson_11_leakage_and_shape_asserts(page: Page, live_server: str) -> None:
    open_lesson(page, live_server, 11, "suspicious-results")
    expect_none_passed(page, 2)
    run_experiment(page)
    expect_passed(checks(page).nth(0), EXPERIMENT)
    expect_passed(checks(page).nth(1), LIVE)
    plots = page.get_by_test_id("lesson-plot")
    expect(plots.nth(0)).to_contain_text("Leakage")
    expect(plots.nth(1)).to_contain_text("Shape bug")
    page.get_by_test_id("file-menu").click()
    page.get_by_test_id("copy-pytorch").click()
    expect(page.get_by_test_id("pytorch-code")).to_contain_text("assert out.shape == y.shape")
