# The two commands of the README: `make demo` and `make test`.
# Both set up a virtual environment from requirements-dev.lock first (only when it changed).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test setup lock lint bench bench-dashboard screenshots messages clean

demo: $(STAMP)
	$(BIN)/backbone demo

test: $(STAMP)
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

setup: $(STAMP)

$(STAMP): requirements-dev.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Backbone needs Python 3.11 or later")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

# Regenerate the lock files after changing dependencies in pyproject.toml:
# requirements.lock for running (the Docker image), requirements-dev.lock for tests, same versions.
lock: $(STAMP)
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 -c requirements.lock -o requirements-dev.lock

# Import benchmark: 1,000,000 rows, first import and a 10%-changed re-import, with ratios to DuckDB and pandas.
bench: $(STAMP)
	$(BIN)/python bench/imports.py

# Dashboard benchmark: every page's time to interactive in headless Chromium (demo and 1,000,000 observations),
# with the ratio to the API calls behind it.
bench-dashboard: $(STAMP)
	$(BIN)/python bench/dashboard.py

# Screenshots of every page at 1366x768 on the demo data, into screenshots/.
screenshots: $(STAMP)
	$(BIN)/python bench/screenshots.py --out screenshots

# After changing the dashboard's texts: collect the messages and add the new ones to the
# Dutch and German catalogs (dashboard/locale/*/LC_MESSAGES/messages.po), then translate them there.
messages: $(STAMP)
	$(BIN)/pybabel extract --no-location --omit-header -k _ -k N_ -o dashboard/locale/messages.pot dashboard
	$(BIN)/pybabel update --ignore-obsolete --no-fuzzy-matching -i dashboard/locale/messages.pot -d dashboard/locale

# Lint: ruff's rules (a noqa that suppresses nothing fails too), its formatting, and mypy (strict; see pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) demo-data .pytest_cache
