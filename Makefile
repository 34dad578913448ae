# Statement Tracker — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint format e2e serve clean lock

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

## Installs come from the lock files in requirements/ (exact versions, every file hashed):
## base.txt (runtime), dev.txt (runtime + dev tools), e2e.txt (dev + the browser suite).
## pyproject.toml keeps the allowed ranges; `make lock` turns them into the lock files.
## The project itself goes in last without dependencies; `pip check` then fails when
## pyproject.toml asks for something the lock does not provide (run `make lock`).
define install_locked
	$(PY) -m pip install --quiet --require-hashes -r $(1)
	$(PY) -m pip install --quiet --no-deps -e .
	@$(PY) -m pip check >/dev/null || { $(PY) -m pip check; \
		echo "$(1) does not satisfy pyproject.toml: run 'make lock'" >&2; exit 1; }
endef

$(STAMP): pyproject.toml requirements/dev.txt | $(PY)
	$(call install_locked,requirements/dev.txt)
	touch $(STAMP)

install: $(STAMP)

## lock: resolve pyproject.toml into requirements/*.txt with hashes for every platform's
## files. Versions already pinned stay unless pyproject.toml rules them out; UPGRADE=1
## moves every pin to the newest allowed (`make lock UPGRADE=1`). The two smaller locks
## are constrained by e2e.txt, so a package has the same version in all three.
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
LOCK_FLAGS = --quiet --generate-hashes --universal --python-version 3.11 \
	--custom-compile-command "make lock" $(if $(UPGRADE),--upgrade)
lock: | $(PY)
	$(PY) -m pip install --quiet "uv==$(UV_VERSION)"
	$(UV) pip compile pyproject.toml --extra dev --extra e2e $(LOCK_FLAGS) -o requirements/e2e.txt
	$(UV) pip compile pyproject.toml --extra dev -c requirements/e2e.txt $(LOCK_FLAGS) \
		-o requirements/dev.txt
	$(UV) pip compile pyproject.toml -c requirements/e2e.txt $(LOCK_FLAGS) -o requirements/base.txt

## run: install, migrate the SQLite database, load the seed, serve on HOST:PORT
## (default 127.0.0.1:8000; `make run PORT=8080`, `make run HOST=0.0.0.0`)
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py loaddata fixtures/karabakh-2023-09-10.json
	$(PY) manage.py ensure_local_superuser --site http://$(HOST):$(PORT)
	$(PY) manage.py runserver $(HOST):$(PORT)

## test: install, check the import contracts, run the whole suite
## (on PostgreSQL when DATABASE_URL is set)
test: $(STAMP)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) -m pytest $(PYTEST_ARGS)

## e2e: the browser suite in headless Chromium (/usr/bin/chromium; no browser download)
E2E_STAMP := $(VENV)/.installed-e2e
$(E2E_STAMP): pyproject.toml requirements/e2e.txt package.json | $(STAMP)
	$(call install_locked,requirements/e2e.txt)
	npm ci --no-audit --no-fund --silent
	touch $(E2E_STAMP)

e2e: $(E2E_STAMP)
	$(PY) -m pytest -m e2e tests/e2e $(PYTEST_ARGS)

## lint: ruff, its formatting, and the import contracts ([tool.importlinter] in pyproject.toml)
lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

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
## streaming a download counts as busy: at 10M statements the full CSV takes ~45 s, the
## JSON Lines ~55 s and /data/everything.zip over 120 s (docs/benchmark.md, run I).
TIMEOUT ?= 600
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
