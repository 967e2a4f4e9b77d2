"""CONTRACT §6, "one screen" and "any device": while the default setup trains, what a learner
watches is fully on the first screen, and no size of screen scrolls sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

WATCHED = ["boundary-canvas", "loss-chart", "network-diagram", "step-count", "pause"]


def box(page: Page, test_id: str) -> dict[str, float]:
    """The element's box in viewport pixels (getBoundingClientRect)."""
    rect: dict[str, float] = page.get_by_test_id(test_id).evaluate(
        "e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, top: r.top, right: r.right, bottom: r.bottom,"
        " width: r.width, height: r.height}; }"
    )
    return rect


def fully_in_viewport(page: Page, test_id: str) -> bool:
    size = page.viewport_size
    assert size is not None
    r = box(page, test_id)
    return (
        r["width"] > 0
        and r["height"] > 0
        and r["left"] >= 0
        and r["top"] >= 0
        and r["right"] <= size["width"]
        and r["bottom"] <= size["height"]
    )


def start_training(page: Page, live_server: str, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute(
        "data-state", "open", timeout=15_000
    )
    # The diagram draws once the server has answered its inspection.
    expect(page.get_by_test_id("network-diagram")).to_be_visible(timeout=10_000)
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("pause")).to_be_visible()
    page.wait_for_function(
        "() => Number(document.querySelector('[data-testid=step-count]').textContent) > 0"
    )


def no_sideways_scroll(page: Page) -> bool:
    return bool(
        page.evaluate(
            "() => document.documentElement.scrollWidth <= window.innerWidth"
            " && document.body.scrollWidth <= window.innerWidth"
        )
    )


@pytest.mark.parametrize(
    ("width", "height", "watched"),
    [(1440, 900, WATCHED), (1280, 720, [t for t in WATCHED if t != "network-diagram"])],
)
def test_what_a_learner_watches_fits_the_first_screen(
    page: Page, live_server: str, artifacts: Path, width: int, height: int, watched: list[str]
) -> None:
    start_training(page, live_server, width, height)
    assert page.evaluate("() => window.scrollY") == 0
    outside = [t for t in watched if not fully_in_viewport(page, t)]
    page.screenshot(path=str(artifacts / f"layout-{width}x{height}.png"))
    assert not outside, f"not fully on the first screen at {width}×{height}: {outside}"
    assert no_sideways_scroll(page)
    page.get_by_test_id("pause").click()


@pytest.mark.parametrize(("width", "height"), [(390, 844), (768, 1024)])
def test_phone_and_tablet_show_play_and_the_output_first(
    page: Page, live_server: str, artifacts: Path, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute(
        "data-state", "open", timeout=15_000
    )
    assert fully_in_viewport(page, "play"), "play must be on the first screen"
    for control in ("step", "speed", "step-count"):  # the whole control row fits the width
        assert fully_in_viewport(page, control), f"{control} is cut at {width}×{height}"
    canvas = box(page, "boundary-canvas")
    assert canvas["top"] < 1.5 * height, "the output must begin within 1.5 screens"
    # Uncut: the whole square inside the screen's width, and nothing hides part of it.
    assert canvas["left"] >= 0 and canvas["right"] <= width
    assert abs(canvas["width"] - canvas["height"]) < 2
    assert no_sideways_scroll(page)

    # The play controls stay on screen in a sticky bar while the page scrolls.
    page.get_by_test_id("play").click()
    page.mouse.wheel(0, 1500)
    page.wait_for_function("() => window.scrollY > 500")
    assert fully_in_viewport(page, "pause")
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts / f"layout-{width}x{height}.png"), full_page=True)
    page.get_by_test_id("pause").click()


def test_a_phone_shows_an_open_lesson_right_after_the_output(page: Page, live_server: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/#lesson=1")
    title = page.get_by_test_id("lesson-title")
    expect(title).to_be_visible(timeout=15_000)
    # Below the output, metrics and loss, before the settings and the network.
    assert box(page, "loss-chart")["bottom"] < box(page, "lesson-title")["top"]
    assert box(page, "lesson-title")["bottom"] < box(page, "learning-rate")["top"]
    assert box(page, "lesson-title")["bottom"] < box(page, "dataset-select")["top"]
    assert no_sideways_scroll(page)


TOP_BAR_CONTROLS = ("file-menu", "reset", "play", "step", "speed", "step-count", "runs-open")


@pytest.mark.parametrize("width", [390, 1000, 1100, 1180, 1280, 1399, 1440])
def test_the_top_bar_controls_never_overlap(page: Page, live_server: str, width: int) -> None:
    """Every width from a phone to a desktop: no button of the top bar lies over another."""
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute(
        "data-state", "open", timeout=15_000
    )
    compare = "compare-open-brand" if width <= 520 else "compare-open"
    sweep = "sweep-open-brand" if width <= 520 else "sweep-open"
    ids = (*TOP_BAR_CONTROLS, compare, sweep, "connection-status")
    boxes = {test_id: box(page, test_id) for test_id in ids}
    for test_id, b in boxes.items():
        assert b["width"] > 0, f"{test_id} is not shown at {width} px"
    names = list(boxes)
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            a, b = boxes[first], boxes[second]
            apart = (
                a["right"] <= b["left"] + 0.5
                or b["right"] <= a["left"] + 0.5
                or a["bottom"] <= b["top"] + 0.5
                or b["bottom"] <= a["top"] + 0.5
            )
            assert apart, f"{first} overlaps {second} at {width} px: {a} {b}"
