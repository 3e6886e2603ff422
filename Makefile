# Regionet: `make run` serves the portal with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run test bench lint format messages messages-en messages-check lock clean

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --no-compile -r requirements.lock
	touch $(STAMP)

venv: $(STAMP)

run: export DEBUG := 1
run: $(STAMP)
	$(MANAGE) migrate --noinput
	$(MANAGE) seed_demo
	@echo "Regionet: http://127.0.0.1:8000  (demo logins: see README)"
	$(BIN)/celery -A config worker --beat -Q celery,mail --loglevel=INFO --concurrency=1 & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver 127.0.0.1:8000

# The suite needs a secret because tests run with DEBUG off, like production.
test: export SECRET_KEY ?= test-only-secret-key-not-for-production-0123456789abcdef
test: $(STAMP)
	$(BIN)/pytest --create-db $(PYTEST_ARGS)

# The page benchmark loads the portal with wrk; on Debian it is installed when missing.
bench: $(STAMP)
	@command -v wrk >/dev/null || ! command -v apt-get >/dev/null \
	  || apt-get install -y -q wrk >/dev/null 2>&1 \
	  || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; } \
	  || echo "could not install wrk; bench/pages.py will be skipped"
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	DEBUG=1 $(BIN)/mypy

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Dutch: makemessages merges the source into locale/nl (new entries still need their Dutch);
# it would drop the Dutch wording of Django's and allauth's strings, which is put back.
# English: made from the source and the Dutch catalogue (portal/catalogues.py), so
# `messages-en` alone is safe after a merge: it rewrites locale/en only.
messages: export DEBUG := 1
messages: $(STAMP)
	mkdir -p var && cp locale/nl/LC_MESSAGES/django.po var/nl-before-makemessages.po
	$(MANAGE) makemessages -l nl --no-obsolete --ignore=.venv --ignore=var --ignore=static/vendor
	$(MANAGE) english_catalogue --dutch-before var/nl-before-makemessages.po
	$(MANAGE) compilemessages -l nl --ignore=.venv

messages-en: export DEBUG := 1
messages-en: $(STAMP)
	$(MANAGE) english_catalogue

# Fails when a source string has no Dutch or no English translation (as the test does).
messages-check: export DEBUG := 1
messages-check: $(STAMP)
	$(MANAGE) english_catalogue --check

lock: $(STAMP)
	$(BIN)/pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf var .pytest_cache
