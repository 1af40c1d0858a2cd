# Participation Workbook — every command a user or CI needs. `make` alone prints this help.
# Only Python 3.11, git and make are assumed; everything else is installed into .venv.

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
LOCK := requirements.lock
UV_VERSION := $(shell sed -n 's/^uv==\(.*\)/\1/p' $(LOCK))
DEMO := demo-care-at-home-2026

.PHONY: help setup report test bench lint format lab lock clean browser pdf-libs

help: ## Show this help
	@echo "Participation Workbook"
	@echo
	@echo "  make report   set up the environment, then validate and report the demo consultation"
	@echo "  make test     set up the environment if needed, then lint and run every test"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): $(LOCK) pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (set PYTHON=/path/to/python3.11)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"
	# compiled now: a machine that sets PYTHONDONTWRITEBYTECODE would otherwise compile every
	# import of every process (each kernel, worker and command) from source, every run
	$(BIN)/uv pip sync --quiet --compile-bytecode --python $(BIN)/python $(LOCK)
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps --editable .
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv from the lock (idempotent)

report: setup ## Validate the demo, write every region's report, the overview and the index
	$(BIN)/workbook report $(DEMO)

browser: ## Install Debian's chromium for the browser tests (needs root or sudo)
	@bash scripts/install-browser.sh

pdf-libs: ## Install Pango and fonts for `workbook report --pdf` (needs root or sudo)
	@bash scripts/install-pdf-libraries.sh

test: setup browser pdf-libs ## Lint, then run every test (what CI runs)
	$(BIN)/ruff check pipelines tests notebooks
	$(BIN)/ruff format --check pipelines tests notebooks
	$(BIN)/python -m pytest

bench: setup ## Time every stage on synthetic data; figures beside the targets (docs/performance.md)
	$(BIN)/workbook bench $(if $(SCENARIOS),$(foreach s,$(SCENARIOS),--scenario $(s)))

lint: setup ## Check code style (ruff)
	$(BIN)/ruff check pipelines tests notebooks
	$(BIN)/ruff format --check pipelines tests notebooks

format: setup ## Format code and fix what ruff can
	$(BIN)/ruff check --fix pipelines tests notebooks
	$(BIN)/ruff format pipelines tests notebooks

lab: setup ## Start JupyterLab in the project environment, with the project's kernel
	@bash scripts/register_kernel.sh
	$(BIN)/jupyter lab --notebook-dir=$(CURDIR)/notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

lock: ## Refresh requirements.lock and environment.yml from pyproject.toml
	@test -x $(BIN)/uv || { $(PYTHON) -m venv $(VENV) && $(BIN)/python -m pip install --quiet uv; }
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --quiet --output-file $(LOCK)
	$(BIN)/python scripts/write_environment_yml.py

clean: ## Remove clean data, reports and caches (never raw data)
	find data/clean -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
	find reports -mindepth 1 -maxdepth 1 ! -name README.md -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -not -path './.venv/*' -prune -exec rm -rf {} +
