"""The keyboard and screen readers in a real browser (issue 14, point 6; CONTRACT §6).

Every control is reachable with Tab and shows a focus ring, focus stays on play/pause, the
WAI-ARIA composites (dataset radio group, tabs, the File menu, the network diagram) answer arrow
keys, shortcuts work off fields only. axe-core's checks are in test_axe.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e

# What the focused element shows: its outline, box-shadow and box, and whether anything hides it.
FOCUS_STATE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  let hidden = false;
  for (let node = el; node; node = node.parentElement) {
    const s = getComputedStyle(node);
    if (Number(s.opacity) === 0 || s.visibility === "hidden" || s.display === "none") hidden = true;
  }
  return {
    name: (el.getAttribute("data-testid") || el.getAttribute("aria-label") || el.tagName)
      + " <" + el.tagName.toLowerCase() + ">",
    outlineStyle: style.outlineStyle,
    outlineWidth: parseFloat(style.outlineWidth),
    boxShadow: style.boxShadow,
    width: box.width,
    height: box.height,
    hidden,
  };
}"""


def _open(page: Page, url: str) -> Page:
    page.goto(url)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    expect(page.get_by_test_id("play")).to_be_enabled()
    return page


@pytest.fixture
def connected(page: Page, live_server: str) -> Iterator[Page]:
    yield _open(page, live_server)


def _press_expecting_focus(page: Page, *steps: tuple[str, str]) -> None:
    """Press each key in turn and expect the control with the test id to have the focus."""
    for key, test_id in steps:
        page.keyboard.press(key)
        expect(page.get_by_test_id(test_id)).to_be_focused()


def _focus_state(page: Page) -> dict[str, Any] | None:
    state: dict[str, Any] | None = page.evaluate(FOCUS_STATE)
    return state


def _shows_ring(state: dict[str, Any]) -> bool:
    return (state["outlineStyle"] != "none" and state["outlineWidth"] >= 2) or (
        state["boxShadow"] != "none"
    )


def test_space_twice_on_play_plays_then_pauses_and_focus_stays(connected: Page) -> None:
    page = connected
    page.get_by_test_id("play").focus()
    page.keyboard.press("Space")
    pause = page.get_by_test_id("pause")
    expect(pause).to_be_visible()
    expect(pause).to_be_focused()
    expect(page.get_by_test_id("step-count")).not_to_have_text("0")
    page.keyboard.press("Space")
    play = page.get_by_test_id("play")
    expect(play).to_be_visible()
    expect(play).to_be_focused()
    stopped = page.get_by_test_id("step-count").inner_text()
    page.wait_for_timeout(400)
    assert page.get_by_test_id("step-count").inner_text() == stopped
    _press_expecting_focus(page, ("Enter", "pause"), ("Enter", "play"))


def test_every_tab_stop_is_visible_and_shows_a_focus_ring(connected: Page) -> None:
    page = connected
    seen: list[str] = []
    problems: list[str] = []
    for _ in range(120):
        page.keyboard.press("Tab")
        state = _focus_state(page)
        if state is None:
            break
        if seen and state["name"] == seen[0]:
            break  # around the page once
        seen.append(state["name"])
        if state["hidden"] or state["width"] < 4 or state["height"] < 4:
            problems.append(f"invisible tab stop: {state}")
        if not _shows_ring(state):
            problems.append(f"no focus ring: {state}")
    assert len(seen) > 20, f"Tab reached only {seen}"
    assert not problems, "\n".join(problems)
    # One Tab stop for the whole dataset radio group, and none for the hidden file inputs.
    assert sum("dataset-tile" in name for name in seen) == 1, seen
    assert not any("import-file" in name or "csv-upload <input>" in name for name in seen), seen
    # The focus ring is the keyboard's: a click on a control leaves it off.
    page.get_by_test_id("reset").click()
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "none"


