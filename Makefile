# Regionet: `make run` serves the portal with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
STAMP := $(VENV)/.installed

.PHONY: run test bench lint format messages lock clean

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
	$(BIN)/celery -A config worker --beat --loglevel=INFO --concurrency=1 & \
	  worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	  $(MANAGE) runserver 127.0.0.1:8000

# The suite needs a secret because tests run with DEBUG off, like production.
test: export SECRET_KEY ?= test-only-secret-key-not-for-production-0123456789abcdef
test: $(STAMP)
	$(BIN)/pytest --create-db $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python bench/run.py

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: export DEBUG := 1
messages: $(STAMP)
	$(MANAGE) makemessages -l nl --no-obsolete --ignore=.venv --ignore=var
	$(MANAGE) compilemessages -l nl --ignore=.venv

lock: $(STAMP)
	$(BIN)/pip freeze --exclude-editable > requirements.lock

clean:
	rm -rf var .pytest_cache
