"""The computational graph of a clicked point in a real browser (issue 21, part 1): Forward and
Backward show the same numbers as the per-layer tables, the keyboard reads them, reduced motion
shows the end at once, and lesson 10's naive loss lights the log node up."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.e2e.test_axe import _serious, axe_page  # noqa: F401 (a fixture)
from tests.e2e.test_lesson_flows import WAIT, action, check, open_lesson
from tests.e2e.test_toolbox import save_screenshot

pytestmark = pytest.mark.e2e

VIEWPORTS = [(1440, 900), (1280, 720), (390, 844)]


def _open(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    expect(page.get_by_test_id("data-point-count")).not_to_have_text("0 points")


def _probe(page: Page, x: int, y: int) -> None:
    page.get_by_test_id("inside-tab-backprop").click()
    page.get_by_test_id("boundary-canvas").click(position={"x": x, "y": y})


def _table_row(page: Page, layer: int, unit: int) -> list[str]:
    """The cells of one unit's row: unit, z, a, ∂L/∂z, ∂L/∂a, ∂L/∂b."""
    stage = page.get_by_test_id("backprop-table").locator("section.stage").nth(layer)
    return stage.locator("tbody tr").nth(unit).locator("td").all_inner_texts()


def _unit(page: Page, shown: str, node: str, unit: int) -> Locator:
    """What one unit's box shows: its `value` or its `grad`."""
    return page.get_by_test_id(f"graph-{shown}-{node}-{unit}")


def _finish(page: Page, direction: str) -> None:
    page.get_by_test_id(f"graph-{direction}").click()
    state = page.get_by_test_id("graph-state")
    expect(state).to_have_attribute("data-direction", direction)
    expect(state).to_have_attribute("data-done", "true", timeout=15_000)


def test_forward_and_backward_show_the_tables_numbers(
    page: Page, live_server: str, artifacts: Path
) -> None:
    _open(page, live_server)
    page.get_by_test_id("step").click()
    _probe(page, 60, 60)
    expect(page.get_by_test_id("backprop-table")).to_contain_text("output layer")
    rows = {(layer, unit): _table_row(page, layer, unit) for layer in (0, 1) for unit in (0, 1)}
    output = _table_row(page, 2, 0)
    loss = page.get_by_test_id("probe-loss").inner_text()
    page.get_by_test_id("probe-view-graph").click()
    expect(page.get_by_test_id("graph-view")).to_be_visible()
    expect(page.get_by_test_id("backprop-table")).to_be_hidden()

    _finish(page, "forward")
    for (layer, unit), cells in rows.items():
        expect(_unit(page, "value", f"l{layer}.bias", unit)).to_have_text(cells[1])  # z
        expect(_unit(page, "value", f"l{layer}.0", unit)).to_have_text(cells[2])  # a
    expect(page.get_by_test_id("graph-value-l2.bias-0")).to_have_text(output[1])  # the logit
    expect(page.get_by_test_id("graph-value-loss-0")).to_have_text(loss)
    expect(page.get_by_test_id("graph-grad-loss-0")).to_have_count(0)  # no gradients yet
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.get_by_test_id("graph-view").scroll_into_view_if_needed()
        save_screenshot(page, artifacts, f"graph-forward-{width}.png")
    page.set_viewport_size({"width": 1440, "height": 900})

    _finish(page, "backward")
    expect(page.get_by_test_id("graph-grad-loss-0")).to_have_text("∂ 1")
    for (layer, unit), cells in rows.items():
        expect(_unit(page, "grad", f"l{layer}.bias", unit)).to_have_text(f"∂ {cells[3]}")  # dL/dz
        expect(_unit(page, "grad", f"l{layer}.0", unit)).to_have_text(f"∂ {cells[4]}")  # dL/da
        expect(page.get_by_test_id(f"graph-local-l{layer}.0-{unit}")).to_contain_text("×")
    expect(page.get_by_test_id("graph-grad-l2.bias-0")).to_have_text(f"∂ {output[3]}")
    for width, height in VIEWPORTS:
        page.set_viewport_size({"width": width, "height": height})
        page.get_by_test_id("graph-view").scroll_into_view_if_needed()
        save_screenshot(page, artifacts, f"graph-backward-{width}.png")
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways page
    page.set_viewport_size({"width": 1440, "height": 900})

    # The keyboard: a box takes focus, says its numbers and the chain rule that made its gradient.
    box = page.get_by_test_id("graph-node-l0.0-1")
    box.focus()
    expect(box).to_have_attribute("aria-label", f"tanh unit 2: value h₁ = {rows[0, 1][2]}; "
           f"gradient ∂L/∂h₁ = {rows[0, 1][4]}.")  # fmt: skip
    expect(page.get_by_test_id("graph-readout")).to_contain_text(f"= {rows[0, 1][4]}")
    page.keyboard.press("Tab")
    expect(page.get_by_test_id("graph-node-l0.0-2")).to_be_focused()  # the next unit down


