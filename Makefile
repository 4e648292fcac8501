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

.PHONY: install lock run worker test test-fast lint mypy fmt hooks migrations-check serve bench clean

install: $(STAMP)

# Installs exactly what the lock files say, every file's hash checked. Reinstalls only
# when a lock file changes; requirements*.txt are the lock's input (make lock).
LOCKS := requirements.lock requirements-dev.lock
$(STAMP): $(LOCKS)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "$(VENV) has Python < 3.11 (requires-python): make clean, PYTHON=python3.11"; exit 1; }
	$(PY) -m pip install --require-hashes -r requirements-dev.lock
	touch $@

# Rewrites the lock files from requirements.txt and requirements-dev.txt (needs PyPI):
# runtime first, then the dev set held to the same versions. Pins already in a lock are
# kept; make lock LOCK_ARGS=--upgrade (or --upgrade-package NAME) moves them.
LOCK_ARGS ?=
UV_COMPILE = $(VENV)/bin/uv pip compile --quiet --generate-hashes --universal \
	--python-version 3.11 --custom-compile-command "make lock" $(LOCK_ARGS)
lock: install
	$(UV_COMPILE) requirements.txt -o requirements.lock
	$(UV_COMPILE) -c requirements.lock requirements-dev.txt -o requirements-dev.lock

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

# The edit-test loop: no browser, nothing marked slow, one process per core (pytest-xdist;
# each worker has its own test database). The target: under 45 s on 2 idle cores.
test-fast: install
	$(PY) -m pytest -n 2 -m "not browser and not slow" $(ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# Type checking alone (pyproject.toml, [tool.mypy]): strict on mlperf/ and the views.
mypy: install
	$(VENV)/bin/mypy

fmt: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Git hooks (.pre-commit-config.yaml): ruff, ruff format, django-upgrade, the migrations
# check, each from .venv; nothing is fetched. Skip them once with `git commit --no-verify`.
hooks: install
	$(VENV)/bin/pre-commit install

# An in-memory database: the check reads models and migrations, and leaves no db.sqlite3.
migrations-check: install
	$(DEV) DATABASE_URL=sqlite://:memory: $(PY) manage.py makemigrations --check --dry-run

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
