# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi

.PHONY: run test install install-dev translations lint clean static

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/pybabel compile --use-fuzzy -d portal/translations --statistics

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/pybabel compile --use-fuzzy -d portal/translations --statistics

## Install everything and serve the site on http://127.0.0.1:5000 (SQLite and the search index live locally).
run: install
	$(FLASK) db upgrade
	$(FLASK) run --host 127.0.0.1 --port 5000

## Install everything (Python packages; Chromium when missing) and run the whole test suite.
test: install-dev
	bash scripts/ensure-browser.sh
	$(BIN)/ruff check portal tests bench
	eval "$$(bash scripts/test-services.sh)" && $(BIN)/python -m pytest -q

lint: install-dev
	$(BIN)/ruff check portal tests bench

## Pre-compressed copies (.gz, .br) of portal/static for nginx's gzip_static/brotli_static (docs/deploy.md).
static:
	$(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) scripts/precompress-static.py portal/static

clean:
	rm -rf $(VENV) instance search_index/v-* search_index/current test-artifacts
	find portal/static -name '*.gz' -o -name '*.br' | xargs -r rm -f
