"""Feedback that helps, in a real browser (issue 14, points 4 and 5): field messages that cover
nothing, Play and Step that say why they wait, one banner at a time that goes when its cause is
fixed, and monitor charts that show the run so far and clear with a reset."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.test_inside import _defaults, _hash_for, _open
from tests.e2e.test_toolbox import STEP, csv_file, save_screenshot

pytestmark = pytest.mark.e2e

SIX_POINTS = b"x1,x2,label\n-2,-2,0\n-1,-2,0\n-2,-1,0\n2,2,1\n1,2,1\n2,1,1\n"


@pytest.fixture
def connected(page: Page, live_server: str) -> Iterator[Page]:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield _open(page, live_server)
    assert errors == [], f"uncaught errors on the page: {errors}"


def _box(locator: Locator) -> dict[str, float]:
    box = locator.bounding_box()
    assert box is not None, "the element is not on the page"
    return box


def _overlap(a: dict[str, float], b: dict[str, float]) -> bool:
    return (
        a["x"] < b["x"] + b["width"] - 0.5
        and b["x"] < a["x"] + a["width"] - 0.5
        and a["y"] < b["y"] + b["height"] - 0.5
        and b["y"] < a["y"] + a["height"] - 0.5
    )


def _controls_hit(page: Page, box: dict[str, float], own: str) -> list[str]:
    """Visible controls (inputs, selects, buttons, field labels) the box covers, but the
    field `own` the message belongs to."""
    hits: list[str] = page.evaluate(
        """([box, own]) => {
            const hit = [];
            const mine = document.querySelector(`[data-testid="${own}"]`)?.closest('label');
            for (const el of document.querySelectorAll(
                'input, select, button, .field-label, label')) {
                if (mine && (el === mine || mine.contains(el))) continue;
                const r = el.getBoundingClientRect();
                if (!r.width || !r.height) continue;
                if (r.left < box.x + box.width - 0.5 && box.x < r.right - 0.5 &&
                    r.top < box.y + box.height - 0.5 && box.y < r.bottom - 0.5)
                    hit.push(el.dataset.testid || el.textContent.trim().slice(0, 30));
            }
            return hit;
        }""",
        [box, own],
    )
    return hits


def test_an_invalid_learning_rate_holds_play_back_and_says_why(
    connected: Page, artifacts: Path
) -> None:
    page = connected
    rate = page.get_by_test_id("learning-rate")
    rate.fill("0")
    problem = page.get_by_test_id("learning-rate-problem")
    expect(problem).to_contain_text("must be at least")
    page.wait_for_timeout(600)  # past the field's debounce: nothing was committed
    play = page.get_by_test_id("play")
    expect(play).to_have_attribute("aria-disabled", "true")
    expect(play).to_have_attribute("title", "Fix Learning rate: " + problem.inner_text())
    # aria-disabled: still focusable and clickable (playwright waits for "enabled" unless forced).
    play.click(force=True)
    banner = page.get_by_test_id("error-banner")
    expect(banner).to_contain_text("Fix Learning rate: must be at least")
    expect(rate).to_be_focused()
    page.get_by_test_id("step").focus()
    page.keyboard.press("Enter")
    expect(rate).to_be_focused()
    page.wait_for_timeout(800)
    assert page.evaluate(STEP) == 0, "it trained on the old learning rate"
    expect(rate).to_have_value("0")  # what was typed stays
    save_screenshot(page, artifacts, "feedback-invalid-rate.png")

    rate.fill("0.03")
    expect(banner).to_be_hidden()
    expect(play).to_have_attribute("aria-disabled", "false")
    play.click()
    page.wait_for_function(f"() => {STEP} > 0")
    page.get_by_test_id("pause").click()


def _open_folds(page: Page) -> None:
    """Open the folded groups that hold the fields below, as a learner would."""
    page.get_by_test_id("layer-options-0").click()
    page.get_by_test_id("training-more").locator("summary").click()


def test_field_messages_sit_below_their_field_and_cover_nothing(
    connected: Page, artifacts: Path
) -> None:
    page = connected
    _open_folds(page)
    cases = [
        ("layer-units-0", "3.5"),
        ("layer-dropout-0", "5"),
        ("learning-rate", "0"),
        ("batch-size", "2.5"),
        ("seed", ""),
        ("points", "1e9"),
        ("weight-decay", "-1"),
    ]
    for testid, text in cases:
        page.get_by_test_id(testid).fill(text)
    for testid, _ in cases:
        field = page.get_by_test_id(testid)
        problem = page.get_by_test_id(f"{testid}-problem")
        expect(problem).to_be_visible()
        field_box, problem_box = _box(field), _box(problem)
        assert problem_box["y"] >= field_box["y"] + field_box["height"] - 0.5, testid
        assert not _controls_hit(page, problem_box, testid), (
            f"{testid}'s message covers {_controls_hit(page, problem_box, testid)}"
        )
        # Its text is whole: nothing cut off by its box.
        assert problem.evaluate("e => e.scrollWidth <= e.clientWidth + 1"), testid
    # A message lengthens its own cell only: the inputs beside it stay level with it.
    for a, b in [
        ("weight-decay", "schedule-select"),  # row neighbours in the left column's fold
        ("learning-rate", "optimizer-select"),
        ("seed", "new-seed"),
        ("layer-units-0", "units-minus-0"),
        ("layer-units-0", "units-plus-0"),
        ("points", "seed"),
    ]:
        top_a, top_b = _box(page.get_by_test_id(a))["y"], _box(page.get_by_test_id(b))["y"]
        assert abs(top_a - top_b) < 1.5, f"{a} at {top_a}, {b} at {top_b}"
    save_screenshot(page, artifacts, "feedback-field-messages.png")


def test_a_six_point_csv_sets_the_data_controls_without_a_red_field(connected: Page) -> None:
    page = connected
    page.get_by_test_id("csv-upload").set_input_files(csv_file("six.csv", SIX_POINTS))
    expect(page.get_by_test_id("data-point-count")).to_have_text("6 points")
    points = page.get_by_test_id("points")
    expect(points).to_have_value("6")
    expect(points).to_have_attribute("aria-invalid", "false")
    expect(points).to_be_disabled()
    expect(page.get_by_test_id("points-problem")).to_have_count(0)
    expect(page.get_by_test_id("error-banner")).to_have_count(0)
    expect(page.get_by_test_id("play")).to_have_attribute("aria-disabled", "false")


def test_two_bad_csv_files_then_a_good_one_leave_no_banner(connected: Page) -> None:
    page = connected
    upload = page.get_by_test_id("csv-upload")
    banner = page.get_by_test_id("error-banner")
    upload.set_input_files(csv_file("words.csv", b"hello world\n"))
    expect(banner).to_contain_text("CSV file not used")
    upload.set_input_files(csv_file("far.csv", b"x1,x2,label\n1e9,0,0\n"))
    expect(banner).to_contain_text("outside the box")
    # One message at a time: the newest.
    expect(page.get_by_test_id("error-message")).to_have_count(1)
    upload.set_input_files(csv_file("six.csv", SIX_POINTS))
    expect(page.get_by_test_id("data-point-count")).to_have_text("6 points")
    expect(banner).to_have_count(0)


def test_the_divergence_banner_covers_no_layer_control_and_escape_dismisses_it(
    page: Page, live_server: str, artifacts: Path
) -> None:
    settings: dict[str, Any] = _defaults(live_server)
    settings["network"]["hidden"] = [{"units": 4, "activation": "linear"}] * 2
    settings["training"].update(optimizer="sgd", learning_rate=10.0)
    _open(page, live_server + "/" + _hash_for(settings))
    page.get_by_test_id("layer-options-0").click()
    page.get_by_test_id("play").click()
    banner = page.get_by_test_id("error-banner")
    expect(banner).to_contain_text("diverged at step", timeout=20_000)
    expect(page.get_by_test_id("error-message")).to_have_count(1)
    banner_box = _box(banner)
    for testid in [
        "layer-units-0",
        "layer-activation-0",
        "layer-batch-norm-0",
        "layer-dropout-0",
        "units-minus-0",
        "units-plus-0",
        "learning-rate",
        "play",
    ]:
        assert not _overlap(banner_box, _box(page.get_by_test_id(testid))), testid
    save_screenshot(page, artifacts, "feedback-diverged.png")
    page.locator("body").press("Escape")
    expect(banner).to_have_count(0)


def test_monitors_opened_after_training_show_the_run_so_far(connected: Page) -> None:
    page = connected
    page.get_by_test_id("play").click()
    page.wait_for_timeout(2500)
    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("play")).to_be_visible()
    step = page.evaluate(STEP)
    page.get_by_test_id("inside-tab-monitors").click()
    charts = page.get_by_test_id("monitor-charts")
    expect(charts).to_be_visible()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=monitor-charts]').dataset.samples) >= 3"
    )
    assert int(charts.get_attribute("data-last-step") or -1) == step
    expect(charts.locator(".empty")).to_have_count(0)


def test_a_reset_clears_every_monitor_chart(connected: Page, artifacts: Path) -> None:
    page = connected
    page.get_by_test_id("inside-tab-monitors").click()
    page.get_by_test_id("play").click()
    page.wait_for_function(f"() => {STEP} > 300")
    page.get_by_test_id("pause").click()
    charts = page.get_by_test_id("monitor-charts")
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=monitor-charts]').dataset.samples) > 2"
    )
    page.get_by_test_id("reset").click()
    expect(page.get_by_test_id("step-count")).to_have_text("0")
    expect(charts).to_have_attribute("data-last-step", "0")
    expect(charts).to_have_attribute("data-samples", "1")
    page.get_by_test_id("step").click()
    expect(charts).to_have_attribute("data-last-step", "1")
    expect(charts).to_have_attribute("data-samples", "2")
    page.wait_for_timeout(300)  # a frame for the charts to draw (a RangeError would show)
    save_screenshot(page, artifacts, "feedback-monitors-after-reset.png")
