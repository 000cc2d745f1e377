# govgraph: `make run` builds and validates the graph; `make test` runs the whole suite.
# The virtual environment is (re)built only when pyproject.toml changes.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: run build test lint docs bench-synth clean help

help:
	@echo "make run    set up .venv, build the graph from data/ into var/store and validate it"
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

run: build

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

test: lint
	$(BIN)/python -m pytest

docs: $(VENV)/.installed-docs
	@command -v dot >/dev/null || apt-get install -y -q graphviz || echo "install Graphviz for model.svg"
	$(BIN)/python docs/generate.py

clean:
	rm -rf $(VENV) var
