"""A sweep in a real browser against the real engine: define a 2-axis sweep (width × learning
rate, 2 seeds, 200 steps), watch its progress, see the heatmap painted, load one cell, and find
its width, learning rate and seed in the settings of the main run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, WebSocketRoute, expect

from tests.e2e.test_axe import AXE, AXE_RUN

pytestmark = pytest.mark.e2e


def heatmap_cells(page: Page) -> list[tuple[int, ...]]:
    """The heatmap canvas' pixels as (r, g, b, a): one pixel per grid point."""
    data: list[int] = page.get_by_test_id("sweep-heatmap").evaluate(
        "c => Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data)"
    )
    return [tuple(data[i : i + 4]) for i in range(0, len(data), 4)]


def test_two_axis_sweep_heatmap_and_loading_a_point(
    page: Page, live_server: str, artifacts: Path
) -> None:
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")

    # Opens from the keyboard.
    page.get_by_test_id("sweep-open").focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_test_id("sweep-dialog")
    expect(dialog).to_be_visible()

    # Axis 1: width of every hidden layer, the list 2, 4.
    page.get_by_test_id("sweep-axis-0-setting").select_option("width")
    page.get_by_test_id("sweep-axis-0-mode-list").check()
    page.get_by_test_id("sweep-axis-0-list").fill("2, 4")
    # Axis 2: learning rate, a log range 0.03 … 0.3 of 2 values.
    page.get_by_test_id("sweep-add-axis").click()
    page.get_by_test_id("sweep-axis-1-setting").select_option("learning_rate")
    page.get_by_test_id("sweep-axis-1-from").fill("0.03")
    page.get_by_test_id("sweep-axis-1-to").fill("0.3")
    page.get_by_test_id("sweep-axis-1-count").fill("2")
    expect(page.get_by_test_id("sweep-axis-1-values")).to_have_text("2 values: 0.03, 0.3")
    # Escape closes the panel; it opens again with the form as it was.
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    page.get_by_test_id("sweep-open").click()
    expect(page.get_by_test_id("sweep-axis-0-list")).to_have_value("2, 4")
    page.get_by_test_id("sweep-seeds").fill("2")
    page.get_by_test_id("sweep-steps").fill("200")
    expect(page.get_by_test_id("sweep-grid-size")).to_have_text("8 runs")
    expect(page.get_by_test_id("sweep-estimate")).to_be_visible(timeout=15_000)

    # Over the server's run limit (2 × 50 points × 100 seeds): its refusal shows, Start waits.
    page.get_by_test_id("sweep-axis-1-count").fill("50")
    page.get_by_test_id("sweep-seeds").fill("100")
    expect(page.get_by_test_id("sweep-plan-error")).to_contain_text("run", timeout=15_000)
    expect(page.get_by_test_id("sweep-start")).to_be_disabled()
    page.get_by_test_id("sweep-axis-1-count").fill("2")
    page.get_by_test_id("sweep-seeds").fill("2")
    expect(page.get_by_test_id("sweep-estimate")).to_be_visible(timeout=15_000)
    expect(page.get_by_test_id("sweep-plan-error")).to_be_hidden()

    page.get_by_test_id("sweep-start").click()
    expect(page.get_by_test_id("sweep-progress-bar")).to_be_visible()
    expect(page.get_by_test_id("sweep-status")).to_contain_text("Done", timeout=120_000)
    expect(page.get_by_test_id("sweep-runs-done")).to_have_text("8")

    heatmap = page.get_by_test_id("sweep-heatmap")
    expect(heatmap).to_be_visible()
    cells = heatmap_cells(page)
    assert len(cells) == 4 and all(cell[3] == 255 for cell in cells)
    assert len(set(cells)) >= 2, "four cells of one colour: the metric did not vary"
    expect(page.get_by_test_id("sweep-table").locator("tbody tr")).to_have_count(4)
    page.screenshot(path=str(artifacts / "sweep-heatmap.png"))

    # Top row = the largest width (4); column 1 = learning rate 0.3.
    cell = page.get_by_test_id("sweep-cell-0-1")
    label = re.compile(r"^width \(every layer\) 4, learning rate 0\.3: ")
    expect(cell).to_have_attribute("aria-label", label)
    cell.focus()
    page.keyboard.press("Enter")
    expect(dialog).to_be_hidden()

    expect(page.get_by_test_id("layer-units-0")).to_have_value("4")
    expect(page.get_by_test_id("layer-units-1")).to_have_value("4")
    expect(page.get_by_test_id("learning-rate")).to_have_value("0.3")


