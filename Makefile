# Two commands set everything up on a fresh machine with only Python on it:
#   make demo   - the main job on examples/fuyang
#   make test   - lint and the whole test suite
# Each creates its own virtual environment in .venv (override: make test PYTHON=python3.13 VENV=.venv313).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The editable install is "strict": a static .pth and a tree of links to the sources, which
# mypy and other type checkers follow, where the default mode's import hook hides every type.
# A link tree does not see a module added later, so the stamp names the set of package files:
# adding or removing one reinstalls.
EDITABLE := --config-settings editable_mode=strict
SOURCES := $(shell find fyrules adapters/fyrules_adapters -name __pycache__ -prune -o -type f -print 2>/dev/null | LC_ALL=C sort | cksum | cut -d' ' -f1)
STAMP := $(VENV)/.installed-$(SOURCES)

.PHONY: demo test test-core lint bench schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	rm -f $(VENV)/.installed*
	$(BIN)/python -m pip install --quiet $(EDITABLE) -e '.[test]'
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
CORE_STAMP := $(VENV)/.core-installed-$(SOURCES)

$(CORE_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	rm -f $(VENV)/.core-installed*
	$(BIN)/python -m pip install --quiet $(EDITABLE) -e . pytest hypothesis rfc8785
	touch $(CORE_STAMP)

test-core: $(CORE_STAMP)
	HYPOTHESIS_PROFILE=ci $(BIN)/python -m pytest -m "not optional" $(PYTEST_FLAGS)

# The benchmarks measure what users run: the default install (`pip install .`: the wheel, its hot
# modules compiled by mypyc, see setup.py), in an environment of its own, with the peers.
BENCH_VENV ?= .venv-bench
bench:
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BENCH_VENV)/bin/python -m pip install --quiet '.[bench]'
	$(BENCH_VENV)/bin/python -m pip install --quiet --force-reinstall --no-deps .
	$(BENCH_VENV)/bin/python benchmarks/run.py

schema: $(STAMP)
	$(BIN)/fyrules schema --output fyrules.schema.json

clean:
	rm -rf $(VENV) .venv312 .venv313 $(BENCH_VENV) .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
