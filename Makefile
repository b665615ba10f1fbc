# recognition — the two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export FLASK_APP := wsgi.py
# Python keeps its compiled modules (in __pycache__, ignored by git), even where the environment
# says not to: every test worker collects the suite (28 s of CPU without them, 11 s with, measured
# on 2026-12-07), and every subprocess the tests start imports the app again.
unexport PYTHONDONTWRITEBYTECODE
# Three workers on this two-core machine, each with a database of its own: a worker waits
# often (the browser tests, live servers and subprocesses; PostgreSQL's own process), and a
# third fills the cores (the SQLite run, long tests first, tests/conftest.py: 9 min 14 s →
# 7 min 27 s, 2026-12-06; the PostgreSQL run: 9 min 12 s → 7 min 17 s, 2026-12-08; a fourth
# gained nothing: the SQLite run 9 min 17 s with three, 9 min 44 s with four). Work is stolen
# test by test: whole-module distribution would leave the form fuzzing on one worker.
PYTEST_ARGS ?= -n 3 --dist worksteal
SQLITE_PYTEST_ARGS ?= $(PYTEST_ARGS)
# JUNIT_DIR=folder: each run also writes its per-test times there (sqlite.xml, postgres.xml, s3.xml).
junit = $(if $(JUNIT_DIR),--junitxml=$(JUNIT_DIR)/$(1).xml)
# Debian packages the browser tests and PDF checks need; nginx balances two app servers in the
# several-servers test (run as the test user with a configuration of its own, no service).
DEBIAN_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 nginx softhsm2
# What the app itself needs at run time (WeasyPrint renders with Pango).
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# The port `make run` serves on (make run PORT=8080); the public address follows it unless
# RECOGNITION_PUBLIC_URL is set.
PORT ?= 5000

.PHONY: help run test install translations extract-messages lint typecheck \
        test-sqlite test-postgres test-s3 system-packages run-packages security clean \
        crash-test fuzz fuzz-deep screenshots

help:
	@echo "make run    - install, migrate, load the demo data and serve on http://127.0.0.1:$(PORT)"
	@echo "make test   - install what the tests need and run every check"
	@echo "make crash-test - kill the server (PostgreSQL) under load and check nothing acknowledged is lost;"
	@echo "                  the browser tests through nginx alternating two servers"
	@echo "make fuzz-deep - the deep pass of the forms' fuzzing that CI runs after make test"
	@echo "make fuzz   - fuzz every form with 5,000 examples each (a long run)"

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations

translations: $(STAMP)
	$(BIN)/pybabel compile --use-fuzzy -d recognition/translations --statistics 2>&1 | grep -v '^compiling' || true

extract-messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --ignore-dirs=".*" \
		--omit-header -o recognition/translations/messages.pot recognition templates
	$(BIN)/pybabel update -i recognition/translations/messages.pot -d recognition/translations \
		--no-fuzzy-matching --ignore-obsolete --omit-header

run: install run-packages
	$(BIN)/flask db upgrade
	$(BIN)/flask seed-demo
	@echo
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	RECOGNITION_SIGNATURE_TRUST_ROOTS="$${RECOGNITION_SIGNATURE_TRUST_ROOTS:-$${RECOGNITION_SIGNATURE_KEY_DIR:-instance/signing-keys}/demo-root.pem}" \
	RECOGNITION_PUBLIC_URL="$${RECOGNITION_PUBLIC_URL:-http://127.0.0.1:$(PORT)}" \
		$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

run-packages:
	@$(MAKE) --no-print-directory system-packages DEBIAN_PACKAGES="$(RUN_PACKAGES)"

system-packages:
	@missing=""; for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check recognition tests bench wsgi.py
	$(BIN)/ruff format --check recognition tests bench wsgi.py
	$(BIN)/lint-imports --no-cache

typecheck: $(STAMP)
	$(BIN)/mypy

security: $(STAMP)
	$(BIN)/bandit -q -r recognition

# The whole suite on SQLite, with the files in a folder.
test-sqlite: install system-packages
	$(BIN)/pytest -p no:cacheprovider $(SQLITE_PYTEST_ARGS) $(call junit,sqlite)