def tab_to(page: Page, test_id: str, most: int = 30) -> None:
    """Presses Tab until `test_id` has the focus (the keyboard alone reaches it)."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement?.dataset.testid") == test_id:
            return
    raise AssertionError(f"{most} Tabs did not reach {test_id}")


def test_one_axis_sweep_from_the_keyboard_cancel_and_axe(
    browser: Browser, live_server: str
) -> None:
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    page.add_script_tag(path=str(AXE))
    page.get_by_test_id("sweep-open").focus()
    page.keyboard.press("Enter")
    page.get_by_test_id("sweep-axis-0-setting").select_option("width")
    page.get_by_test_id("sweep-axis-0-mode-list").check()
    page.get_by_test_id("sweep-axis-0-list").fill("2, 4")

    # A long sweep, cancelled: what finished stays, the status says it was cancelled.
    page.get_by_test_id("sweep-seeds").fill("50")
    page.get_by_test_id("sweep-steps").fill("20000")
    expect(page.get_by_test_id("sweep-estimate")).to_be_visible(timeout=15_000)
    tab_to(page, "sweep-start")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("sweep-status")).to_contain_text("Running")
    tab_to(page, "sweep-cancel")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("sweep-status")).to_contain_text("Cancelled", timeout=30_000)

    page.get_by_test_id("sweep-seeds").fill("2")
    page.get_by_test_id("sweep-steps").fill("100")
    expect(page.get_by_test_id("sweep-grid-size")).to_have_text("4 runs")
    expect(page.get_by_test_id("sweep-estimate")).to_be_visible(timeout=15_000)
    page.get_by_test_id("sweep-start").click()
    expect(page.get_by_test_id("sweep-status")).to_contain_text("Done", timeout=60_000)
    expect(page.get_by_test_id("sweep-chart").locator("canvas")).to_be_visible()
    assert page.evaluate(AXE_RUN) == []

    # The table's Load is the keyboard's way to a point of the plot.
    tab_to(page, "sweep-load-1", most=60)
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("sweep-dialog")).to_be_hidden()
    expect(page.get_by_test_id("layer-units-0")).to_have_value("4")
    context.close()


def test_a_dropped_connection_mid_sweep_says_the_sweep_ended(page: Page, live_server: str) -> None:
    sockets: list[tuple[WebSocketRoute, WebSocketRoute]] = []

    def relay(ws: WebSocketRoute) -> None:
        # Messages pass through both ways; the test can cut both ends.
        sockets.append((ws, ws.connect_to_server()))

    page.route_web_socket(re.compile(r"/ws(\?|$)"), relay)  # /ws?grid=page included
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    page.get_by_test_id("sweep-open").click()
    page.get_by_test_id("sweep-seeds").fill("50")
    page.get_by_test_id("sweep-steps").fill("20000")
    expect(page.get_by_test_id("sweep-estimate")).to_be_visible(timeout=15_000)
    page.get_by_test_id("sweep-start").click()
    expect(page.get_by_test_id("sweep-status")).to_contain_text("Running")

    page_end, server_end = sockets[-1]
    server_end.close()  # the server sees its client leave, and cancels the sweep
    page_end.close(code=1011, reason="test: connection lost")
    expect(page.get_by_test_id("sweep-status")).to_contain_text("Ended early")
    expect(page.get_by_test_id("sweep-message")).to_contain_text("connection to the server dropped")
    expect(page.get_by_test_id("sweep-cancel")).to_be_hidden()
    # The page reconnects; the panel still says how the sweep ended, and a new one can start.
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    expect(page.get_by_test_id("sweep-start")).to_be_enabled(timeout=15_000)


def mean_accuracy(row_text: str) -> float:
    """The mean of a table row's 'test accuracy mean ± sd' cell, as a fraction."""
    match = re.search(r"([\d.]+)% ± ", row_text)
    assert match, row_text
    return float(match.group(1)) / 100


def test_the_double_descent_preset_from_the_page(
    page: Page, live_server: str, artifacts: Path
) -> None:
    """Issue 19's "done when": the double-descent curve from the learner's own setup. The preset
    keeps the dataset (circle here), solves the output layer by least squares; the table shows
    test accuracy falling to the threshold and rising past it; clicking the chart loads a point."""
    page.set_viewport_size({"width": 1280, "height": 720})
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    page.get_by_test_id("sweep-open").click()
    page.get_by_test_id("sweep-preset").select_option("double-descent")
    expect(page.get_by_test_id("sweep-preset-note")).to_contain_text("least")
    expect(page.get_by_test_id("sweep-grid-size")).to_have_text("190 runs")
    expect(page.get_by_test_id("sweep-estimate")).to_be_visible(timeout=15_000)
    page.get_by_test_id("sweep-start").click()
    expect(page.get_by_test_id("sweep-status")).to_contain_text("Done", timeout=120_000)

    expect(page.get_by_test_id("sweep-interpolation")).to_contain_text("n = 30")
    rows = page.get_by_test_id("sweep-table").locator("tbody tr")
    expect(rows).to_have_count(19)
    by_width = {}
    for text in rows.all_inner_texts():
        width = int(text.split()[0])
        by_width[width] = mean_accuracy(text)
    peak = min(by_width[29], by_width[31])
    assert max(by_width[w] for w in (4, 6, 8)) - peak > 0.15, by_width  # first descent
    assert by_width[128] - peak > 0.08, by_width  # and the second
    page.get_by_test_id("sweep-chart").screenshot(path=str(artifacts / "sweep-double-descent.png"))

    # The chart's right edge is its widest point: a click there loads it as the main run.
    over = page.get_by_test_id("sweep-chart").locator(".u-over")
    box = over.bounding_box()
    assert box is not None
    over.click(position={"x": box["width"] - 2, "y": box["height"] / 2})
    expect(page.get_by_test_id("sweep-dialog")).to_be_hidden()
    expect(page.get_by_test_id("layer-units-0")).to_have_value("128")
    expect(page.get_by_test_id("readout-select")).to_have_value("least_squares")
