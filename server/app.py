"""create_app(): the FastAPI app with its routes, the /ws endpoint and the built frontend."""

from __future__ import annotations

import threading
from pathlib import Path

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import PlainTextResponse
from fastapi.staticfiles import StaticFiles

from models import fast_build
from models.device import pick_device
from server import (
    __version__,
    experiment_routes,
    expression_routes,
    lesson_routes,
    limits,
    runs_routes,
    setup_routes,
)
from server.routes import readable_validation_error, router
from server.security import HostCheck, RequestBodyLimit, SecurityHeaders
from server.settings import Settings
from server.state import AppState
from server.ws import serve_socket

PACKAGED_STATIC = Path(__file__).parent / "static"


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app; `uvicorn server.app:create_app --factory` serves it."""
    settings = settings or Settings()
    app = FastAPI(title="nn-playground", version=__version__)
    lessons_dir = Path(settings.lessons_dir) if settings.lessons_dir else None
    lessons = lesson_routes.load_course(lessons_dir)  # a bad lesson file stops here
    # The one attribute of starlette's untyped bag; routes reach it typed through AppStateDep.
    runs = runs_routes.make_store(settings)  # the database opens on first use
    app.state.playground = AppState(settings, pick_device(settings.device), lessons, runs)
    # Build (or find) the C kernel now, beside the start, so the first session's first chunk
    # does not compile it inside its turn at the training gate (~0.3 s of CPU, once).
    threading.Thread(target=fast_build.load, name="fast-kernel", daemon=True).start()
    app.include_router(router)
    app.include_router(setup_routes.router)
    app.include_router(lesson_routes.router)
    app.include_router(experiment_routes.router)
    app.include_router(runs_routes.router)
    app.include_router(expression_routes.router)
    app.add_exception_handler(RequestValidationError, readable_validation_error)
    app.add_api_websocket_route("/ws", serve_socket)
    # Each add_middleware wraps the ones before it: the headers go on every answer, 413s too.
    app.add_middleware(
        RequestBodyLimit,
        max_bytes=limits.MAX_REQUEST_BYTES,
        per_path={
            "/api/regions": limits.MAX_REGIONS_REQUEST_BYTES,
            "/api/runs": limits.PUBLISH_MAX_RUN_BYTES,
            "/api/weights/safetensors": limits.MAX_MESSAGE_BYTES,  # the largest weights as JSON
            "/api/weights/from-safetensors": limits.MAX_SAFETENSORS_BYTES,
        },
    )
    if settings.allowed_origins:  # CORS stays closed unless an operator names other sites
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_methods=["GET", "POST"],
            allow_headers=["content-type", runs_routes.TOKEN_HEADER.lower()],
        )
    app.add_middleware(HostCheck, allowed=settings.allowed_hosts)
    app.add_middleware(SecurityHeaders)
    static = Path(settings.static_dir) if settings.static_dir else PACKAGED_STATIC
    if (static / "index.html").is_file():
        app.mount("/", StaticFiles(directory=static, html=True), name="frontend")
    else:
        app.add_api_route("/", frontend_missing, include_in_schema=False)
    return app


def frontend_missing() -> PlainTextResponse:
    """Say how to build the page instead of a bare 404 when it has not been built."""
    text = "The frontend is not built. Run `make run` (or `make frontend`) from the repository."
    return PlainTextResponse(text, status_code=503)