# The suite again on PostgreSQL, with the files in a bucket of a local S3 server (moto), so that
# the second run also covers the second storage backend. Tests that send no SQL (marked `unit`
# or `no_database`; tests/conftest.py checks the mark) are left out: the SQLite run has them.
# Without a PostgreSQL database, the modules that touch stored files run on S3 and SQLite.
test-postgres: install system-packages
	@if [ -n "$$RECOGNITION_TEST_DATABASE_URL" ]; then \
		echo "== the suite again on PostgreSQL ($$RECOGNITION_TEST_DATABASE_URL), files in S3"; \
		RECOGNITION_TEST_ON_POSTGRES=1 RECOGNITION_TEST_STORAGE=s3 \
			$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) $(call junit,postgres); \
	else \
		echo "RECOGNITION_TEST_DATABASE_URL is not set: PostgreSQL run skipped."; \
		$(MAKE) --no-print-directory test-s3; \
	fi

# The modules that touch stored files, with the files in a bucket of a local S3 server (moto)
# instead of a folder, on SQLite (`make test` runs the whole PostgreSQL run that way instead).
S3_TEST_MODULES := tests/test_storage.py tests/nominations/test_uploads.py \
	tests/decisions/test_print_jobs.py tests/decisions/test_pdfs.py \
	tests/decisions/test_revocation.py tests/decisions/test_blanks.py \
	tests/units/test_settings.py tests/reliability/test_backup.py
test-s3: install system-packages
	RECOGNITION_TEST_STORAGE=s3 $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) $(call junit,s3) \
		$(S3_TEST_MODULES)

test: install system-packages lint typecheck security test-sqlite test-postgres

# gunicorn on PostgreSQL, killed with SIGKILL at random moments (≥ 10 times) under concurrent
# dossier submissions: no acknowledged submission or file may be lost (tests/reliability). Then
# the same on two servers behind nginx with the files in an S3 bucket (a local moto server),
# one server, the other or both killed at once: the folder's and the bucket's ways of storing.
crash-test: install run-packages system-packages
	$(BIN)/python -m tests.reliability.crash_test
	$(BIN)/python -m tests.reliability.crash_test --servers 2 --kills 10 --hamlets 30 --max-gap 2 --duration 60
	@if [ -n "$$RECOGNITION_TEST_DATABASE_URL" ]; then \
		echo "== the whole cycle, a dossier and a backup through nginx alternating two servers"; \
		RECOGNITION_TEST_ON_POSTGRES=1 RECOGNITION_TEST_STORAGE=s3 RECOGNITION_SERVERS_TESTS=1 \
			$(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) $(call junit,servers) \
			tests/e2e/test_two_servers.py; \
	fi

# Every form fuzzed with 5,000 examples each, new ones each time (about 50 minutes on SQLite
# measured on 2026-11-25 with 60 targets; there are more now).
# CI fuzzes each form in two passes, each with seeds of its own, the same on every run when CI
# is set (tests/reliability/test_fuzz_forms.py): `make test`'s quick pass, 20 examples a form on
# SQLite and 10 on PostgreSQL, then the deep pass below, which `.ci/run` adds: 130 on SQLite and
# 40 on PostgreSQL, each followed by a tenth as many new ones, at least 10
# (RECOGNITION_FUZZ_UNSEEDED): 200 a form in all. An input that fails becomes an `examples`
# entry of its target. The deep pass also runs the API's schemathesis (80 examples an operation
# on SQLite, 20 on PostgreSQL, after the quick pass's 20 and 5): on SQLite, and on PostgreSQL
# with the files in S3 when RECOGNITION_TEST_DATABASE_URL is set.
FUZZ_DEEP := RECOGNITION_FUZZ_PASS=deep CI=1 $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) \
	tests/reliability/test_fuzz_forms.py tests/api/test_schemathesis.py -k "test_fuzz_form or test_api"
fuzz-deep: install system-packages
	$(FUZZ_DEEP) $(call junit,fuzz-deep-sqlite)
	@if [ -n "$$RECOGNITION_TEST_DATABASE_URL" ]; then \
		echo "== the deep fuzzing pass on PostgreSQL, files in S3"; \
		RECOGNITION_TEST_ON_POSTGRES=1 RECOGNITION_TEST_STORAGE=s3 \
			$(FUZZ_DEEP) $(call junit,fuzz-deep-postgres); \
	fi

fuzz: install system-packages
	env -u CI RECOGNITION_FUZZ_EXAMPLES=5000 $(BIN)/pytest -p no:cacheprovider -s tests/reliability/test_fuzz_forms.py

# The browser tests with a full-page screenshot of every page they check, in tests/artifacts/.
screenshots: install system-packages
	RECOGNITION_SCREENSHOTS=1 $(BIN)/pytest -p no:cacheprovider $(PYTEST_ARGS) tests/e2e

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache tests/artifacts
