# govgraph: `make run` builds and validates the graph; `make test` runs the whole suite.
# The virtual environment is (re)built only when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

UI_ASSETS := ui/node_modules/@zazuko/yasgui/build/yasgui.min.js
CHROMIUM  ?= /usr/bin/chromium

.PHONY: run build serve test lint docs ui browser clean help

help:
	@echo "make run    set up .venv and the UI, build and validate the graph from data/ into"
	@echo "            var/store, then serve the endpoint and UI on http://127.0.0.1:8000/"
	@echo "make test   set up .venv with the test extras and run lint, type checks and tests"
	@echo "make docs   regenerate the ontology documentation in docs/ontology/"
	@echo "make clean  remove .venv and var/"

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "govgraph needs Python 3.11 or newer; run make PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	@touch $@

$(VENV)/.installed-run: pyproject.toml $(VENV)/.python-ok
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.python-ok
	$(PIP) install -e '.[test]'
	@touch $@ $(VENV)/.installed-run

$(VENV)/.installed-docs: pyproject.toml $(VENV)/.python-ok
	$(PIP) install -e '.[docs]'
	@touch $@

build: $(VENV)/.installed-run
	$(BIN)/govgraph build

# The query UI's browser assets (YASGUI), pinned by ui/package-lock.json; Node from Debian if absent.
$(UI_ASSETS): ui/package.json ui/package-lock.json
	@command -v npm >/dev/null || (apt-get install -y -q nodejs npm || (apt-get update -q && apt-get install -y -q nodejs npm))
	npm ci --prefix ui --no-audit --no-fund --loglevel=error
	@touch $@

ui: $(UI_ASSETS)

# Debian's chromium for the browser tests (Playwright drives it; never `playwright install`).
$(CHROMIUM):
	apt-get install -y -q chromium || (apt-get update -q && apt-get install -y -q chromium)

browser: $(CHROMIUM)

serve: $(VENV)/.installed-run ui
	$(BIN)/govgraph serve

run: build ui
	$(BIN)/govgraph serve

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

test: lint ui browser
	$(BIN)/python -m pytest

docs: $(VENV)/.installed-docs
	@command -v dot >/dev/null || apt-get install -y -q graphviz || echo "install Graphviz for model.svg"
	$(BIN)/python docs/generate.py

clean:
	rm -rf $(VENV) var ui/node_modules
