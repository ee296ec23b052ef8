# Praja: `make demo` runs it with demo data on SQLite; `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext poppler-utils
TEST_SYSTEM_PACKAGES := chromium
export PRAJA_HOME := $(CURDIR)

.PHONY: demo test venv test-deps system-deps browser messages lint bench clean-demo

$(BIN)/praja: requirements/base.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements/base.txt
	$(BIN)/pip install -q --no-deps -e .
	@touch $@

venv: $(BIN)/praja

$(VENV)/.test-deps: requirements/test.txt $(BIN)/praja
	$(BIN)/pip install -q -r requirements/test.txt
	@touch $@

test-deps: $(VENV)/.test-deps

# Debian libraries for PDF rendering, gettext and PDF checks: installed when root, else named.
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "Installing Debian packages: $$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else \
	    echo "Praja needs these Debian packages. Run:"; \
	    echo "  sudo apt-get install -y $$missing"; exit 1; \
	  fi; \
	fi

browser:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(TEST_SYSTEM_PACKAGES) >/dev/null; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install -y chromium"; exit 1; fi; \
	fi

messages: venv system-deps
	@if [ -d src/praja/locale ]; then cd src/praja && ../../$(BIN)/praja compilemessages --ignore=.venv -v 0; fi

demo: venv system-deps messages
	@PRAJA_DEMO=1 $(BIN)/praja migrate --no-input -v 0
	@PRAJA_DEMO=1 $(BIN)/praja demo
	@echo "Praja is serving on http://127.0.0.1:$(PORT)/  (Ctrl+C stops it)"
	@PRAJA_DEMO=1 $(BIN)/praja worker >var/worker.log 2>&1 & worker=$$!; \
	trap "kill $$worker 2>/dev/null" EXIT INT TERM; \
	PRAJA_DEMO=1 $(BIN)/gunicorn praja.config.wsgi -b 127.0.0.1:$(PORT) -w 2 --access-logfile - --log-level warning

test: test-deps system-deps browser messages
	$(BIN)/pytest -n 2 -p no:cacheprovider

lint: test-deps
	$(BIN)/ruff check src tests bench

bench: test-deps system-deps
	$(BIN)/python -m bench

clean-demo:
	rm -rf var/praja.sqlite3* var/documents var/keys var/media var/outbox-mail
