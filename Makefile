# Two commands set everything up on a fresh machine with only Python on it:
#   make demo   - the main job on examples/fuyang
#   make test   - lint and the whole test suite
# Each creates its own virtual environment in .venv (override: make test PYTHON=python3.13 VENV=.venv313).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-core lint bench schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# The main job on examples/fuyang: `fyrules demo` checks and tests the rulebook, generates a
# month of cases, replays it, reports what management reads and writes the publication to out/.
demo: $(STAMP)
	$(BIN)/fyrules demo --out out

lint: $(STAMP)
	$(BIN)/ruff check fyrules adapters tests benchmarks examples docs
	$(BIN)/ruff format --check --quiet fyrules adapters tests benchmarks examples docs/gen_api.py
	$(BIN)/mypy

test: lint
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest

# The core suite with the core dependencies only (no optional extras, no compiled
# accelerators of ours), to prove the core runs on each Python version.
CORE_STAMP := $(VENV)/.installed-core

$(CORE_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e . pytest hypothesis
	touch $(CORE_STAMP)

test-core: $(CORE_STAMP)
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest -m "not optional"

bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	$(BIN)/python benchmarks/run.py

schema: $(STAMP)
	$(BIN)/fyrules schema --output fyrules.schema.json

clean:
	rm -rf $(VENV) .venv312 .venv313 .pytest_cache .ruff_cache .hypothesis build *.egg-info
