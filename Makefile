# Everyday commands. `make` alone lists them.

.DEFAULT_GOAL := help

# Python 3.11 when installed, else whatever python3 is (pyproject says >=3.11).
SYSTEM_PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PYTHON := $(BIN)/python
MANAGE := $(PYTHON) manage.py
# Touched after a successful install: the install runs again only when
# pyproject.toml is newer than this file.
INSTALL_STAMP := $(VENV)/.install-stamp
# What installs the project into .venv: uv (itself installed from PyPI into
# .venv by pip) takes seconds where pip alone takes minutes. With
# INSTALLER=pip, pip does it all, and pip's own configuration (PIP_INDEX_URL,
# pip.conf) applies; uv reads UV_INDEX_URL and uv.toml instead.
INSTALLER ?= uv

# gunicorn's port, processes, threads and request timeout: ifri/gunicorn.conf.py
# reads them from the environment and explains the defaults.
PORT ?= 8000
WORKERS ?= 3
THREADS ?= 4
TIMEOUT ?= 120

# Extra pytest arguments, e.g. `make test PYTEST_ARGS="-k pdf -x"`.
PYTEST_ARGS ?=
# pytest-xdist processes for `make test` (auto: one per CPU; 0 runs in this
# process). Tests marked xdist_group (the fault tests) share one worker.
PYTEST_WORKERS ?= auto
# Extra scripts/bench/ arguments, e.g. `make bench BENCH_ARGS="--duration 5"`.
BENCH_ARGS ?=
# Extra scripts/bench_pdf/ arguments, e.g. BENCH_PDF_ARGS="--skip-serving".
BENCH_PDF_ARGS ?=
# Extra scripts/bench_search/ arguments, e.g. BENCH_SEARCH_ARGS="--runs 20".
BENCH_SEARCH_ARGS ?=

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help install run dev test lint format migrations-check messages bench \
	bench-pdf bench-search clean distclean

help: ## List the targets
	@echo "Usage: make TARGET [PORT=8000]"
	@echo
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) \
		| awk 'BEGIN {FS = ":.*## "}; {printf "  %-18s %s\n", $$1, $$2}'

install: $(INSTALL_STAMP) ## Create .venv and install the project with its dev tools

$(INSTALL_STAMP): pyproject.toml
	test -x $(PYTHON) || $(SYSTEM_PYTHON) -m venv $(VENV)
ifeq ($(INSTALLER),uv)
	$(BIN)/pip install --quiet 'uv>=0.5,<1'
	$(BIN)/uv pip install --quiet --python $(PYTHON) -e '.[dev]'
else
	$(BIN)/pip install --quiet -e '.[dev]'
endif
	touch $@

# The local production-like server: gunicorn, DEBUG off, plain HTTP, with the
# key generated in var/ and Django serving the uploads.
run: export DEBUG := 0
run: export HTTPS := off
run: export SERVE_MEDIA := on
run: install ## Serve the demo with gunicorn on http://127.0.0.1:PORT/ (8000)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo --if-empty
	$(MANAGE) ensure_admin
	$(MANAGE) collectstatic --noinput --verbosity 0
	PORT=$(PORT) WORKERS=$(WORKERS) THREADS=$(THREADS) TIMEOUT=$(TIMEOUT) \
		exec $(BIN)/gunicorn --config ifri/gunicorn.conf.py

dev: export DEBUG := 1
dev: export HTTPS := off
dev: export SERVE_MEDIA := on
dev: install ## Run Django's development server (DEBUG on, auto-reload)
	$(MANAGE) migrate --noinput
	$(MANAGE) load_demo --if-empty
	$(MANAGE) ensure_admin
	$(MANAGE) runserver 127.0.0.1:$(PORT)

test: install ## Run the test suite (PostgreSQL when DATABASE_URL points at one)
	$(BIN)/pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

lint: install ## Check code style with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install ## Fix what ruff can fix and format the code
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install ## Fail if a model change has no migration
	$(MANAGE) makemigrations --check --dry-run

messages: install ## Update the French catalogue and compile it
	$(MANAGE) makemessages --locale fr --domain django \
		--ignore .venv --ignore var
	$(MANAGE) compilemessages --locale fr --ignore .venv --ignore var

bench: install ## Measure the demo's main pages under load (needs wrk)
	$(PYTHON) -m scripts.bench $(BENCH_ARGS)

bench-pdf: install ## Measure PDF processing on upload, then PDF serving (needs wrk)
	$(PYTHON) -m scripts.bench_pdf $(BENCH_PDF_ARGS)

bench-search: install ## Search, list and autocomplete latency at 100,000 publications (PostgreSQL)
	$(PYTHON) -m scripts.bench_search $(BENCH_SEARCH_ARGS)

clean: ## Delete local data in var/ (database, uploads, static) and caches
	rm -rf var .pytest_cache .ruff_cache build *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune \
		-exec rm -rf {} +

distclean: clean ## Also delete the virtualenv
	rm -rf $(VENV)
