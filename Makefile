# The two commands of the README: `make demo` and `make test`.
# `make demo` sets up a virtual environment with what running needs (requirements.lock);
# `make test` adds the development set (requirements-dev.lock, the same versions plus the tools).
# Each step runs again only when its lock file changed. Packages are installed by uv (pinned below, put
# into the virtual environment by pip): the same lock files, in seconds instead of minutes.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
UV_VERSION := 0.13.9
UV := $(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python
# Test workers: one per core and one more, as a test spends part of its time waiting on a database,
# a server or the browser (on two cores, three workers were the fastest).
WORKERS ?= $(shell $(PYTHON) -c 'import os; print((os.cpu_count() or 1) + 1)')

.PHONY: demo test setup lock lint bench bench-mapping bench-quality bench-exports bench-load bench-start bench-dashboard screenshots messages clean

demo: $(RUN_STAMP)
	$(BIN)/backbone demo

test: $(DEV_STAMP)
	$(BIN)/python -m pytest -n $(WORKERS) --dist worksteal $(PYTEST_ARGS)

setup: $(DEV_STAMP)

$(RUN_STAMP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Backbone needs Python 3.11 or later")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(UV) -r requirements.lock
	$(UV) --no-deps -e .
	touch $(RUN_STAMP)

$(DEV_STAMP): $(RUN_STAMP) requirements-dev.lock
	$(UV) -r requirements-dev.lock
	touch $(DEV_STAMP)

# Regenerate the lock files after changing dependencies in pyproject.toml:
# requirements.lock for running (the Docker image), requirements-dev.lock for tests, same versions.
lock: $(DEV_STAMP)
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 -c requirements.lock -o requirements-dev.lock

# Import benchmark: 1,000,000 rows, first import and a 10%-changed re-import, with ratios to DuckDB and pandas.
bench: $(DEV_STAMP)
	$(BIN)/python bench/imports.py

# Source mapping benchmark: a 1,000,000-cell wide publisher's file against the same data in the long format.
bench-mapping: $(DEV_STAMP)
	$(BIN)/python bench/mapping.py

# Data quality benchmark: every rule over 1,000,000 observations against a bare DuckDB window scan.
bench-quality: $(DEV_STAMP)
	$(BIN)/python bench/quality.py

# Export benchmark: 1,000,000 observations as CSV and Parquet against DuckDB's bare COPY of the same table.
bench-exports: $(DEV_STAMP)
	$(BIN)/python bench/exports.py

# Load test on PostgreSQL (127.0.0.1): readers and writers at once, 1 and 2 workers, one worker killed half way;
# nothing acknowledged may be lost.
bench-load: $(DEV_STAMP)
	$(BIN)/python bench/load.py --kill

# Start benchmark: `backbone serve` on 9,990,000 observations (built once into bench/out/), first start and restart
# on the kept read model, warm reads and a saved value's way into /progress, against a bare DuckDB aggregate.
bench-start: $(DEV_STAMP)
	$(BIN)/python bench/start.py

# Dashboard benchmark: every page's time to interactive in headless Chromium (demo and 1,000,000 observations),
# with the ratio to the API calls behind it.
bench-dashboard: $(DEV_STAMP)
	$(BIN)/python bench/dashboard.py

# Screenshots of every page at 1366x768 on the demo data, into screenshots/.
screenshots: $(DEV_STAMP)
	$(BIN)/python bench/screenshots.py --out screenshots

# After changing the dashboard's texts: collect the messages and add the new ones to the
# Dutch and German catalogs (dashboard/locale/*/LC_MESSAGES/messages.po), then translate them there.
messages: $(DEV_STAMP)
	$(BIN)/pybabel extract --no-location --omit-header -k _ -k N_ -o dashboard/locale/messages.pot dashboard
	$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching -i dashboard/locale/messages.pot -d dashboard/locale

# Lint: ruff's rules (a noqa that suppresses nothing fails too), its formatting, and mypy (strict; see pyproject.toml).
lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) demo-data .pytest_cache
