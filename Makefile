# Hakari: `make run` serves the app with demo data; `make test` runs every test.
# Both do all set-up first (system packages, virtualenv, dependencies, translations,
# migrations, catalogs), and are safe to run again.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

# Pinned dependencies, one file per group, each a superset of the one before
# (requirements/runtime.txt < test.txt < dev.txt); `make pins` compiles them from
# pyproject.toml. Each group has its own stamp, so an install runs again only when its pin
# file changed: `run`, `bench` and `serve-prod` get the runtime pins only, `test` adds the
# test pins, `lint` and `format` add the dev pins.
REQ := requirements
RUNTIME_STAMP := $(VENV)/.installed-runtime
TEST_STAMP := $(VENV)/.installed-test
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: setup setup-prod run test lint format bench messages system-deps serve-prod pins worker

setup: system-deps $(RUNTIME_STAMP) messages
	$(MANAGE) migrate --noinput -v 0
	$(MANAGE) import_catalog fixtures/catalogs/*.json
	@if $(MANAGE) help seed_demo >/dev/null 2>&1; then \
		$(MANAGE) seed_demo || echo "(demo data skipped: see the line above)"; fi

system-deps:
	@bash .ci/ensure-system-deps.sh

$(PY):
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): $(REQ)/runtime.txt | $(PY)
	$(PIP) -r $(REQ)/runtime.txt
	@touch $@

$(TEST_STAMP): $(REQ)/test.txt $(REQ)/runtime.txt | $(PY)
	$(PIP) -r $(REQ)/test.txt
	@touch $@

$(DEV_STAMP): $(REQ)/dev.txt $(REQ)/test.txt $(REQ)/runtime.txt | $(PY)
	$(PIP) -r $(REQ)/dev.txt
	@touch $@

messages: $(RUNTIME_STAMP)
	$(MANAGE) compilemessages --ignore=.venv -v 0

run: setup
	@echo "Hakari on http://$(HOST):$(PORT)/ (Ctrl-C stops it)"
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup $(TEST_STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# ruff, then mypy (configured in pyproject.toml: [tool.mypy], [tool.django-stubs]).
lint: $(DEV_STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

format: $(DEV_STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The measurement of docs/benchmarks.md (issue 11's table): a throwaway PostgreSQL with 100,000
# reviews, gunicorn (2 sync workers) in one process and wrk (installed when missing) in
# another, each endpoint right after the floor view, 10 and 50 users; then the engine and PDF
# medians. Rewrites docs/benchmarks.md; a few minutes. BENCH_ARGS="--seconds 10" etc.
BENCH_ARGS ?=
bench: setup
	@bash .ci/ensure-system-deps.sh wrk
	.ci/with-postgres.sh env DJANGO_SETTINGS_MODULE=config.settings.bench \
		$(MANAGE) bench_report $(BENCH_ARGS)

# Production-like serving (gunicorn + whitenoise); needs SECRET_KEY and ALLOWED_HOSTS.
# Production set-up: runtime pins only, migrations and catalogs under the production
# settings (SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL from the environment); never demo data.
PROD := DJANGO_SETTINGS_MODULE=config.settings.prod

setup-prod: system-deps $(RUNTIME_STAMP) messages
	$(PROD) $(MANAGE) check --deploy --fail-level WARNING
	$(PROD) $(MANAGE) migrate --noinput -v 0
	$(PROD) $(MANAGE) import_catalog fixtures/catalogs/*.json
	$(PROD) $(MANAGE) collectstatic --noinput -v 0

serve-prod: setup-prod
	$(PROD) $(VENV)/bin/gunicorn config.wsgi -w 2 -b $(HOST):$(PORT)

# A task worker (notification emails, reminders) on the database queue, under the production
# settings; run as many as you like, on any machine that reaches the database. To try the
# queue beside `make run`: TASKS_BACKEND=database make run, and
# WORKER_SETTINGS=config.settings.dev make worker.
WORKER_SETTINGS ?= config.settings.prod
worker: $(RUNTIME_STAMP) messages
	DJANGO_SETTINGS_MODULE=$(WORKER_SETTINGS) TASKS_BACKEND=database $(MANAGE) db_worker

# Recompile requirements/*.txt from pyproject.toml with pip-tools. A pin already in a file is
# kept while it still satisfies; PINS_ARGS=--upgrade (or --upgrade-package NAME) moves them.
# Each group is compiled with the one before as a constraint, so all three agree.
PIP_COMPILE := CUSTOM_COMPILE_COMMAND="make pins" $(VENV)/bin/pip-compile --quiet \
	--strip-extras --no-emit-index-url --no-emit-trusted-host --no-emit-find-links \
	--no-emit-options $(PINS_ARGS)

pins: $(DEV_STAMP)
	$(PIP_COMPILE) -o $(REQ)/runtime.txt pyproject.toml
	$(PIP_COMPILE) --extra test -c $(REQ)/runtime.txt -o $(REQ)/test.txt pyproject.toml
	$(PIP_COMPILE) --extra test --extra dev -c $(REQ)/test.txt -o $(REQ)/dev.txt pyproject.toml
