# The developer's front door. `make run` and `make test` install what they need themselves.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.lock | cut -d' ' -f1)
NHSUK_VERSION := 10.6.1

.PHONY: run test worker beat bench bench-load lint fmt migrations-check check-deploy lock vendor-nhsuk clean

$(STAMP): requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	@rm -f $(VENV)/.installed-*
	@touch $@

venv: $(STAMP)

## Serve the app on http://127.0.0.1:8000 with SQLite, eager Celery tasks and demo data.
run: export DEBUG ?= 1
run: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

## Run the whole test suite. Tests needing PostgreSQL, Redis, a worker or Chromium skip without them.
test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

## A Celery worker with an embedded beat scheduler, against REDIS_URL.
worker: $(STAMP)
	$(VENV)/bin/celery -A config worker --beat --loglevel=INFO

## Benchmarks (not tests): the engine, then the directory on PostgreSQL (BENCH_DATABASE_URL,
## default postgres://postgres@127.0.0.1:5432/imgm_bench; with REDIS_URL set, Redis caches).
## Results go to docs/benchmarks.md, docs/benchmarks-directory.md and docs/benchmarks-dashboard.md
## (the dashboard's own database: BENCH_DASHBOARD_DATABASE_URL, default .../imgm_bench_dashboard).
bench: $(STAMP)
	$(PY) bench/engine_bench.py
	$(PY) bench/directory_bench.py
	BENCH_DATABASE_URL=$${BENCH_DASHBOARD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/imgm_bench_dashboard} $(PY) bench/dashboard_bench.py

## Load benchmark (not a test): gunicorn, a Celery worker with beat, Redis (its own, port 6390)
## and an SMTP sink on this machine, a 20,000-mentor programme in PostgreSQL
## (BENCH_LOAD_DATABASE_URL, default .../imgm_load, reused when loaded), driven by Locust
## (20 users, 90 s). Locust comes from requirements-bench.lock, installed into the same venv.
## Results: docs/benchmarks-load.md. E.g. make bench-load LOAD_ARGS="--label after".
BENCH_STAMP := $(VENV)/.bench-installed-$(shell cksum requirements-bench.lock | cut -d' ' -f1)

$(BENCH_STAMP): requirements-bench.lock $(STAMP)
	$(PY) -m pip install --quiet --only-binary=:all: -r requirements-bench.lock -c requirements.lock
	@rm -f $(VENV)/.bench-installed-*
	@touch $@

bench-load: $(BENCH_STAMP)
	$(PY) bench/load/run.py $(LOAD_ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: $(STAMP)
	env -u DATABASE_URL DEBUG=1 $(PY) manage.py makemigrations --check --dry-run

## What `manage.py check --deploy` says with production-like values.
check-deploy: $(STAMP)
	DEBUG=0 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	MFA_ENCRYPTION_KEYS=$$($(PY) -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())') \
	ALLOWED_HOSTS=mentoring.example.org CSRF_TRUSTED_ORIGINS=https://mentoring.example.org \
	$(PY) manage.py check --deploy --fail-level WARNING

## Refresh requirements.lock from pyproject.toml in a throwaway virtualenv.
lock:
	rm -rf /tmp/lock-venv && $(PYTHON) -m venv /tmp/lock-venv
	/tmp/lock-venv/bin/pip install --quiet --upgrade pip
	/tmp/lock-venv/bin/pip install --quiet ".[dev]"
	{ sed -n '1,2p' requirements.lock; /tmp/lock-venv/bin/pip freeze --exclude img-mentoring; } > requirements.lock.new
	mv requirements.lock.new requirements.lock

## Re-vendor the NHS.UK frontend's compiled CSS, JS and images into static/vendor/nhsuk.
vendor-nhsuk:
	$(PYTHON) scripts/vendor_nhsuk.py $(NHSUK_VERSION)

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
