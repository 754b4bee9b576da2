# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Install the platform, migrate and seed the embedded SQLite store, serve on 127.0.0.1:8000.
run: $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BIN)/gocoffee serve

# Install with the dev extras and run the whole suite (needs Postgres on 127.0.0.1:5432 and npx).
test: $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	$(BIN)/python -m bench.core
	$(BIN)/python -m bench.kitchen
	$(BIN)/python -m bench.money
	$(BIN)/python -m bench.idle