def test_dataset_tiles_are_one_radio_group_that_arrow_keys_move(connected: Page) -> None:
    page = connected
    chosen = page.locator('[role="radiogroup"][aria-label="Dataset"] [aria-checked="true"]')
    expect(chosen).to_have_attribute("data-testid", "dataset-tile-circle")
    expect(page.locator('[role="radiogroup"] [role="radio"][tabindex="0"]')).to_have_count(1)
    chosen.focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_test_id("dataset-select")).not_to_have_value("circle")
    moved = page.get_by_test_id("dataset-select").input_value()
    expect(page.get_by_test_id(f"dataset-tile-{moved}")).to_be_focused()
    expect(page.get_by_test_id(f"dataset-tile-{moved}")).to_have_attribute("aria-checked", "true")
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_test_id("dataset-select")).to_have_value("circle")
    page.keyboard.press("End")
    expect(page.get_by_test_id("dataset-select")).not_to_have_value("circle")
    page.keyboard.press("Home")
    expect(page.get_by_test_id("dataset-select")).to_have_value("circle")
    expect(page.get_by_test_id("dataset-tile-circle")).to_be_focused()


def test_tabs_follow_arrow_keys_home_and_end(connected: Page) -> None:
    page = connected
    first, second = (
        page.get_by_test_id("inside-tab-network"),
        page.get_by_test_id("inside-tab-hidden"),
    )
    first.click()
    _press_expecting_focus(page, ("ArrowRight", "inside-tab-hidden"))
    expect(second).to_have_attribute("aria-selected", "true")
    expect(second).to_have_attribute("tabindex", "0")
    expect(first).to_have_attribute("tabindex", "-1")
    expect(page.locator("#inside-panel-hidden")).to_be_visible()
    page.keyboard.press("End")
    expect(page.get_by_test_id("inside-tab-monitors")).to_have_attribute("aria-selected", "true")
    _press_expecting_focus(page, ("ArrowRight", "inside-tab-network"))  # wraps
    expect(first).to_have_attribute("aria-selected", "true")
    _press_expecting_focus(page, ("ArrowLeft", "inside-tab-monitors"))
    page.keyboard.press("Home")
    expect(first).to_have_attribute("aria-selected", "true")
    expect(page.locator("#inside-panel-network")).to_be_visible()


def test_file_menu_works_from_the_keyboard(connected: Page) -> None:
    page = connected
    trigger = page.get_by_test_id("file-menu")
    trigger.focus()
    _press_expecting_focus(page, ("Enter", "new-setup"))
    menu = page.get_by_role("menu")
    expect(menu).to_be_visible()
    expect(trigger).to_have_attribute("aria-expanded", "true")
    _press_expecting_focus(
        page,
        ("ArrowDown", "export-setup"),
        ("End", "save-lesson"),  # the last entry
        ("ArrowUp", "share-link"),
        ("End", "save-lesson"),
        ("ArrowDown", "new-setup"),  # wraps
        ("ArrowUp", "save-lesson"),
        ("Escape", "file-menu"),
    )
    expect(menu).to_be_hidden()
    expect(trigger).to_have_attribute("aria-expanded", "false")
    _press_expecting_focus(page, ("ArrowUp", "save-lesson"))  # opens on the last entry
    page.keyboard.press("Tab")
    expect(menu).to_be_hidden()
    trigger.focus()
    _press_expecting_focus(page, ("Space", "new-setup"))
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()


