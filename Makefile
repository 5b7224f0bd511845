# Xiaoneng — everything a developer or operator needs, with nothing but Python >= 3.11 and make.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.synced-$(shell cat uv.lock pyproject.toml | cksum | cut -d' ' -f1)
XN := $(BIN)/xiaoneng
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: setup run test test-browser guide-screenshots lint format messages bench bench-full ci clean

setup: $(STAMP)

# The virtual environment comes from the committed lock file. uv is used when it is on PATH,
# otherwise it is bootstrapped into the virtual environment with pip.
$(STAMP): uv.lock pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python >= 3.11 is required")'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@if command -v uv >/dev/null 2>&1; then UV=uv; else \
		test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet --disable-pip-version-check uv; \
		UV=$(BIN)/uv; fi; \
		$$UV sync --frozen --inexact --python $(BIN)/python --quiet
	@rm -f $(VENV)/.synced-*
	@touch $(STAMP)

run: setup
	$(XN) migrate --noinput
	$(XN) demo --first-run
	$(XN) serve

# Tests keep compiled bytecode under the virtual environment, out of the source tree, even where
# PYTHONDONTWRITEBYTECODE is set (as on the CI machines): otherwise every test process, and every
# command a test starts, compiles Django and the project again (about 11 s of CPU each).
PYCACHE := PYTHONDONTWRITEBYTECODE= PYTHONPYCACHEPREFIX=$(CURDIR)/$(VENV)/pycache

test: setup
	$(PYCACHE) $(BIN)/pytest -m "not browser and not reliability" -n auto

test-browser: setup
	$(PYCACHE) $(BIN)/pytest -m browser

# Regenerate the user guide's screenshots (docs/images/) from the browser tests; commit them.
guide-screenshots: setup
	XN_GUIDE_SHOTS=docs/images $(BIN)/pytest -m browser tests/browser/test_guide_screenshots.py -p no:randomly -n 0

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	PYTHONPATH=src $(BIN)/mypy
	$(BIN)/lint-imports
	$(XN) makemigrations --check --dry-run
	$(BIN)/python scripts/check_catalogs.py

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the translation catalogs from the source (needs GNU gettext) and compile them.
messages: setup
	cd src/xiaoneng && ../../$(XN) makemessages --locale zh_Hans --locale en --no-obsolete --no-location
	$(BIN)/python scripts/check_catalogs.py --fill-english --compile

# The benchmarks run on PostgreSQL (the local server unless DATABASE_URL names another); each
# makes and drops its own databases and never touches the server's own.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/postgres

bench: setup
	@started=$$(date +%s); \
	for script in bench/*.py; do case $$script in */_*) continue;; esac; \
		echo "== $$script"; \
		DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(BIN)/python -u $$script --quick \
			|| exit 1; done; \
	echo "== make bench: $$(( $$(date +%s) - started )) s"

# The full sizes (a million cases; needs the local PostgreSQL and time).
bench-full: setup
	@started=$$(date +%s); \
	for script in bench/*.py; do case $$script in */_*) continue;; esac; \
		echo "== $$script"; \
		DATABASE_URL=$${DATABASE_URL:-$(BENCH_DATABASE_URL)} $(BIN)/python -u $$script \
			|| exit 1; done; \
	echo "== make bench-full: $$(( $$(date +%s) - started )) s"

ci:
	bash .ci/run

clean:
	rm -rf $(VENV) .ruff_cache .mypy_cache
