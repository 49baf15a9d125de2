# Two commands do all set-up on a fresh machine (Python 3.11+):
#   make run    install everything into .venv, then start Coach
#   make test   install everything into .venv, then run the tests (what .ci/run does)
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: install
	$(BIN)/coach serve

test: install
	$(BIN)/pytest

bench: install
	$(BIN)/python bench/grader_devset.py
	$(BIN)/python bench/grader_speed.py
	$(BIN)/python bench/serve_latency.py

clean:
	rm -rf $(VENV) .pytest_cache
