# Developer and CI entry points. `make run` and `make test` work on a fresh clone.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
PORT   ?= 8000
# gunicorn's rule of thumb is 2 x cores (+1); 4 suits the 2-core machines here.
WORKERS ?= 4
ARGS   ?=

# Local development: DEBUG on, so the placeholder secret key is allowed.
DEV := DJANGO_DEBUG=1

.PHONY: install run worker test lint fmt migrations-check serve bench clean

install: $(STAMP)

# Reinstall only when a requirements file changes.
$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -r requirements-dev.txt
	touch $@

run: install
	$(DEV) $(PY) manage.py migrate --noinput
	$(DEV) $(PY) manage.py load_bundled_round
	$(DEV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Checks uploaded submissions in the background; run it beside `make run`.
worker: install
	$(DEV) $(PY) manage.py check_worker

# Uses DATABASE_URL from the environment (SQLite when unset). pytest sets
# DJANGO_TESTING=1 itself (pyproject.toml), so no other variable is needed.
test: install
	$(PY) -m pytest $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

migrations-check: install
	$(DEV) $(PY) manage.py makemigrations --check --dry-run

# Production-style: DEBUG off, so DJANGO_SECRET_KEY must be set.
serve: install
	$(PY) manage.py collectstatic --noinput
	$(VENV)/bin/gunicorn mlperf_site.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) \
		--access-logfile -

# The performance benchmark (benchmarks/run.py; README, "Performance"): about 15 minutes,
# needs wrk (apt-get install -y wrk). make bench ARGS="--quick" for a short run.
bench: install
	$(PY) benchmarks/run.py $(ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3
