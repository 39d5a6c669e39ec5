# Every target bootstraps .venv when it is missing or pyproject.toml changed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

PORT ?= 8000

.PHONY: run cli-demo test check lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

## run: migrate the embedded database, load the demo production, serve http://127.0.0.1:$(PORT)
run: $(STAMP)
	$(BIN)/python scripts/offline_runtime.py
	DJANGO_SETTINGS_MODULE=showclear.web.settings.dev $(BIN)/python -m showclear.web.manage migrate --noinput
	DJANGO_SETTINGS_MODULE=showclear.web.settings.dev $(BIN)/python -m showclear.web.manage showclear_demo --port $(PORT)
	DJANGO_SETTINGS_MODULE=showclear.web.settings.dev $(BIN)/python -m showclear.web.manage runserver 127.0.0.1:$(PORT)

## cli-demo: apply the demo shooting day to the embedded database and print its state
cli-demo: $(STAMP)
	$(BIN)/showclear demo

## test: every check and every test tier (installs PostgreSQL and Chromium when missing)
test: $(STAMP)
	bash scripts/test.sh

## check: linters and type checks only
check: $(STAMP)
	bash scripts/test.sh --checks-only

## bench: the benchmarks, each printing ratios against a baseline measured in the same run
bench: $(STAMP)
	$(BIN)/python bench/engine.py
	$(BIN)/python bench/ledger.py
	$(BIN)/python bench/verify.py
	$(BIN)/python bench/bundle.py
	$(BIN)/python bench/web.py
	$(BIN)/python bench/pages_cpu.py
	$(BIN)/python bench/notify.py
	$(BIN)/python bench/reports.py
	$(BIN)/python bench/offline_sync.py
	$(BIN)/python scripts/offline_runtime.py
	$(BIN)/python bench/offline_check.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
