# Two commands: `make run` and `make test`. Both set themselves up on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-dev
RUN_STAMP := $(VENV)/.installed

CHROMIUM ?= $(or $(BOTBYBIT_CHROMIUM),/usr/bin/chromium)

.PHONY: run test lint bench clean setup browser wrk

setup: $(STAMP) browser

# `make run` installs what the service needs; `make test` adds the test tools.
$(RUN_STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "botbybit needs Python 3.11 or newer (found $$($(PYTHON) --version))"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	@touch $(RUN_STAMP)

$(STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

run: $(RUN_STAMP)
	$(BIN)/python main.py

# The dashboard's browser test drives Debian's Chromium with Playwright (from the dev extra);
# Playwright's own browser download cannot work on these machines.
browser:
	@if [ -x "$(CHROMIUM)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's chromium for the dashboard's browser test"; \
	  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; } \
	    || echo "could not install chromium: the dashboard's browser test will be skipped"; \
	else \
	  echo "note: $(CHROMIUM) is missing, so the dashboard's browser test will be skipped;"; \
	  echo "      install it with: sudo apt-get install chromium  (Debian/Ubuntu), or set"; \
	  echo "      BOTBYBIT_CHROMIUM=/path/to/chromium"; \
	fi

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/mypy
	NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost PTB_TIMEDELTA=1 \
	  $(BIN)/python -m pytest -q

# The ack benchmarks drive the service and the bare baseline with wrk (a C load generator, from
# Debian's packages): a Python client on these 2 cores caps the bare server near a quarter of
# its speed. Without wrk the bench says so and skips those rows.
WRK ?= $(or $(BOTBYBIT_WRK),$(shell command -v wrk 2>/dev/null),/usr/bin/wrk)

wrk:
	@if [ -x "$(WRK)" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "installing Debian's wrk for the ack benchmarks"; \
	  { apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; } \
	    || echo "could not install wrk: the bench will skip the wrk rows"; \
	else \
	  echo "note: $(WRK) is missing, so the bench will skip its wrk rows;"; \
	  echo "      install it with: sudo apt-get install wrk  (Debian/Ubuntu), or set"; \
	  echo "      BOTBYBIT_WRK=/path/to/wrk"; \
	fi

bench: $(STAMP) wrk
	NO_PROXY=127.0.0.1,localhost no_proxy=127.0.0.1,localhost $(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) .pytest_cache
