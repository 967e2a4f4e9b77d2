# nn-playground: every developer command. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 8000
TORCH_VERSION ?= 2.13.0

RUNTIME_STAMP  := $(VENV)/.runtime-installed
DEV_STAMP      := $(VENV)/.dev-installed
NODE_STAMP     := frontend/node_modules/.installed
FRONTEND_BUILT := server/static/index.html
FRONTEND_SRC   := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/package.json -type f 2>/dev/null)

.PHONY: help install run dev codegen check test e2e bench soak docker frontend chromium postgresql clean lock

help:  ## list the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-9s %s\n", $$1, $$2}'

$(RUNTIME_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "Python 3.11+ is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	# torch first and pinned: an open range would pull a multi-GB CUDA build
	$(PY) -m pip install --quiet torch==$(TORCH_VERSION)
	$(PY) -m pip install --quiet -e .
	touch $@

$(DEV_STAMP): $(RUNTIME_STAMP)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

$(FRONTEND_BUILT): $(NODE_STAMP) $(FRONTEND_SRC)
	cd frontend && npm run build

install: $(RUNTIME_STAMP) $(FRONTEND_BUILT)  ## create .venv, install the package, build the UI

frontend: $(FRONTEND_BUILT)  ## build the UI into server/static

run: install  ## install what is missing, build the UI, serve on http://$(HOST):$(PORT)
	exec $(VENV)/bin/uvicorn server.app:create_app --factory --host $(HOST) --port $(PORT) --ws-max-size 4198400

dev: $(DEV_STAMP) $(NODE_STAMP)  ## uvicorn --reload on :8000 and Vite on :5173 (proxying /ws, /api)
	trap 'kill 0' EXIT; \
	$(VENV)/bin/uvicorn server.app:create_app --factory --reload --port $(PORT) & \
	cd frontend && npm run dev

codegen: $(RUNTIME_STAMP) $(NODE_STAMP)  ## regenerate protocol.gen.ts (websocket) and api.gen.ts (HTTP)
	$(PY) -m server.protocol | node frontend/scripts/codegen.mjs > frontend/src/lib/protocol.gen.ts
	$(PY) -m server.openapi | node frontend/scripts/apigen.mjs > frontend/src/lib/api.gen.ts

check: $(DEV_STAMP) $(NODE_STAMP)  ## ruff, mypy --strict, svelte-check, hadolint, dependency audits
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	cd frontend && npm run check
	$(VENV)/bin/hadolint Dockerfile
	scripts/audit.sh

lock:  ## re-pin requirements.lock (the Docker image's runtime dependencies) in a scratch venv
	PYTHON=$(PYTHON) TORCH_VERSION=$(TORCH_VERSION) scripts/lock.sh

chromium:  ## install Debian's chromium for the browser tests (as root)
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium; \
	  else echo "browser tests need Debian's chromium: sudo apt-get install -y chromium"; exit 1; fi; }

postgresql:  ## install Debian's postgresql for the storage tests (as root; the tests start their own server)
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q postgresql; \
	  else echo "storage tests need Debian's postgresql: sudo apt-get install -y postgresql"; exit 1; fi; }

test: check $(FRONTEND_BUILT) chromium postgresql  ## every test: vitest, unit, API, websocket, browser
	cd frontend && npm test
	$(PY) -m pytest

e2e: $(DEV_STAMP) $(FRONTEND_BUILT) chromium  ## only the browser journeys
	$(PY) -m pytest -m e2e

bench: $(DEV_STAMP) $(FRONTEND_BUILT) chromium  ## benchmarks (browser included); the last stdout line is one JSON object
	$(PY) -m bench

soak: $(DEV_STAMP)  ## 20 sessions play for 10 min (NNP_SOAK_SECONDS=30 for a trial); not in `make test`
	$(PY) -m bench.soak

docker:  ## build the CPU image (needs a Docker engine)
	docker build -t nn-playground .

clean:  ## remove the venv, node_modules and the built UI
	rm -rf $(VENV) frontend/node_modules server/static
