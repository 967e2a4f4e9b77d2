"""No Docker engine runs here, so check what can be checked statically: sources and the CMD."""

import re
import shlex
import tomllib
from pathlib import Path

from server.serve import WS_MAX_SIZE

ROOT = Path(__file__).resolve().parent.parent
DOCKERFILE = (ROOT / "Dockerfile").read_text()


def test_every_copy_source_exists() -> None:
    sources = []
    for line in DOCKERFILE.splitlines():
        if line.startswith("COPY ") and "--from=" not in line:
            *srcs, _dest = shlex.split(line)[1:]
            sources += srcs
    assert sources
    for source in sources:
        assert (ROOT / source).exists(), f"COPY source {source} is missing"


def test_cmd_starts_the_same_app_as_make_run() -> None:
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.MULTILINE)
    assert cmd is not None
    makefile = (ROOT / "Makefile").read_text()
    assert "uvicorn server.app:create_app --factory" in makefile
    assert '"uvicorn", "server.app:create_app", "--factory"' in cmd.group(1)


def test_runs_as_non_root_with_a_healthcheck_on_the_health_route() -> None:
    assert re.search(r"^USER [1-9]", DOCKERFILE, re.MULTILINE)
    assert "HEALTHCHECK" in DOCKERFILE and "/api/health" in DOCKERFILE
    assert "EXPOSE 8000" in DOCKERFILE


def _name(requirement: str) -> str:
    """The normalised project name of a requirement line ("Foo_bar[x]>=1" -> "foo-bar")."""
    name = re.split(r"[\[<>=!~; ]", requirement.strip(), maxsplit=1)[0]
    return name.lower().replace("_", "-")


def test_the_image_installs_pinned_runtime_dependencies() -> None:
    """Everything but torch comes from requirements.lock, pinned, before the package itself."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lock = [
        line
        for line in (ROOT / "requirements.lock").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert all(re.fullmatch(r"[A-Za-z0-9_.\-]+==[^=\s]+", line) for line in lock), lock
    pinned = {_name(line) for line in lock}
    wanted = {_name(dep) for dep in project["dependencies"]} - {"torch"}
    assert wanted <= pinned, f"not pinned in requirements.lock: {wanted - pinned}"
    order = [DOCKERFILE.index(s) for s in ("requirements.lock", "pip install --no-deps .")]
    assert order == sorted(order)


def test_every_way_to_serve_caps_websocket_messages_like_serve_py() -> None:
    """uvicorn's own cap (16 MiB by default) must sit just above our message limit."""
    makefile = (ROOT / "Makefile").read_text()
    assert f"--ws-max-size {WS_MAX_SIZE}" in makefile
    assert f'"--ws-max-size", "{WS_MAX_SIZE}"' in DOCKERFILE
