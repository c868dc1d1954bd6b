# Harambee: `make run` serves the app, `make test` runs every check. Both are idempotent.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test bench messages lint clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Harambee needs Python 3.11 or newer")'
	@echo "==> creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "==> installing Harambee and its dependencies"
	$(BIN)/pip install --quiet --editable .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	@echo "==> installing the development tools (pytest, playwright, ruff, mypy, localstripe)"
	$(BIN)/pip install --quiet --editable '.[dev]'
	@touch $@

run: $(VENV)/.installed
	@echo "==> applying migrations"
	$(BIN)/harambee migrate
	@echo "==> loading demo data if the database is empty"
	$(BIN)/harambee demo --if-empty
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "==> REDIS_URL is set: starting an arq worker beside the web server"; \
	  $(BIN)/harambee worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "==> serving on http://$(HOST):$(PORT)"; \
	  $(BIN)/harambee serve --host $(HOST) --port $(PORT); \
	else \
	  echo "==> serving on http://$(HOST):$(PORT) (SQLite in var/, jobs run inside the web process)"; \
	  exec $(BIN)/harambee serve --host $(HOST) --port $(PORT); \
	fi

test: $(VENV)/.installed-dev
	$(BIN)/python -m tests.passes

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || { echo "==> installing wrk from Debian's packages"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q wrk; }
	$(BIN)/python -m bench

messages: $(VENV)/.installed-dev
	$(BIN)/python -m app.i18n_catalogs

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
