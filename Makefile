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
	$(PY) manage.py ensure_local_superuser --site http://$(HOST):$(PORT)
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

## serve: production-style serving: gunicorn (WORKERS, default 2), whitenoise static files,
## pooled PostgreSQL connections (DB_POOL=1), DEBUG off. Behind a TLS proxy set
## SECURE_PROXY_SSL_HEADER=1; SECURE_SSL_REDIRECT defaults off here (the proxy redirects).
WORKERS ?= 2
## TIMEOUT: seconds a request may run before gunicorn restarts its worker. A sync worker
## streaming a CSV counts as busy: a full 1M-row export takes 2-6 s, ~35 s in the minute
## after renaming the slug of a tag on ~460k statements (rows rendered in the query).
TIMEOUT ?= 120
SERVE_ENV = DEBUG=0 DB_POOL=1 SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-localhost,127.0.0.1}" \
	SECURE_SSL_REDIRECT="$${SECURE_SSL_REDIRECT:-0}"
serve: $(STAMP)
	@mkdir -p var && test -s var/secret_key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(PY) manage.py refresh_csv_rows
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v0
	$(SERVE_ENV) $(VENV)/bin/gunicorn tracker.wsgi:application --bind $(HOST):$(PORT) \
		--workers $(WORKERS) --timeout $(TIMEOUT) --access-logfile - \
		--max-requests 10000 --max-requests-jitter 500
