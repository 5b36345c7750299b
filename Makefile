# Two commands for users: `make run` and `make test`. Both set up what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# One pytest worker per logical CPU (pytest-xdist); TEST_WORKERS=0 runs the suite in one process.
TEST_WORKERS ?= logical
# Runs a command with the bundled PostgreSQL up, unless DATABASE_URL is set.
WITH_DB := $(PY) -m tracking.embedded_db run --
MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po locale/*/LC_MESSAGES/djangojs.po))

.PHONY: run test bench install setup messages makemessages lint format db-start db-stop backup restore

run: setup
	@$(WITH_DB) $(PY) manage.py serve --host $(HOST) --port $(PORT)

test: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@$(WITH_DB) bash -c '$(PY) manage.py makemigrations --check --dry-run && $(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)'

# The benchmark at national scale: generates a 1-year and a 10-year database once (kept between
# runs), serves each with gunicorn and measures every page; writes bench/results.md and .json.
bench: setup
	@$(WITH_DB) $(PY) -m bench $(BENCH_ARGS)

# One file with the database, the uploaded files and a manifest: backups/tracking-<date>-<time>.tar
# (BACKUP_DIR=/elsewhere to write it there). `make restore FILE=…` checks it, asks, and puts it back;
# YES=1 skips the question.
backup: setup
	@$(WITH_DB) $(PY) manage.py backup $(if $(BACKUP_DIR),--output-dir "$(BACKUP_DIR)")

restore: setup
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/tracking-<date>-<time>.tar [YES=1]" >&2; exit 2; }
	@$(WITH_DB) $(PY) manage.py restore "$(FILE)" $(if $(filter 1 yes true,$(YES)),--yes)

setup: install .env $(MO_FILES)

# The virtual environment is (re)built only when requirements.txt changes.
install: $(STAMP)
$(STAMP): requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed, found " + sys.version.split()[0])'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

# Local settings for development and demonstration; real environment variables win.
.env:
	@umask 077; { \
	  echo "# Written by make on first use; edit freely. Real environment variables override these."; \
	  echo "DEBUG=0"; \
	  echo "DEMO=1"; \
	  echo "HTTPS=0"; \
	  echo "ALLOWED_HOSTS=127.0.0.1,localhost"; \
	  echo "SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	} > $@
	@echo "Wrote .env with development settings."

# Translations are compiled with Babel (pure Python): no GNU gettext needed. English is the
# source text, so its catalogue holds only a few messages on purpose: compiled without comment.
locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(STAMP)
	@$(VENV)/bin/pybabel $(if $(filter en,$*),--quiet) compile --domain django --directory locale --locale $* --statistics

# The admin scripts' texts that Django's Thai catalogue lacks (its calendar, selector and actions).
locale/%/LC_MESSAGES/djangojs.mo: locale/%/LC_MESSAGES/djangojs.po $(STAMP)
	@$(VENV)/bin/pybabel compile --domain djangojs --directory locale --locale $* --statistics

messages: $(MO_FILES)

# Developers: refresh the catalogues after changing texts (needs GNU gettext).
makemessages: setup
	$(PY) manage.py makemessages --locale th --locale en --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

db-start: setup
	$(PY) -m tracking.embedded_db start

db-stop: install
	$(PY) -m tracking.embedded_db stop
