#!/usr/bin/env bash
# Re-pin requirements.lock: resolve the package's runtime dependencies in a scratch venv, then
# keep everything but torch and what torch itself brings (the image installs those first, from
# the PyTorch index of its variant).
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
torch_version=${TORCH_VERSION:-2.13.0}
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
"$python" -m venv "$scratch/venv"
pip="$scratch/venv/bin/pip"
"$pip" install --quiet "torch==$torch_version"
"$pip" freeze | sed 's/==.*//' | tr 'A-Z_' 'a-z-' > "$scratch/torch-packages"
# The postgres extra too: the image serves PostgreSQL deployments (docs/deploy.md).
"$pip" install --quiet ".[postgres]"
{
  sed -n '1,3p' requirements.lock
  "$pip" freeze --exclude nn-playground | while IFS= read -r line; do
    name=$(sed 's/==.*//' <<<"$line" | tr 'A-Z_' 'a-z-')
    grep -qx -- "$name" "$scratch/torch-packages" || echo "$line"
  done
} > "$scratch/requirements.lock"
mv "$scratch/requirements.lock" requirements.lock
echo "requirements.lock: $(grep -vc '^#' requirements.lock) pinned packages"
