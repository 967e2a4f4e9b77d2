"""axe-core on the real page (issue 14, point 6; CONTRACT §6): nothing serious or critical on the
default page, training, with the inside views, lessons, menus and dialogs open."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_keyboard_a11y import _open

pytestmark = pytest.mark.e2e

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"

AXE_RUN = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} at `
      + v.nodes.map((n) => n.target.join(" ")).join(", "));
}"""


@pytest.fixture
def axe_page(browser: Browser, live_server: str) -> Iterator[Page]:
    """The page in a context that lets the axe script in past the page's strict CSP."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make frontend/node_modules/.installed` installs axe-core")
    context = browser.new_context(bypass_csp=True, viewport={"width": 1440, "height": 900})
    page = _open(context.new_page(), live_server)
    page.add_script_tag(path=str(AXE))
    yield page
    context.close()


def _serious(page: Page) -> list[str]:
    found: list[str] = page.evaluate(AXE_RUN)
    return found


def test_axe_finds_nothing_serious_on_the_default_page_paused_and_training(
    axe_page: Page,
) -> None:
    page = axe_page
    assert _serious(page) == []
    page.get_by_test_id("play").click()
    expect(page.get_by_test_id("pause")).to_be_visible()
    expect(page.get_by_test_id("step-count")).not_to_have_text("0")
    assert _serious(page) == []
    page.get_by_test_id("pause").click()


def test_axe_finds_nothing_serious_with_inside_lessons_menu_and_help_open(
    axe_page: Page,
) -> None:
    page = axe_page
    page.get_by_test_id("inside-tab-network").click()
    expect(page.get_by_test_id("diagram-neuron-1-0")).to_be_attached()
    page.get_by_test_id("lessons-button").click()
    expect(page.get_by_test_id("lessons-panel")).to_be_visible()
    assert _serious(page) == []
    page.get_by_test_id("lesson-linear-model").click()
    expect(page.get_by_test_id("lesson-check").first).to_be_visible()
    assert _serious(page) == []
    page.get_by_test_id("diagram-neuron-1-0").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("neuron-view")).to_be_visible()
    page.get_by_test_id("file-menu").click()
    expect(page.get_by_role("menu")).to_be_visible()
    assert _serious(page) == []
    page.keyboard.press("Escape")
    page.get_by_test_id("shortcuts-button").click()
    expect(page.get_by_test_id("shortcuts-dialog")).to_be_visible()
    assert _serious(page) == []


def test_axe_finds_nothing_serious_in_the_other_inside_views_and_the_code_dialog(
    axe_page: Page,
) -> None:
    page = axe_page
    for view in ["hidden", "backprop", "monitors"]:
        page.get_by_test_id(f"inside-tab-{view}").click()
        expect(page.locator(f"#inside-panel-{view}")).to_be_visible()
        assert _serious(page) == [], view
    page.get_by_test_id("file-menu").click()
    page.get_by_test_id("copy-pytorch").click()
    expect(page.get_by_test_id("pytorch-code")).to_be_visible()
    assert _serious(page) == []
