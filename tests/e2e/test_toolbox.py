"""The toolbox views in a real browser: many classes, regression, 1D data, your own points."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import FilePayload, Page, Position, expect

pytestmark = pytest.mark.e2e

SCRATCH = Path("/tmp/scratch")
STEP = "Number(document.querySelector('[data-testid=step-count]').textContent)"


@pytest.fixture
def connected(page: Page, live_server: str) -> Iterator[Page]:
    page.goto(live_server)
    expect(page.get_by_test_id("connection-status")).to_have_attribute("data-state", "open")
    expect(page.get_by_test_id("data-point-count")).not_to_have_text("0 points")
    yield page


def save_screenshot(page: Page, artifacts: Path, name: str) -> None:
    """Writes the page to the e2e artifacts folder, and a copy to /tmp/scratch when it exists."""
    path = artifacts / name
    page.screenshot(path=str(path))
    if SCRATCH.is_dir():
        shutil.copy(path, SCRATCH / name)


def class_hues(page: Page) -> int:
    """How many 30° hue bins hold at least 4% of the canvas's coloured pixels.

    The data points alone cover too little of the canvas to fill a bin: a bin counts only when
    the background of that class's region is painted in its hue.
    """
    return int(
        page.get_by_test_id("boundary-canvas").evaluate(
            """canvas => {
                const ctx = canvas.getContext('2d');
                const {data} = ctx.getImageData(0, 0, canvas.width, canvas.height);
                const bins = new Array(12).fill(0);
                let coloured = 0;
                for (let i = 0; i < data.length; i += 4 * 7) {
                    const r = data[i] / 255, g = data[i + 1] / 255, b = data[i + 2] / 255;
                    const max = Math.max(r, g, b), min = Math.min(r, g, b), d = max - min;
                    if (max === 0 || d / max < 0.12) continue;
                    let h = max === r ? ((g - b) / d) % 6
                        : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
                    h = (h * 60 + 360) % 360;
                    bins[Math.floor(h / 30)]++;
                    coloured++;
                }
                return bins.filter(n => n >= 0.04 * coloured).length;
            }"""
        )
    )


def point_count(page: Page) -> int:
    return int(page.get_by_test_id("data-point-count").inner_text().split()[0])


def download_csv(page: Page, tmp_path: Path, name: str) -> str:
    with page.expect_download() as info:
        page.get_by_test_id("csv-download").click()
    path = tmp_path / name
    info.value.save_as(path)
    return path.read_text()


def csv_file(name: str, content: bytes) -> FilePayload:
    return {"name": name, "mimeType": "text/csv", "buffer": content}


def rows(csv: str) -> list[str]:
    """The point rows of a CSV, in a fixed order (the server reshuffles the train/test split)."""
    return sorted(csv.strip().splitlines()[1:])


def test_three_spiral_arms_train_into_three_coloured_regions(
    connected: Page, artifacts: Path
) -> None:
    page = connected
    page.get_by_test_id("dataset-select").select_option("spiral")
    page.get_by_test_id("dataset-classes").fill("3")
    for i in (0, 1):  # wide enough to wind three arms apart
        page.get_by_test_id(f"layer-units-{i}").fill("16")
        page.get_by_test_id(f"layer-units-{i}").press("Enter")
    page.get_by_test_id("learning-rate").fill("0.03")
    page.get_by_test_id("learning-rate").press("Enter")
    expect(page.get_by_test_id("output-legend")).to_have_attribute("data-view", "class")
    expect(page.get_by_test_id("boundary-canvas")).to_have_attribute("data-view", "class")
    expect(page.get_by_test_id("loss-label")).to_contain_text("CE")

    page.get_by_test_id("speed").select_option("max")  # 4,000 steps: 20 s at the default pace
    page.get_by_test_id("play").click()
    page.wait_for_function(f"() => {STEP} > 4000", timeout=40_000)
    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("play")).to_be_visible()
    assert class_hues(page) >= 3, "the canvas does not show three class colours"
    save_screenshot(page, artifacts, "toolbox-multiclass.png")


def test_a_click_in_edit_mode_adds_a_point_and_erase_takes_it_away(connected: Page) -> None:
    page = connected
    before = point_count(page)
    page.get_by_test_id("edit-data").click()
    expect(page.get_by_test_id("edit-data")).to_have_attribute("aria-pressed", "true")
    page.get_by_test_id("edit-class-1").click()
    canvas = page.get_by_test_id("boundary-canvas")
    box = canvas.bounding_box()
    assert box is not None
    # A corner, clear of the data, so the eraser later takes only the added point.
    spot: Position = {"x": box["width"] * 0.93, "y": box["height"] * 0.07}
    canvas.click(position=spot)
    expect(page.get_by_test_id("data-point-count")).to_have_text(f"{before + 1} points")
    # The server's answer (a new dataset event) keeps it: the count survives a new run.
    page.get_by_test_id("step").click()
    expect(page.get_by_test_id("step-count")).to_have_text("1")
    expect(page.get_by_test_id("data-point-count")).to_have_text(f"{before + 1} points")
    expect(page.get_by_test_id("error-banner")).to_be_hidden()

    page.get_by_test_id("edit-tool-erase").click()
    canvas.click(position=spot)
    expect(page.get_by_test_id("data-point-count")).to_have_text(f"{before} points")


def test_a_downloaded_csv_uploads_back_to_the_same_points(connected: Page, tmp_path: Path) -> None:
    page = connected
    original = download_csv(page, tmp_path, "circle.csv")
    assert original.startswith("x1,x2,label\n")
    assert len(rows(original)) == point_count(page)

    page.get_by_test_id("dataset-select").select_option("xor")
    for _ in range(50):  # a download is the only way to read the points: poll it
        if rows(download_csv(page, tmp_path, "xor.csv")) != rows(original):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("switching to xor did not change the points")

    page.get_by_test_id("csv-upload").set_input_files(tmp_path / "circle.csv")
    for _ in range(50):
        again = download_csv(page, tmp_path, "again.csv")
        if rows(again) == rows(original):
            break
        page.wait_for_timeout(100)
    else:
        pytest.fail("the uploaded CSV did not bring the downloaded points back")
    expect(page.get_by_test_id("error-banner")).to_be_hidden()


def test_a_bad_csv_shows_the_servers_reason_and_keeps_the_data(
    connected: Page, tmp_path: Path
) -> None:
    page = connected
    before = download_csv(page, tmp_path, "before.csv")
    upload = page.get_by_test_id("csv-upload")
    upload.set_input_files(csv_file("bad.csv", b"x1,x2,label\n1,abc,0\n"))
    message = page.get_by_test_id("error-message")
    expect(message).to_contain_text("row 2, column x2: 'abc' is not a number")
    page.get_by_test_id("dismiss-error").click()

    huge = b"x1,x2,label\n" + b"0.5,0.5,1\n" * 40_000
    upload.set_input_files(csv_file("big.csv", huge))
    expect(message).to_contain_text("the limit is")
    assert rows(download_csv(page, tmp_path, "after.csv")) == rows(before)


def test_regression_shows_no_accuracy_and_a_value_scale(connected: Page, artifacts: Path) -> None:
    page = connected
    page.get_by_test_id("dataset-select").select_option("plane")
    expect(page.get_by_test_id("output-legend")).to_have_attribute("data-view", "value")
    expect(page.get_by_test_id("loss-label")).to_contain_text("MSE")
    page.get_by_test_id("play").click()
    page.wait_for_function(f"() => {STEP} > 500", timeout=30_000)
    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("boundary-canvas")).to_have_attribute("data-view", "value")
    expect(page.get_by_test_id("train-accuracy")).to_have_text("—")
    expect(page.get_by_test_id("test-accuracy")).to_have_text("—")
    low = float(page.get_by_test_id("value-min").inner_text())
    high = float(page.get_by_test_id("value-max").inner_text())
    assert low < high
    save_screenshot(page, artifacts, "toolbox-regression.png")
    page.get_by_test_id("show-residuals").check()
    save_screenshot(page, artifacts, "toolbox-residuals.png")


def test_one_dimensional_data_is_drawn_as_a_curve(connected: Page, artifacts: Path) -> None:
    page = connected
    page.get_by_test_id("dataset-select").select_option("sine")
    canvas = page.get_by_test_id("boundary-canvas")
    expect(canvas).to_have_attribute("data-view", "line")
    expect(page.get_by_test_id("output-legend")).to_have_attribute("data-view", "line")
    expect(page.get_by_test_id("edit-data")).to_be_disabled()
    page.get_by_test_id("play").click()
    page.wait_for_function(f"() => {STEP} > 1000", timeout=30_000)
    page.get_by_test_id("pause").click()
    expect(page.get_by_test_id("train-accuracy")).to_have_text("—")
    save_screenshot(page, artifacts, "toolbox-1d.png")


def test_early_stopping_marks_the_best_step_on_the_loss_chart(
    connected: Page, artifacts: Path
) -> None:
    page = connected
    expect(page.get_by_test_id("early-stop-marker")).to_have_count(0)
    # Regularisation is folded away until a learner opens it.
    page.get_by_test_id("regularisation-fold").locator("summary").click()
    page.get_by_test_id("early-stopping").fill("1")
    page.get_by_test_id("early-stopping").press("Enter")
    page.get_by_test_id("play").click()
    marker = page.get_by_test_id("early-stop-marker")
    expect(marker).to_be_visible(timeout=30_000)
    expect(marker).to_contain_text("early stop: best at step")
    expect(page.get_by_test_id("play")).to_be_visible()  # training stopped by itself
    best = int(marker.inner_text().rsplit(" ", 1)[1])
    assert 0 < best <= int(page.get_by_test_id("step-count").inner_text())
    page.get_by_test_id("loss-chart").scroll_into_view_if_needed()
    save_screenshot(page, artifacts, "toolbox-early-stop.png")