def test_diagram_neuron_is_reached_by_tab_and_opens_with_enter(connected: Page) -> None:
    page = connected
    page.get_by_test_id("inside-tab-network").click()
    expect(page.get_by_test_id("diagram-neuron-1-0")).to_be_attached()
    page.get_by_test_id("inside-tab-network").focus()
    # Tab from the tab list: the panel's first stop is the diagram, on hidden layer 1's neuron 1.
    neuron = page.get_by_test_id("diagram-neuron-1-0")
    for _ in range(5):
        page.keyboard.press("Tab")
        if neuron.evaluate("el => el === document.activeElement"):
            break
    expect(neuron).to_be_focused()
    expect(neuron).to_have_attribute(
        "aria-label", re.compile(r"^hidden layer 1, neuron 1, \w+\. Enter shows it large$")
    )
    _press_expecting_focus(page, ("ArrowDown", "diagram-neuron-1-1"))
    page.keyboard.press("Enter")
    view = page.get_by_test_id("neuron-view")
    expect(view).to_be_visible()
    expect(view).to_contain_text("hidden layer 1, unit 2")
    expect(page.get_by_test_id("neuron-view-close")).to_be_focused()
    _press_expecting_focus(page, ("Escape", "diagram-neuron-1-1"))
    expect(view).to_be_hidden()


def test_diagram_weights_are_reached_with_arrows_and_edited_while_paused(
    connected: Page,
) -> None:
    page = connected
    page.get_by_test_id("inside-tab-network").click()
    page.get_by_test_id("diagram-neuron-1-0").focus()
    page.keyboard.press("ArrowLeft")
    edge = page.get_by_test_id("diagram-edge")
    expect(edge).to_be_focused()
    expect(edge).to_have_attribute("aria-label", re.compile(r"^Weight from input \S+ to hidden"))
    expect(page.get_by_test_id("diagram-tooltip")).to_contain_text("weight")
    page.keyboard.press("Enter")
    editor = page.get_by_test_id("weight-editor")
    expect(editor).to_be_focused()
    editor.fill("1.5")
    page.keyboard.press("Enter")
    expect(editor).to_be_hidden()
    expect(edge).to_be_focused()
    expect(edge).to_have_attribute("aria-label", re.compile(r": 1\.5\. Enter edits it$"))
    _press_expecting_focus(page, ("ArrowRight", "diagram-neuron-1-0"))


def test_shortcuts_work_off_fields_and_wait_while_typing(connected: Page) -> None:
    page = connected
    count = page.get_by_test_id("step-count")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("s")
    expect(count).to_have_text("1")
    page.keyboard.press("ArrowRight")
    expect(count).to_have_text("2")
    page.keyboard.press("r")
    expect(count).to_have_text("0")
    page.keyboard.press("k")
    expect(page.get_by_test_id("pause")).to_be_visible()
    page.keyboard.press("Space")
    expect(page.get_by_test_id("play")).to_be_visible()
    stopped = count.inner_text()
    # With Alt or Ctrl a letter is not a shortcut; typed into a field it is text.
    page.keyboard.press("Alt+s")
    page.keyboard.press("Alt+k")
    field = page.get_by_test_id("learning-rate")
    field.focus()
    for key in ["s", "r", "k", "Space", "ArrowRight"]:
        page.keyboard.press(key)
    page.wait_for_timeout(300)
    expect(page.get_by_test_id("play")).to_be_visible()
    assert count.inner_text() == stopped


def test_help_dialog_lists_shortcuts_traps_focus_and_returns_it(connected: Page) -> None:
    page = connected
    button = page.get_by_test_id("shortcuts-button")
    button.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_test_id("shortcuts-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Play or pause")
    expect(dialog.get_by_role("heading", name="Keyboard shortcuts")).to_be_visible()
    for _ in range(3):  # Tab stays inside the modal
        page.keyboard.press("Tab")
        inside = page.evaluate(
            "document.querySelector('[data-testid=shortcuts-dialog]')"
            ".contains(document.activeElement)"
        )
        assert inside
    page.keyboard.press("s")  # no shortcut runs behind a modal
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(button).to_be_focused()
    expect(page.get_by_test_id("step-count")).to_have_text("0")
    page.locator("body").click(position={"x": 5, "y": 300})
    page.keyboard.press("?")
    expect(dialog).to_be_visible()
    page.get_by_test_id("shortcuts-close").click()
    expect(dialog).to_be_hidden()
