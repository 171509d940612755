# The two commands: `make run` (set up and run the portal) and `make test` (set up and run every check);
# `make check` is the fast loop: the same gates and the tests without the browser and the worker.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test check setup venv assets messages browser antivirus demo clean bench restore-drill faults

run: setup ## Set up, load demo data and run web server, Celery worker and beat (Ctrl-C stops all)
	DJANGO_SETTINGS_MODULE=portal.settings.dev scripts/run-dev

test: setup browser antivirus ## Set up and run the quality gates and the whole test suite
	scripts/test-all

check: setup antivirus ## The quality gates and the tests without the browser journeys and the real-worker tests
	scripts/test-all -m "not browser and not worker"

setup: venv assets messages

venv: $(VENV)/.installed
# The development environment: the runtime requirements plus the tests' and gates' (requirements-dev.txt).
# The production image installs requirements.txt only (Dockerfile).
$(VENV)/.installed: requirements.txt requirements-dev.txt scripts/find-python
	@python=$$(scripts/find-python) && echo "Using $$python" && \
	  ( [ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' || { rm -rf $(VENV); $$python -m venv $(VENV); } )
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

assets: static/build/.built
static/build/.built: package.json package-lock.json scripts/build-assets.mjs $(wildcard assets/scss/*.scss)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

messages: $(VENV)/.installed
	@if ls locale/*/LC_MESSAGES/django.po >/dev/null 2>&1; then \
	  DJANGO_SETTINGS_MODULE=portal.settings.dev $(MANAGE) compilemessages --ignore=.venv --ignore=node_modules -v 0; fi

browser: ## Debian's Chromium for the browser tests (Playwright's own download is not used)
	@command -v chromium >/dev/null 2>&1 || { echo "Installing Debian's chromium"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null; }

antivirus: ## Debian's clamd for the upload tests (the run starts it with a test-only signature: tests/clamd.py)
	@command -v clamd >/dev/null 2>&1 || [ -x /usr/sbin/clamd ] || { echo "Installing Debian's clamav-daemon"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq clamav-daemon) >/dev/null; }

demo: setup ## Load the demo data into the development database
	mkdir -p var
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(MANAGE) migrate --no-input -v 0
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(MANAGE) createcachetable
	DJANGO_SETTINGS_MODULE=portal.settings.dev $(MANAGE) demo_data

bench: setup ## Benchmarks (PostgreSQL: set DATABASE_URL); see docs/performance.md
	$(PY) -m bench

clean:
	rm -rf $(VENV) node_modules static/build staticfiles var .pytest_cache .ruff_cache

restore-drill: setup ## Restore a backup into a fresh cluster: make restore-drill BASE=... WAL=... TARGET=... (docs/operations.md)
	scripts/restore-drill "$(BASE)" "$(WAL)" "$(TARGET)" $(PORT)

faults: setup ## The fault suite on private services (docs/reliability.md); QUICK=1 for the short run
	$(PY) -m bench faults $(if $(QUICK),--quick)
