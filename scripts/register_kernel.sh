#!/usr/bin/env bash
# Register the project's Jupyter kernel, "Participation Workbook (.venv)" (name
# participation-workbook), running the project environment's Python, where pipelines is
# installed editable, so notebooks import it whatever their working directory.
#   scripts/register_kernel.sh           into the venv itself (ipykernel install --sys-prefix)
#   scripts/register_kernel.sh PREFIX    into PREFIX/share/jupyter/kernels (tests)
set -euo pipefail
project="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
python="${VENV_PYTHON:-$project/.venv/bin/python}"
if [[ $# -gt 0 ]]; then where=(--prefix "$1"); else where=(--sys-prefix); fi
"$python" -m ipykernel install "${where[@]}" \
    --name participation-workbook --display-name "Participation Workbook (.venv)"
