"""Your own activation in a real browser: type it, see f and f', a bad one shows where it
breaks and changes nothing, Apply trains with it, the share link carries it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.test_axe import axe_page  # noqa: F401  (the fixture, for the axe test below)

pytestmark = pytest.mark.e2e

SIZES = [(1440, 900), (1280, 720), (390, 844)]


def test_write_see_refuse_apply_and_train(page: Page, live_server: str, artifacts: Path) -> None:
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    select = page.get_by_test_id("layer-activation-0")
    expect(select.locator("option[value=expr]")).to_have_text("Your own…")
    before = select.input_value()
    select.select_option("expr")  # opens the editor; the layer keeps its activation meanwhile
    field = page.get_by_test_id("expression-input")
    expect(field).to_be_focused()
    expect(select).to_have_value(before)

    field.fill("max(0, x) - 0.1*max(0, -x)")
    expect(page.get_by_test_id("expression-plot")).to_be_visible()
    expect(page.get_by_test_id("expression-kind")).to_contain_text("piecewise linear")
    expect(page.get_by_test_id("expression-apply")).to_be_enabled()
    shoot(page, artifacts, "expression-plot")

    field.fill("x * sigmod(1.5*x)")
    error = page.get_by_test_id("expression-error")
    expect(error).to_contain_text("unknown name 'sigmod'")
    expect(error).to_contain_text("at character 5")
    expect(error.locator("pre")).to_have_text(re.compile(r"x \* sigmod\(1\.5\*x\)\n    \^"))
    expect(page.get_by_test_id("expression-apply")).to_be_disabled()
    field.press("Enter")  # refused: nothing applies
    expect(select).to_have_value(before)
    shoot(page, artifacts, "expression-error")

    field.fill("x * sigmoid(1.5*x)")
    expect(page.get_by_test_id("expression-kind")).to_contain_text("curved")
    field.press("Enter")
    expect(field).to_be_hidden()
    expect(select).to_have_value("expr")
    expect(page.get_by_test_id("layer-expression-0")).to_have_text("f(x) = x * sigmoid(1.5*x)")
    expect(page).to_have_url(re.compile("setup="), timeout=20_000)

    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("step-count")).not_to_have_text("0")
    expect(page.get_by_test_id("error-banner")).to_be_hidden()

    # Escape leaves the layer as it is.
    page.get_by_test_id("layer-expression-0").click()
    expect(page.get_by_test_id("expression-input")).to_have_value("x * sigmoid(1.5*x)")
    page.get_by_test_id("expression-input").press("Escape")
    expect(page.get_by_test_id("expression-input")).to_be_hidden()

    # The share link brings the own activation back.
    page.reload()
    expect(page.get_by_test_id("layer-expression-0")).to_have_text("f(x) = x * sigmoid(1.5*x)")


def shoot(page: Page, artifacts: Path, name: str) -> None:
    """The editor at each screen size, scrolled into view."""
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.get_by_test_id("expression-input").scroll_into_view_if_needed()
        page.screenshot(path=str(artifacts / f"{name}-{width}x{height}.png"))
    page.set_viewport_size({"width": 1280, "height": 800})


def test_lesson_6_propose_a_module(page: Page, live_server: str) -> None:
    """The lesson's own-activation check stays open while the built-in ReLUs train, and turns
    green once the learner applies an own expression and trains it."""
    from tests.e2e.test_lesson_lecture import checks, expect_passed, open_lesson

    lesson = open_lesson(page, live_server, 6, "depth-vs-width")
    own = checks(page).nth(2)
    expect(own).to_contain_text("your own activation")
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("step-count")).to_have_text(
        re.compile(r"[1-9]\d{2,}"), timeout=60_000
    )
    page.get_by_test_id("pause").click()
    expect(own).not_to_have_attribute("data-state", "passed")
    assert lesson.is_visible()
    page.get_by_test_id("layer-activation-1").select_option("expr")
    page.get_by_test_id("expression-input").fill("max(0, x) - 0.1*max(0, -x)")
    expect(page.get_by_test_id("expression-apply")).to_be_enabled()
    page.get_by_test_id("expression-apply").click()
    expect(page.get_by_test_id("layer-expression-1")).to_be_visible()
    page.get_by_test_id("play").click()
    expect_passed(own, 60_000)


def test_the_editor_passes_axe_with_a_plot_and_with_an_error(axe_page: Page) -> None:  # noqa: F811
    from tests.e2e.test_axe import _serious

    axe_page.get_by_test_id("layer-activation-0").select_option("expr")
    field = axe_page.get_by_test_id("expression-input")
    field.fill("sin(x) + x")
    expect(axe_page.get_by_test_id("expression-plot")).to_be_visible()
    assert _serious(axe_page) == []
    field.fill("sin(x) + ")
    expect(axe_page.get_by_test_id("expression-error")).to_contain_text("found the end")
    assert _serious(axe_page) == []
