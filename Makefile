# Harambee: `make run` serves the app, `make test` runs every check. Both are idempotent.
# Every package comes from uv.lock (hashes included); nothing is resolved anew but by
# `make upgrade`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in mails and the X sign-in come back to the address `make run` listens on,
# unless BASE_URL is set (production requires it).
LINK_HOST := $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
# uv installs into $(VENV) and never downloads a Python of its own.
UV := UV_PROJECT_ENVIRONMENT=$(VENV) UV_PYTHON_DOWNLOADS=never $(BIN)/uv
SYNC := $(UV) sync --locked --python $(BIN)/python --quiet

.PHONY: run test bench messages lint upgrade clean

# uv goes into the venv by the system's pip when it can aim at another Python (pip 22.3+):
# a venv without pip of its own is made in a moment, where ensurepip takes seconds.
PIP_UV := install --quiet --disable-pip-version-check --require-hashes --no-deps -r devtools/uv.txt
define install_uv
	if $(PYTHON) -m pip --python $(BIN)/python --version >/dev/null 2>&1; then \
	  $(PYTHON) -m pip --python $(BIN)/python $(PIP_UV); \
	else \
	  $(BIN)/python -m ensurepip --default-pip >/dev/null && $(BIN)/python -m pip $(PIP_UV); \
	fi
endef

$(BIN)/uv: devtools/uv.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Harambee needs Python 3.11 or newer")'
	@[ -x $(BIN)/python ] || { echo "==> creating the virtual environment in $(VENV)"; $(PYTHON) -m venv --without-pip $(VENV); }
	@echo "==> installing uv (pinned, with its hashes, in devtools/uv.txt)"
	@$(install_uv)
	@touch $@

# The application alone; --inexact keeps the development tools of a `make test` before.
$(VENV)/.installed: pyproject.toml uv.lock $(BIN)/uv
	@echo "==> installing Harambee and exactly the locked versions of its dependencies"
	$(SYNC) --inexact
	@touch $@

$(VENV)/.installed-dev: pyproject.toml uv.lock $(BIN)/uv
	@echo "==> installing the locked dependencies and development tools (pytest, playwright, ruff, mypy, localstripe)"
	$(SYNC) --extra dev
	@touch $@ $(VENV)/.installed

run: export BASE_URL ?= http://$(LINK_HOST):$(PORT)
run: $(VENV)/.installed
	@echo "==> applying migrations"
	$(BIN)/harambee migrate
	@echo "==> loading demo data if the database is empty"
	$(BIN)/harambee demo --if-empty
	@if [ -n "$$REDIS_URL" ]; then \
	  echo "==> REDIS_URL is set: starting an arq worker beside the web server"; \
	  $(BIN)/harambee worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  echo "==> serving on http://$(HOST):$(PORT), links in mails to $(BASE_URL)"; \
	  $(BIN)/harambee serve --host $(HOST) --port $(PORT); \
	else \
	  echo "==> serving on http://$(HOST):$(PORT), links in mails to $(BASE_URL) (SQLite in var/, jobs run inside the web process)"; \
	  exec $(BIN)/harambee serve --host $(HOST) --port $(PORT); \
	fi

test: $(VENV)/.installed-dev
	$(BIN)/python -m tests.passes

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null || { echo "==> installing wrk from Debian's packages"; \
	  $$( [ "$$(id -u)" = 0 ] || echo sudo ) apt-get install -y -q wrk; }
	$(BIN)/python -m bench

messages: $(VENV)/.installed-dev
	$(BIN)/python -m app.i18n_catalogs

# The newest releases pyproject.toml allows (uv included), then every check against them.
upgrade: $(BIN)/uv
	@echo "==> the newest uv, pinned with its hashes in devtools/uv.txt"
	echo uv | $(UV) pip compile --generate-hashes --no-header --quiet --upgrade - -o devtools/uv.txt
	@$(install_uv)
	@echo "==> uv.lock: the newest releases within pyproject.toml's ranges"
	$(UV) lock --upgrade
	$(MAKE) test

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
