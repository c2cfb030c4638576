# Hakari: `make run` serves the app with demo data; `make test` runs every test.
# Both do all set-up first (system packages, virtualenv, dependencies, translations,
# migrations, catalogs), and are safe to run again.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
STAMP := $(VENV)/.requirements-installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup run test lint format bench messages system-deps serve-prod

setup: system-deps $(STAMP) messages
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) import_catalog fixtures/catalogs/*.json
	@if $(MANAGE) help seed_demo >/dev/null 2>&1; then $(MANAGE) seed_demo; fi

system-deps:
	@bash .ci/ensure-system-deps.sh

$(STAMP): requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $(STAMP)

messages: $(STAMP)
	$(MANAGE) compilemessages --ignore=.venv -v 0

run: setup
	@echo "Hakari on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

bench: setup
	$(MANAGE) bench
	$(MANAGE) bench_dashboard

# Production-like serving (gunicorn + whitenoise); needs SECRET_KEY and ALLOWED_HOSTS.
serve-prod: setup
	DJANGO_SETTINGS_MODULE=config.settings.prod $(MANAGE) collectstatic --noinput -v 0
	DJANGO_SETTINGS_MODULE=config.settings.prod $(VENV)/bin/gunicorn config.wsgi -w 2 -b $(HOST):$(PORT)
