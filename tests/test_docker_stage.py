"""The Docker image's app stage, reproduced without Docker: does the installed package work?

No Docker engine runs here, so this does what the app stage does: the pinned requirements.lock
(and torch) into a fresh virtual environment, a non-editable install of the package from a copy
of exactly what the Dockerfile copies, and the app served from site-packages out of an empty
folder. Then the page, its assets, the lessons, the digits and a training session must work:
a file missing from the package (a lesson, the digits, the built page) fails here, the way an
image would break unseen.

It installs torch from pip's cache or the local wheel index, so it is slow (minutes on a loaded
machine): run it with `NNP_DOCKER_STAGE=1 .venv/bin/python -m pytest tests/test_docker_stage.py`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import msgpack
import pytest
from websockets.sync.client import connect

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()

pytestmark = pytest.mark.skipif(
    os.environ.get("NNP_DOCKER_STAGE") != "1",
    reason="slow (installs torch into a fresh venv): set NNP_DOCKER_STAGE=1",
)


def _copied_sources() -> list[str]:
    """What the app stage COPYs from the build context (the built page comes from node)."""
    sources = []
    for line in DOCKERFILE.split(" AS app\n")[1].splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            sources += line.split()[1:-1]
    return sources


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as response:
        body: bytes = response.read()
        return body


@pytest.mark.timeout(1800)
def test_the_installed_package_serves_page_lessons_digits_and_training(tmp_path: Path) -> None:
    assert (ROOT / "server/static/index.html").is_file(), "run `make frontend` first"
    torch_version = re.search(r"TORCH_VERSION=(\S+)", DOCKERFILE)
    assert torch_version is not None
    context = tmp_path / "context"  # exactly what the Dockerfile copies, the page included
    for source in _copied_sources():
        target = context / source
        if (ROOT / source).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "static")
            shutil.copytree(ROOT / source, target, ignore=ignore)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(ROOT / source, target)
    shutil.copytree(ROOT / "server/static", context / "server/static")
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin/python"), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, f"torch=={torch_version.group(1)}"], check=True, timeout=900)
    subprocess.run([*pip, "-r", str(context / "requirements.lock")], check=True, timeout=900)
    subprocess.run([*pip, "--no-deps", str(context)], check=True, timeout=300)
    shutil.rmtree(context)  # as the image does: only site-packages is left

    empty = tmp_path / "empty"
    empty.mkdir()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "NNP_STATIC_DIR")}
    command = [
        str(venv / "bin/uvicorn"),
        "server.app:create_app",
        "--factory",
        "--port",
        str(port),
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(command, cwd=empty, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                health = json.loads(_get(base + "/api/health"))
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, "no server"
                time.sleep(0.5)
        assert health["status"] == "ok"
        where = subprocess.run(
            [str(venv / "bin/python"), "-c", "import server; print(server.__file__)"],
            cwd=empty,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "site-packages" in where, where
        page = _get(base + "/").decode()
        assets = re.findall(r'(?:src|href)="(/assets/[^"]+)"', page)
        assert assets, page[:300]
        for asset in assets:
            assert _get(base + asset)
        lessons = json.loads(_get(base + "/api/lessons"))["lessons"]
        assert len(lessons) >= 10
        with connect(f"ws://127.0.0.1:{port}/ws", proxy=None, max_size=None) as ws:
            assert json.loads(ws.recv(timeout=30))["type"] == "hello"
            ws.send(json.dumps({"type": "configure", "dataset": {"name": "digits"}}))
            ws.send(json.dumps({"type": "step", "steps": 20}))
            deadline, pixels = time.monotonic() + 60, False  # the digits' dataset came
            while time.monotonic() < deadline:
                message = ws.recv(timeout=30)
                if isinstance(message, str):
                    event = json.loads(message)
                    assert event["type"] != "error", event
                    pixels = pixels or (event["type"] == "dataset" and event["dims"] == 64)
                elif b"step" in message and b"frame" in message:
                    frame = msgpack.unpackb(message)
                    if frame["type"] == "frame" and frame["step"] == 20:
                        assert pixels, "no dataset of 64 pixels before the frame"
                        break
            else:
                raise AssertionError("no frame at step 20")
            # Publishing works from the pinned packages: SQLite in ./data of where it runs.
            ws.send(json.dumps({"type": "export", "weights": True}))
            event = {}
            while event.get("type") != "setup_file":  # frames (bytes) may come first
                message = ws.recv(timeout=30)
                event = json.loads(message) if isinstance(message, str) else {}
                assert event.get("type") != "error", event
        run = json.dumps({"setup": event["setup"]}).encode()
        request = urllib.request.Request(base + "/api/runs", run, method="POST")
        request.add_header("content-type", "application/json")
        with urllib.request.urlopen(request, timeout=60) as answer:
            run_id = json.loads(answer.read())["id"]
        assert json.loads(_get(f"{base}/api/runs/{run_id}"))["setup"] == event["setup"]
        assert (empty / "data" / "nn-playground.db").is_file()
    finally:
        server.terminate()
        server.wait(20)
