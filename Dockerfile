# nn-playground: Node builds the frontend, a slim Python image serves it.
# CPU torch by default; `--build-arg TORCH_VARIANT=cu124` (any PyTorch wheel index suffix) for CUDA.

FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

# The C loop for plain SGD (models/fast_kernel.c) is built where a compiler is; the app stage
# has none and loads it from NNP_KERNEL_DIR. The build fails loudly rather than ship without it.
# gcc is not pinned: its version follows the base image's Debian release, and a pinned
# libc6-dev would break the build at every Debian security update.
FROM python:3.11-slim-bookworm AS kernel
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev \
  && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY models/__init__.py models/fast_build.py models/fast_kernel.c models/
RUN NNP_KERNEL_DIR=/opt/nnp-kernel python -m models.fast_build

FROM python:3.11-slim-bookworm AS app
ARG TORCH_VERSION=2.13.0
ARG TORCH_VARIANT=cpu
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 NNP_KERNEL_DIR=/opt/nnp-kernel
WORKDIR /app
RUN pip install "torch==${TORCH_VERSION}" --index-url "https://download.pytorch.org/whl/${TORCH_VARIANT}"
# Every other runtime dependency at the version CI tested (`make lock` re-pins them).
COPY requirements.lock ./
RUN pip install -r requirements.lock
COPY pyproject.toml README.md ./
COPY models/ models/
COPY server/ server/
COPY --from=frontend /src/server/static/ server/static/
COPY --from=kernel /opt/nnp-kernel/ /opt/nnp-kernel/
# The app runs from site-packages, owned by root: the server's user can read it, never change
# it. /app (the build context) is removed so nothing writable-looking is left around.
RUN pip install --no-deps . && rm -rf /app/* && useradd --create-home --uid 10001 playground
WORKDIR /home/playground
USER 10001:10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/api/health', timeout=4)"]
CMD ["uvicorn", "server.app:create_app", "--factory", "--host", "0.0.0.0", "--port", "8000", "--ws-max-size", "4198400"]
