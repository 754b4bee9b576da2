# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Install the platform, migrate and seed the embedded SQLite store, serve on 127.0.0.1:8000.
run: $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BIN)/gocoffee serve

# Install with the dev extras; lint, type-check, check the layers point one way, run the whole suite
# (needs Postgres on 127.0.0.1:5432, Redis on 6379, Mosquitto on 1883 and npx).
test: $(BIN)/python browser
	$(BIN)/pip install -q -e ".[dev]"
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

bench: $(BIN)/python
	$(BIN)/pip install -q -e ".[dev]"
	$(BIN)/python -m bench.core
	$(BIN)/python -m bench.kitchen
	$(BIN)/python -m bench.money
	$(BIN)/python -m bench.idle
	$(BIN)/python -m bench.chat
	$(BIN)/python -m bench.rota
	$(BIN)/python -m bench.forecast

browser:  # the browser tests drive Debian's Chromium (Playwright's own download is not used)
	@command -v chromium >/dev/null || { echo "installing Debian's chromium for the browser tests"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }
