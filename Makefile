# ASEAN Quiz — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PORT ?= 5000
PYTEST_ARGS ?= -q

.PHONY: install run test fuzz bench translations catalog clean help

help:
	@echo "make run    - set up .venv, migrate, seed the demo once, serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - set up .venv and run the tests (again on PostgreSQL/Redis when TEST_DATABASE_URL/TEST_REDIS_URL are set)"
	@echo "make fuzz   - the API fuzzer (schemathesis against quiz/main/openapi.json, as every role), SQLite then PostgreSQL/Redis when set"
	@echo "make bench  - load test of the production set-up (gunicorn + PostgreSQL + Redis), report in bench/results/"
	@echo "make e2e    - end-to-end tests in Debian's Chromium against gunicorn (screenshots in e2e-screenshots/)"
	@echo "make install, make catalog (extract/update messages), make translations (compile them)"

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	$(VENV)/bin/pybabel compile --statistics -d quiz/translations
	touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	$(VENV)/bin/pybabel compile --statistics -d quiz/translations

catalog: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k lazy_gettext -k _l -o quiz/translations/messages.pot --no-location --sort-output .
	$(VENV)/bin/pybabel update -i quiz/translations/messages.pot -d quiz/translations --no-fuzzy-matching --ignore-obsolete

run: $(STAMP) translations
	env -u QUIZ_DATABASE_URL -u QUIZ_REDIS_URL QUIZ_ENV=development $(VENV)/bin/flask --app wsgi db upgrade
	env -u QUIZ_DATABASE_URL -u QUIZ_REDIS_URL QUIZ_ENV=development $(VENV)/bin/flask --app wsgi demo
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl+C to stop)"
	env -u QUIZ_DATABASE_URL -u QUIZ_REDIS_URL QUIZ_ENV=development QUIZ_SCHEDULER=1 QUIZ_PUBLIC_URL=http://127.0.0.1:$(PORT) $(VENV)/bin/flask --app wsgi run --host 127.0.0.1 --port $(PORT)

test: $(STAMP) translations
	@echo "== tests on SQLite, without Redis =="
	env -u TEST_DATABASE_URL -u TEST_REDIS_URL $(PY) -m pytest $(PYTEST_ARGS)
	@if [ -n "$$TEST_DATABASE_URL$$TEST_REDIS_URL" ]; then \
		echo "== the same tests on $${TEST_DATABASE_URL:-SQLite} with Redis $${TEST_REDIS_URL:-absent} =="; \
		$(PY) -m pytest $(PYTEST_ARGS); \
	fi

# The API fuzzer (tests/fuzz): bounded by FUZZ_EXAMPLES per operation (default 40) and FUZZ_BUDGET_SECONDS;
# FUZZ_SEED changes the otherwise fixed generation (make fuzz FUZZ_EXAMPLES=500 FUZZ_SEED=7).
FUZZ_STAMP := $(VENV)/.installed-fuzz
FUZZ_ARGS ?= -q -p no:cacheprovider

$(FUZZ_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,fuzz]'
	touch $(FUZZ_STAMP)

fuzz: $(STAMP) $(FUZZ_STAMP) translations
	@echo "== API fuzz on SQLite, without Redis =="
	env -u TEST_DATABASE_URL -u TEST_REDIS_URL $(PY) -m pytest $(FUZZ_ARGS) -m fuzz tests/fuzz
	@if [ -n "$$TEST_DATABASE_URL$$TEST_REDIS_URL" ]; then \
		echo "== API fuzz on $${TEST_DATABASE_URL:-SQLite} with Redis $${TEST_REDIS_URL:-absent} =="; \
		$(PY) -m pytest $(FUZZ_ARGS) -m fuzz tests/fuzz; \
	fi

# End-to-end: Playwright drives /usr/bin/chromium (never a downloaded browser); axe-core comes from npm.
E2E_STAMP := $(VENV)/.installed-e2e
E2E_ARGS ?= -q
AXE := node_modules/axe-core/axe.min.js

$(E2E_STAMP): pyproject.toml $(STAMP)
	$(PY) -m pip install --quiet -e '.[test,e2e]'
	touch $(E2E_STAMP)

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund || npm install --no-audit --no-fund
	touch $(AXE)

e2e: $(STAMP) $(E2E_STAMP) $(AXE) translations
	$(PY) -m pytest -p no:cacheprovider $(E2E_ARGS) e2e

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

bench: $(STAMP)
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) bench/run.py
