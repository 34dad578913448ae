# Statement Tracker — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format e2e serve clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## run: install, migrate the SQLite database, load the seed, serve on 127.0.0.1:8000
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata fixtures/karabakh-2023-09-10.json
	$(PY) manage.py ensure_local_superuser
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: install and run the whole suite (on PostgreSQL when DATABASE_URL is set)
test: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m pytest $(PYTEST_ARGS)

## e2e: the browser suite in headless Chromium (/usr/bin/chromium; no browser download)
E2E_STAMP := $(VENV)/.installed-e2e
$(E2E_STAMP): pyproject.toml package.json | $(STAMP)
	$(PY) -m pip install --quiet -e ".[dev,e2e]"
	npm ci --no-audit --no-fund --silent
	touch $(E2E_STAMP)

e2e: $(E2E_STAMP)
	$(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

clean:
	rm -rf $(VENV) var/*.sqlite3* .pytest_cache
