"""Render rate of the real page in headless Chromium: the frontend's `#bench` mode.

In that mode the page opens no socket: it feeds its one store synthetic events through the
store's normal apply() (a fresh 256x256 float16 grid every display frame, a loss history of
100,000 samples that grows by 50 a frame) and counts the display frames in which the heatmap
drew a new grid, over 5 s after a 2 s warm-up (frontend/src/lib/renderBench.ts).

What the number means: Debian's Chromium, headless, --disable-gpu, so everything (canvas,
layout, compositing) is rendered in software on the CPU, with begin-frames at the usual 60 Hz.
60 is the ceiling: `browser_fps` says whether the page keeps up with a 60 Hz display on this
machine's CPU. `--disable-frame-rate-limit` (pass it in `extra_args`) lifts the cap and shows
throughput instead, but then rendering competes with itself for the CPU and the number is
noisier. On a busy machine every number here drops with the load.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import ViewportSize

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}


def browser_fps(
    base_url: str,
    *,
    measure_s: float = 5,
    screenshot: str | None = None,
    extra_args: tuple[str, ...] = (),
    weights: bool = False,
    query: str = "",
) -> dict[str, float]:
    """Opens `{base_url}/#bench` at 1280x800 and returns the page's render rates. With
    `weights`, the frames carry a 2-8-8-1 tanh network's weights instead of the grid and the
    page evaluates each at 256×256 (`?grid_side=256`, in its workers) before drawing it.
    `query` adds URL parameters (`grid_workers=1`, say)."""
    from playwright.sync_api import sync_playwright

    search = "&".join(part for part in ("grid_side=256" if weights else "", query) if part)
    search = f"?{search}" if search else ""
    url = f"{base_url.rstrip('/')}/{search}#bench&measure={measure_s:g}&weights={int(weights)}"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args])
        try:
            page = browser.new_page(viewport=VIEWPORT)
            response = page.goto(url)
            if response is None or not response.ok:
                status = response.status if response else "no response"
                raise RuntimeError(f"{url}: {status}; is the frontend built (npm run build)?")
            page.wait_for_function(  # a function: a bare expression is eval'd, which CSP refuses
                "() => window.__renderBench && window.__renderBench.done",
                timeout=(measure_s + 60) * 1000,
            )
            result = page.evaluate("window.__renderBench")
            if screenshot:
                page.screenshot(path=screenshot)
        finally:
            browser.close()
    return {
        "browser_fps": float(result["fps"]),
        "browser_fps_first_s": float(result["fpsFirstS"]),
        "browser_fps_last_s": float(result["fpsLastS"]),
        "browser_chart_points": float(result["chartPoints"]),
        "browser_chart_fps": float(result["chartFps"]),
    }


LIVE_MEASURE_S = 5.0


def live_boundary_fps(base_url: str, *, measure_s: float = LIVE_MEASURE_S) -> dict[str, float]:
    """Boundary redraws per second of the live page (a real session over the socket) on the
    default setup at `max` pace: the frames carry weights and the page evaluates each grid
    (frontend/src/lib/pageGrid.ts), so this is the whole chain: server frames, the worker's
    evaluation, the canvas. The page is opened with `?grid_side=256`, so every grid is 256×256
    however long it takes (the page otherwise coarsens it to keep the rate); 60 is the display's
    cap. Also reports the side the page picks on its own (`browser_boundary_side`)."""
    from playwright.sync_api import sync_playwright

    read = "() => [window.__drawCounts.heatmap, window.__drawCounts.heatmapSide, performance.now()]"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            rates = []
            for search in ("?grid_side=256", ""):
                page = browser.new_page(viewport=VIEWPORT)
                page.goto(f"{base_url.rstrip('/')}/{search}")
                page.get_by_test_id("connection-status").filter(has_text="connected").wait_for()
                page.get_by_test_id("speed").select_option("max")
                page.get_by_test_id("play").click()
                page.wait_for_timeout(2000)
                draws0, _, t0 = page.evaluate(read)
                page.wait_for_timeout(measure_s * 1000)
                draws1, side, t1 = page.evaluate(read)
                rates.append(((draws1 - draws0) / ((t1 - t0) / 1000), side))
                page.close()
        finally:
            browser.close()
    (fps_256, side_256), (fps, side) = rates
    return {
        "browser_boundary_live_fps_256": fps_256 if side_256 == 256 else 0.0,
        "browser_boundary_live_fps": fps,
        "browser_boundary_live_side": side,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", default="http://127.0.0.1:8000")
    parser.add_argument("--measure", type=float, default=5, help="seconds measured")
    parser.add_argument("--screenshot", help="save a PNG of the page at the end")
    parser.add_argument("--arg", action="append", default=[], help="extra Chromium flag")
    args = parser.parse_args()
    result = browser_fps(
        args.base_url,
        measure_s=args.measure,
        screenshot=args.screenshot,
        extra_args=tuple(args.arg),
    )
    json.dump(result, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
