# The README's commands are these targets. Both work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve bench test install setup lint format check clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

setup: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_catalog
	$(PY) manage.py create_demo_staff

# Links in emails start with this (see PUBLIC_BASE_URL in the README).
PUBLIC_BASE_URL ?= http://$(HOST):$(PORT)
export PUBLIC_BASE_URL

run: setup
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production configuration (gunicorn, DEBUG off, whitenoise, cached templates)
# on plain http at 127.0.0.1. Uses DATABASE_URL and REDIS_URL when set.
SERVE_ENV = DJANGO_SETTINGS_MODULE=pharmacy.settings.prod ALLOWED_HOSTS=127.0.0.1,localhost \
	SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0 SECURE_HSTS_SECONDS=0 SERVE_MEDIA=1 \
	SECRET_KEY="$$(cat .serve-secret-key)"

.serve-secret-key:
	umask 077; $(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@

serve: setup .serve-secret-key
	env $(SERVE_ENV) $(PY) manage.py collectstatic --noinput -v0
	env $(SERVE_ENV) $(VENV)/bin/gunicorn pharmacy.wsgi --workers 2 --bind $(HOST):$(PORT)

# Throughput against the stack's own floor; writes bench/results/. Needs PostgreSQL and Redis.
bench: install
	$(PY) -m pip install --quiet -e '.[dev,bench]'
	$(PY) bench/run.py

test: install
	$(PY) -m pytest

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

check: install
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check

clean:
	rm -rf $(VENV) .test-media .test-private