def test_reduced_motion_shows_the_end_of_a_pass_at_once(page: Page, live_server: str) -> None:
    page.emulate_media(reduced_motion="reduce")
    _open(page, live_server)
    _probe(page, 60, 60)
    page.get_by_test_id("probe-view-graph").click()
    expect(page.get_by_test_id("graph-view")).to_be_visible()
    page.get_by_test_id("graph-backward").click()
    # No retrying wait: the click's own handler already drew the input's gradient.
    assert page.get_by_test_id("graph-grad-input-0").count() == 1
    assert page.get_by_test_id("graph-state").get_attribute("data-done") == "true"


def test_lesson_10_the_naive_loss_lights_the_log_node(
    page: Page, live_server: str, artifacts: Path
) -> None:
    open_lesson(page, live_server, 10, "A debugging checklist")
    graph_check = check(page, 3)
    action(page, 3).click()  # naive loss, huge weights, paused at step 0
    expect(page.get_by_test_id("step-count")).to_have_text("0")
    _probe(page, 6, 6)  # a corner: |logit| far past 17, so σ rounds to 0 or 1
    page.get_by_test_id("probe-view-graph").click()
    _finish(page, "forward")
    expect(graph_check).to_have_attribute("data-state", "pending")  # not before Backward
    log = page.locator('[data-testid^="graph-node-log-"]').filter(has_text="-∞")
    expect(log).to_have_count(1)
    expect(page.get_by_test_id("graph-overflow")).to_contain_text("log 0 = −∞")
    _finish(page, "backward")
    expect(graph_check).to_have_attribute("data-state", "passed", timeout=WAIT)
    log.scroll_into_view_if_needed()
    save_screenshot(page, artifacts, "graph-overflow-1440.png")


def test_axe_finds_nothing_serious_in_the_graph_after_backward(axe_page: Page) -> None:  # noqa: F811
    page = axe_page
    _probe(page, 60, 60)
    page.get_by_test_id("probe-view-graph").click()
    expect(page.get_by_test_id("graph-view")).to_be_visible()
    _finish(page, "backward")
    page.get_by_test_id("graph-node-input-0").focus()
    assert _serious(page) == []


def test_a_wide_layer_collapses_into_one_summary_box(
    page: Page, live_server: str, artifacts: Path
) -> None:
    _open(page, live_server)
    page.get_by_test_id("layer-units-0").fill("24")
    page.get_by_test_id("layer-units-0").press("Enter")
    _probe(page, 60, 60)
    page.get_by_test_id("probe-view-graph").click()
    _finish(page, "backward")
    wide = page.get_by_test_id("graph-node-l0.0")  # tanh of 24 units: one box, no unit boxes
    expect(wide).to_contain_text("max")
    expect(page.get_by_test_id("graph-node-l0.0-0")).to_have_count(0)
    expect(page.get_by_test_id("graph-node-l1.0-1")).to_be_visible()  # 2 units: one box each
    wide.focus()
    expect(page.get_by_test_id("graph-readout")).to_contain_text("24 values")
    save_screenshot(page, artifacts, "graph-collapsed-1440.png")
