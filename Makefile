# `make run` and `make test` are the two commands of the README; everything else serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SOURCE ?=
WEEK ?=
OUT ?= site

APT := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

.PHONY: run test check lint types system-run system-test clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# System packages: espeak-ng speaks Chinese (and phonemizes for piper's fallback); Chromium tests the pages.
system-run:
	@command -v espeak-ng >/dev/null || { $(APT) update -qq && $(APT) install -y -qq espeak-ng; }

# PostgreSQL: the store's tests start a throwaway server of their own.
system-test: system-run
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		{ $(APT) update -qq && $(APT) install -y -qq chromium chromium-driver; }
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		{ $(APT) update -qq && $(APT) install -y -qq postgresql; }

run: $(BIN)/.installed system-run
ifeq ($(SOURCE),)
	$(BIN)/paperradio weekly --out $(OUT)
else
	$(BIN)/paperradio weekly --source $(SOURCE) $(if $(WEEK),--week $(WEEK)) --out $(OUT)
endif

test: $(BIN)/.installed system-test lint types
	$(BIN)/python -m pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check paperradio tests bench

types: $(BIN)/.installed
	$(BIN)/mypy

clean:
	rm -rf $(VENV) site .pytest_cache .mypy_cache .ruff_cache
