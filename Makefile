# Amtshilfe – the two set-up commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export AMTSHILFE_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test test-browser lint typecheck migrations-check openapi openapi-check bench bench-search bench-board bench-time bench-settlement bench-website bench-assistant bench-indicators messages clean install install-test

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"

## make demo: fresh clone -> running demo on http://127.0.0.1:$(PORT) (idempotent)
demo: install
	$(BIN)/amtshilfe demo --port $(PORT)

## make test: install what the tests need and run the whole suite
test: install-test
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

## browser tests only (Debian's chromium at /usr/bin/chromium, axe-core from npm)
test-browser: install-test
	$(BIN)/python -m pytest -m browser $(PYTEST_ARGS)

lint: install-test
	$(BIN)/ruff check amtshilfe
	$(BIN)/ruff format --check amtshilfe

typecheck: install-test
	$(BIN)/mypy amtshilfe

migrations-check: install-test
	AMTSHILFE_TESTING=1 $(BIN)/amtshilfe makemigrations --check --dry-run

openapi: install-test
	AMTSHILFE_TESTING=1 $(BIN)/amtshilfe export-openapi > docs/openapi.json

openapi-check: install-test
	AMTSHILFE_TESTING=1 $(BIN)/amtshilfe export-openapi | diff -u docs/openapi.json -

## make bench: HTTP throughput of the demo, then search latency at $(BENCH_SEARCH_SIZES) articles,
## then the board and request list (see bench-board).
## PostgreSQL is measured too when POSTGRES_URL names a server (a fresh database is created
## and dropped there), e.g. POSTGRES_URL=postgres://postgres@127.0.0.1:5432/postgres
BENCH_SEARCH_SIZES ?= 5000
SIZES ?= 5000,100000
SEARCH_DATABASES ?= sqlite,postgresql
POSTGRES_URL ?=
bench: install-test
	$(BIN)/python -m amtshilfe.bench --search-sizes $(BENCH_SEARCH_SIZES) $(if $(POSTGRES_URL),--postgres-url $(POSTGRES_URL))

## make bench-search SIZES=5000,100000: only the search benchmark (the 100k corpus takes minutes)
bench-search: install-test
	$(BIN)/python -m amtshilfe.wiki.search.bench --sizes $(SIZES) --databases $(SEARCH_DATABASES) $(if $(POSTGRES_URL),--postgres-url $(POSTGRES_URL))

## make bench-board: Kanban board with 2,000 open cards and request list with 50,000 requests
## (p50/p95 over HTTP, SQL statements per page at two corpus sizes), SQLite and PostgreSQL
BOARD_DATABASES ?= sqlite,postgresql
bench-board: install-test
	$(BIN)/python -m amtshilfe.board.bench --databases $(BOARD_DATABASES) $(if $(POSTGRES_URL),--postgres-url $(POSTGRES_URL))

## make bench-indicators: /auswertung/ (3 and 12 months) and /auswertung/ablauf/ on the demo plus
## 50,000 requests and 500,000 events (p50/p95 cold and warm over HTTP, SQL per page, time per
## figure, peak RSS), SQLite and PostgreSQL
bench-indicators: install-test
	$(BIN)/python -m amtshilfe.indicators.bench $(if $(POSTGRES_URL),--postgres-url $(POSTGRES_URL))

## make bench-time: CSV import of 100,000 time entries (lines per second), SQLite and PostgreSQL
bench-time: install-test
	$(BIN)/python -m amtshilfe.timeaccounting.bench $(if $(POSTGRES_URL),--postgres-url $(POSTGRES_URL))

## make bench-settlement: settle 1,000,000 time entries over 1,000 municipalities (s, peak RSS)
bench-settlement: install-test
	$(BIN)/python -m amtshilfe.settlement.bench $(if $(POSTGRES_URL),--postgres-url $(POSTGRES_URL))

## make bench-website: p50/p95 of the public pages over HTTP (demo served as in production)
bench-website: install-test
	$(BIN)/python -m amtshilfe.website.bench

## make bench-assistant: answer quality and latency on the development questions (demo data,
## no language model; add --calibrate by hand for the cross-validated figures)
DATASET ?= ../shared/dataset
bench-assistant: install-test
	AMTSHILFE_DATA_DIR=$(CURDIR)/var/bench-assistant $(BIN)/amtshilfe demo --no-serve
	AMTSHILFE_DATA_DIR=$(CURDIR)/var/bench-assistant $(BIN)/amtshilfe eval-assistant $(DATASET)/questions_dev.jsonl

messages: install-test
	cd amtshilfe && ../$(BIN)/amtshilfe makemessages -l en --no-obsolete --no-location
	cd amtshilfe && ../$(BIN)/amtshilfe compilemessages -l en

clean:
	rm -rf $(VENV) var build *.egg-info
