"""Units you drag (issue 21): lesson 4's two ReLU lines dragged by pointer to a hand solution of
XOR, 100% before any training, the exported weights putting each line where it was dropped;
lesson 5's sigmoid steps moved with the keyboard alone until its check is met."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.test_lesson_lecture import LIVE, checks, expect_passed, open_lesson, press

pytestmark = pytest.mark.e2e

XOR_BOX = (-6.0, 6.0, -6.0, 6.0)
"""xor4's box, as the output's axes show it."""
TARGETS = [((1.5, 1.5), math.pi / 4), ((-1.5, -1.5), -3 * math.pi / 4)]
"""Each unit's line: a point on it and its normal's angle (the active side): x1 + x2 = ±3,
on towards (3, 3) and (−3, −3). Lesson 4's net adds both units, so that solves XOR."""
STEEPNESS = 2 * math.sqrt(2)


def _centre(locator: Locator) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def _drag(page: Page, handle: Locator, to: tuple[float, float]) -> None:
    page.mouse.move(*_centre(handle))
    page.mouse.down()
    page.mouse.move(*to, steps=6)
    page.mouse.up()


def _pixel(canvas: Locator, x: float, y: float) -> tuple[float, float]:
    """Page pixel of data point (x, y) on the output canvas."""
    box = canvas.bounding_box()
    assert box is not None
    xmin, xmax, ymin, ymax = XOR_BOX
    return (
        box["x"] + (x - xmin) / (xmax - xmin) * box["width"],
        box["y"] + (ymax - y) / (ymax - ymin) * box["height"],
    )


def test_dragging_two_relu_lines_solves_xor_before_training(page: Page, live_server: str) -> None:
    lesson = open_lesson(page, live_server, 4, "xor")
    expect(page.get_by_test_id("layer-units-0")).to_have_value("4", timeout=LIVE)  # the preset
    press(lesson, "Two ReLU units, paused")
    expect(page.get_by_test_id("layer-activation-0")).to_have_value("relu", timeout=LIVE)
    page.get_by_test_id("show-unit-lines").check()
    canvas = page.get_by_test_id("boundary-canvas")
    expect(page.get_by_test_id("unit-move-1")).to_be_visible()
    page.wait_for_timeout(1_000)  # the paused net's frames have come and been judged
    expect(checks(page).nth(2)).to_have_attribute("data-state", "pending")
    for unit, ((x, y), angle) in enumerate(TARGETS):
        page.get_by_test_id(f"unit-pick-{unit}").click()  # its handles on top
        # Turn: the end handle pointed along the line (the normal turned a quarter left).
        cx, cy = _centre(page.get_by_test_id(f"unit-move-{unit}"))
        along = angle + math.pi / 2
        turn_to = (cx + 60 * math.cos(along), cy - 60 * math.sin(along))
        _drag(page, page.get_by_test_id(f"unit-rotate-{unit}"), turn_to)
        # Move: the centre dropped on the point.
        _drag(page, page.get_by_test_id(f"unit-move-{unit}"), _pixel(canvas, x, y))
        # Sharpen: the dot where z = 2, at 2 / |w| along the normal.
        d = 2 / STEEPNESS
        dot = _pixel(canvas, x + d * math.cos(angle), y + d * math.sin(angle))
        _drag(page, page.get_by_test_id(f"unit-steepness-{unit}"), dot)
    expect_passed(checks(page).nth(2), LIVE)
    expect(page.get_by_test_id("train-accuracy")).to_have_text(re.compile(r"100"))
    expect(page.get_by_test_id("step-count")).to_have_text("0")

    page.get_by_test_id("file-menu").click()
    with page.expect_download() as download:
        page.get_by_test_id("export-weights").click()
    weights = json.loads(Path(download.value.path()).read_text())["weights"]
    w = weights["0.weight"]["values"]
    b = weights["0.bias"]["values"]
    tolerance = 3 * 12 / (canvas.bounding_box() or {"width": 1})["width"]  # 3 pixels in data
    for unit, ((x, y), angle) in enumerate(TARGETS):
        w1, w2, bias = w[2 * unit], w[2 * unit + 1], b[unit]
        norm = math.hypot(w1, w2)
        assert abs((w1 * x + w2 * y + bias) / norm) < tolerance  # the line passes the drop
        assert abs(math.atan2(w2, w1) - angle) < 0.05  # turned as dropped, active side kept
        assert norm == pytest.approx(STEEPNESS, rel=0.1)

    page.get_by_test_id("play").click()  # does gradient descent keep it?
    expect_passed(checks(page).nth(3), LIVE)


def test_keyboard_alone_moves_the_sine_steps_to_meet_the_bumps_check(
    page: Page, live_server: str
) -> None:
    lesson = open_lesson(page, live_server, 5, "universal-approximation")
    expect(page.get_by_test_id("layer-units-0")).to_have_value("10", timeout=LIVE)  # the preset
    press(lesson, "Two bumps, paused")
    expect(page.get_by_test_id("layer-activation-0")).to_have_value("sigmoid", timeout=LIVE)
    toggle = page.get_by_test_id("show-unit-lines")
    toggle.focus()
    page.keyboard.press("Space")
    expect(toggle).to_be_checked()
    expect(page.get_by_test_id("unit-move-3")).to_be_visible()
    page.wait_for_timeout(1_000)  # the bumps' frames have come: 0.03, not yet under 0.01
    expect(checks(page).nth(2)).to_have_attribute("data-state", "pending")
    page.keyboard.press("Tab")  # the first unit's button
    expect(page.get_by_test_id("unit-pick-0")).to_be_focused()
    for _ in range(4):  # 4 × a fiftieth of [0, 1]: the step from 0 to 0.08
        page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("unit-lines-live")).to_have_text(
        re.compile(r"Unit 1: step at x = 0\.08")
    )
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(page.get_by_test_id("unit-pick-3")).to_be_focused()
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
    expect(page.get_by_test_id("unit-lines-live")).to_have_text(
        re.compile(r"Unit 4: step at x = 0\.92")
    )
    expect_passed(checks(page).nth(2), LIVE)
    expect(page.get_by_test_id("step-count")).to_have_text("0")
