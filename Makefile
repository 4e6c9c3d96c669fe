# The README's commands are these targets. Both work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
HOST ?= 127.0.0.1
PORT ?= 8000
# Every link the app prints or emails starts with this (settings.PUBLIC_BASE_URL);
# given to setup, run and serve (not to the tests, which pick their own).
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
APP_ENV = PUBLIC_BASE_URL=$(PUBLIC_BASE_URL)

# Pinned, hash-checked dependencies: base + dev (+ the build backend), and the same
# plus bench. `make lock` rewrites them from pyproject.toml.
LOCK := requirements/lock.txt
BENCH_LOCK := requirements/bench-lock.txt
# uv writes the lock files; it and tools/lock_check.py's one dependency come,
# hash-checked, from requirements/tools.txt (made from requirements/tools.in).
UV := $(VENV)/bin/uv

.PHONY: run serve bench test install setup lint format check clean lock lock-check backup restore pitr-drill

$(PY):
	@echo "==> Creating the virtualenv $(VENV)"
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml $(LOCK) | $(PY)
	@echo "==> Installing the locked dependencies from $(LOCK) (hash-checked; about a minute the first time)"
	$(PIP) install --quiet --require-hashes --no-deps -r $(LOCK)
	@echo "==> Installing this project (editable, no dependencies of its own)"
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	@echo "==> Checking $(LOCK) against pyproject.toml"
	$(PY) tools/lock_check.py
	touch $@

install: $(VENV)/.installed

# The demo database: migrate, load the catalog, create the demo staff (see
# pharmacy/setup_steps.py). Safe to repeat: the second run changes nothing.
setup: install
	env $(APP_ENV) $(PY) manage.py setup_demo

# Links in emails start with this (PUBLIC_BASE_URL: docs/operations.md).
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
export PUBLIC_BASE_URL

run: setup
	@echo "==> Starting the development server: shop $(PUBLIC_BASE_URL)/  staff $(PUBLIC_BASE_URL)/admin/  (Ctrl-C stops it)"
	env $(APP_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The production configuration (gunicorn, DEBUG off, whitenoise, cached templates)
# on plain http. Uses DATABASE_URL and REDIS_URL when set.
SERVE_ENV = $(APP_ENV) DJANGO_SETTINGS_MODULE=pharmacy.settings.prod ALLOWED_HOSTS=$(HOST),127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 SERVE_MEDIA=1 \
	SECRET_KEY="$$(cat .serve-secret-key)"

.serve-secret-key:
	umask 077; $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# With REDIS_URL (or CELERY_BROKER_URL) a Celery worker, with beat for the
# periodic jobs, runs beside gunicorn and stops with it. Without, tasks run in
# the web process.
CELERY_WORKER = $(VENV)/bin/celery -A pharmacy worker --beat --schedule .celerybeat-schedule \
	--concurrency 2 --loglevel INFO

serve: setup .serve-secret-key
	@echo "==> Collecting static files"
	env $(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v0
	@echo "==> Starting gunicorn (production settings): shop $(PUBLIC_BASE_URL)/  staff $(PUBLIC_BASE_URL)/admin/  (Ctrl-C stops it)"
	env $(SERVE_ENV) sh -c 'if [ -n "$${CELERY_BROKER_URL:-$$REDIS_URL}" ]; then \
	    $(CELERY_WORKER) & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	  else echo "No REDIS_URL: tasks run in the web process, no worker started"; fi; \
	  $(VENV)/bin/gunicorn pharmacy.wsgi --workers 2 --bind $(HOST):$(PORT)'

# Throughput against the stack's own floor; writes bench/results/. Needs PostgreSQL and Redis.
bench: install
	@echo "==> Installing the bench extras from $(BENCH_LOCK) (hash-checked)"
	$(PIP) install --quiet --require-hashes --no-deps -r $(BENCH_LOCK)
	$(PY) bench/run.py

# A backup of the running store (database with the prescription files, product
# images, a manifest) into backups/<UTC time>/ or TO=folder; restore one into an
# empty database with FROM=folder. docs/operations.md says how often and how.
backup: install
	$(PY) tools/backup.py backup $(TO)

restore: install
	$(PY) tools/backup.py restore $(FROM)

# The point-in-time restore drill on a private PostgreSQL cluster (port 54329),
# never the store's own server; prints its timings (tools/pitr_drill.py).
pitr-drill: install
	$(PY) tools/pitr_drill.py

# Locally the test database is kept between runs (created again when a migration
# or the lock file changed: tests/conftest.py); CI (CI=true) always creates it.
test: install
	$(PY) -m pytest $(if $(filter true 1,$(CI)),--create-db,--reuse-db)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install lock-check
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

$(UV): requirements/tools.txt | $(PY)
	@echo "==> Installing uv from requirements/tools.txt (hash-checked)"
	$(PIP) install --quiet --require-hashes --no-deps -r requirements/tools.txt
	touch $@

# Rewrite the lock files from pyproject.toml. Existing pins are kept where they
# still fit; `make lock UPGRADE=1` moves everything to the newest allowed versions.
# Both locks are universal (any OS, Python >= 3.11) and resolved against PyPI.
UV_COMPILE = $(UV) pip compile --quiet --universal --python-version 3.11 --generate-hashes \
	--index-url https://pypi.org/simple --custom-compile-command "make lock" \
	$(if $(filter 1,$(UPGRADE)),--upgrade)
BUILD_REQUIRES = $(PYTHON) -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['build-system']['requires']))"

lock: $(UV)
	@echo "==> Resolving requirements/tools.txt: uv itself"
	$(UV_COMPILE) requirements/tools.in -o requirements/tools.txt
	@echo "==> Resolving $(LOCK): dependencies + dev extras + build backend"
	$(BUILD_REQUIRES) | $(UV_COMPILE) pyproject.toml - --extra dev -o $(LOCK)
	@echo "==> Resolving $(BENCH_LOCK): the same pins plus the bench extras"
	$(BUILD_REQUIRES) | $(UV_COMPILE) pyproject.toml - --extra dev --extra bench -c $(LOCK) -o $(BENCH_LOCK)
	$(PY) tools/lock_check.py

lock-check:
	$(PY) tools/lock_check.py

clean:
	rm -rf $(VENV) .test-media .test-private .test-db*
