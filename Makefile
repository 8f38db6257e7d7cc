# socorg — the two commands a newcomer needs are `make run` and `make test`.
# Both install what they need from pyproject.toml + uv.lock into .venv (uv itself goes to .tools).

SHELL := /bin/bash
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/bin/uv
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test test-unit test-integration test-e2e test-fault lint format install clean help bench

help:
	@echo "make run    start the whole platform (SQLite + embedded nats-server, 4 services)"
	@echo "make test   run every test tier (unit, integration on SQLite and PostgreSQL, e2e)"
	@echo "make lint   ruff + mypy"
	@echo "make bench  benchmark on PostgreSQL vs raw psycopg/nats-py and eventsourcing (BENCH_QUICK=1: ~1 min)"

$(UV):
	@$(PYTHON) -m venv .tools
	@.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	@$(UV) sync --frozen --all-groups --quiet
	@touch $@

install: $(VENV)/.synced

run: install
	@$(BIN)/socorg run

test: install
	@$(BIN)/pytest $(PYTEST_ARGS)

test-unit: install
	@$(BIN)/pytest tests/unit $(PYTEST_ARGS)

test-integration: install
	@$(BIN)/pytest tests/integration $(PYTEST_ARGS)

test-e2e: install
	@$(BIN)/pytest tests/e2e $(PYTEST_ARGS)

test-fault: install
	@$(BIN)/pytest tests/fault $(PYTEST_ARGS)

lint: install
	@$(BIN)/ruff check .
	@$(BIN)/ruff format --check .
	@$(BIN)/mypy shared services bench

bench: install
	@$(BIN)/python -m bench

format: install
	@$(BIN)/ruff format .
	@$(BIN)/ruff check --fix .

clean:
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache
