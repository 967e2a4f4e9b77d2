"""The boundary canvas paints from weights frames: small on the wire, moving while training,
and the same picture as the server's own grid for the same weights (server/page_grid.py)."""

from __future__ import annotations

from pathlib import Path

import msgpack
import pytest
from playwright.sync_api import BrowserContext, Page, WebSocket, expect

pytestmark = pytest.mark.e2e

CANVAS_PIXELS = """canvas => new Promise(done => requestAnimationFrame(() =>
    requestAnimationFrame(() => {
        const ctx = canvas.getContext('2d');
        done(Array.from(ctx.getImageData(0, 0, canvas.width, canvas.height).data));
    })))"""
STEPS = "Number(document.querySelector('[data-testid=step-count]').textContent)"


def _frames(page: Page) -> list[bytes]:
    """Every binary frame the page's socket receives from now on."""
    frames: list[bytes] = []

    def on_socket(ws: WebSocket) -> None:
        ws.on(
            "framereceived",
            lambda payload: frames.append(payload) if isinstance(payload, bytes) else None,
        )

    page.on("websocket", on_socket)
    return frames


def _pixels(page: Page) -> list[int]:
    pixels: list[int] = page.get_by_test_id("boundary-canvas").evaluate(CANVAS_PIXELS)
    return pixels


def _open(page: Page, url: str) -> None:
    page.goto(url)
    expect(page.get_by_test_id("connection-status")).to_have_attribute(
        "data-state", "open", timeout=15_000
    )


def test_the_canvas_paints_from_small_weights_frames_while_training(
    page: Page, live_server: str, artifacts: Path
) -> None:
    frames = _frames(page)
    _open(page, live_server)
    page.get_by_test_id("play").click()
    page.wait_for_function(f"() => {STEPS} > 100")
    before = _pixels(page)
    draws = page.evaluate("() => window.__drawCounts.heatmap")
    page.wait_for_function(
        f"n => window.__drawCounts.heatmap > n + 10 && {STEPS} > 400",
        arg=draws,
        timeout=20_000,
    )
    after = _pixels(page)
    page.screenshot(path=artifacts / "page-grid-training.png")
    page.get_by_test_id("pause").click()
    assert sum(a != b for a, b in zip(before, after, strict=True)) > 1000, (
        "the boundary did not move"
    )
    decoded = [msgpack.unpackb(f) for f in frames]
    live = [(f, d) for f, d in zip(frames, decoded, strict=True) if d.get("type") == "frame"]
    assert len(live) > 10
    assert all(d["weights"] is not None and d["grid"] is None for _, d in live)
    assert max(len(f) for f, _ in live) < 2048
    assert page.evaluate("() => window.__drawCounts.heatmapSide") >= 64


def _picture(context: BrowserContext, url: str, path: Path) -> tuple[list[int], int, str]:
    """The canvas after 300 steps of the default setup, the grid's side and what evaluated it."""
    page = context.new_page()
    _open(page, url)
    page.get_by_test_id("step-size").select_option("100")
    for i in range(1, 4):  # the same seed and steps give the same weights in every session
        page.get_by_test_id("step").click()
        expect(page.get_by_test_id("step-count")).to_have_text(str(100 * i))
    page.wait_for_timeout(300)
    pixels = _pixels(page)
    side, engine = page.evaluate(
        "() => [window.__drawCounts.heatmapSide, window.__drawCounts.evaluator]"
    )
    page.get_by_test_id("boundary-canvas").screenshot(path=path)
    page.close()
    return pixels, side, engine


@pytest.mark.parametrize(
    ("engine", "query"),
    [("js", "grid_gl=0"), ("webgl", "grid_gl=1"), ("js", "grid_gl=0&grid_workers=2")],
    ids=["js", "webgl", "js-two-workers"],
)
def test_the_page_draws_what_the_servers_grid_draws(
    context: BrowserContext, live_server: str, artifacts: Path, engine: str, query: str
) -> None:
    theirs, side, _ = _picture(
        context, f"{live_server}/?grid=server", artifacts / "grid-server.png"
    )
    assert side == 100
    name = query.replace("&", "-").replace("=", "")
    ours, side, used = _picture(
        context, f"{live_server}/?{query}&grid_side=256", artifacts / f"grid-{name}.png"
    )
    assert (side, used) == (256, engine)
    assert len(ours) == len(theirs)
    mean = sum(abs(a - b) for a, b in zip(ours, theirs, strict=True)) / len(ours)
    assert mean < 2.0, f"the {engine} boundary differs from the server's by {mean:.2f}/255"
