# Leernetwerk Amsterdam — `make run` to try it, `make test` to test it. `make help` lists all.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
TRANSLATIONS := plc/translations
PO_FILES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
VENDOR := static/vendor

.DEFAULT_GOAL := help
.PHONY: help setup run test test-sqlite test-postgres lint translations demo clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Python 3.11 or newer is needed (PYTHON=$(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

$(VENDOR)/.copied: node_modules/.package-lock.json
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/socket.io $(VENDOR)/axe-core
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/bootstrap/
	cp node_modules/socket.io-client/dist/socket.io.min.js node_modules/socket.io-client/dist/socket.io.min.js.map $(VENDOR)/socket.io/
	cp node_modules/axe-core/axe.min.js $(VENDOR)/axe-core/
	@touch $@

%.mo: %.po $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

setup: $(VENV)/.installed $(VENDOR)/.copied $(MO_FILES) ## Install everything (idempotent)

run: setup ## Set up, migrate, load the demo into an empty database, serve http://$(HOST):$(PORT)
	$(FLASK) db upgrade
	$(FLASK) plc install-defaults
	$(FLASK) plc demo --if-empty
	@echo "Leernetwerk Amsterdam: http://$(HOST):$(PORT)"
	@echo "Demo logins (password Leernetwerk-demo-2026): fatima@example.org (teacher),"
	@echo "  daan@example.org (facilitator), yusuf@example.org (school leader), beheer@example.org (admin); all in README.md"
	HOST=$(HOST) PORT=$(PORT) SERVER_NAME=$${SERVER_NAME:-$(HOST):$(PORT)} $(BIN)/python wsgi.py

test: setup ## Run the whole suite (SQLite; PostgreSQL too when PLC_TEST_DATABASE_URL is set)
	$(BIN)/pytest -n auto --dist loadfile
	@if [ -n "$$PLC_TEST_DATABASE_URL" ]; then \
		echo "--- the whole suite again, on PostgreSQL ---"; \
		PLC_TEST_BACKEND=postgres $(BIN)/pytest -n auto --dist loadfile; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true needs PLC_TEST_DATABASE_URL for the PostgreSQL run"; exit 1; \
	fi

lint: setup ## ruff: style and common bugs; bandit: security findings of medium or high severity
	$(BIN)/ruff check plc tests wsgi.py $(wildcard bench)
	$(BIN)/ruff format --check plc tests wsgi.py $(wildcard bench)
	$(BIN)/bandit -c pyproject.toml -r plc wsgi.py --quiet --severity-level medium

translations: setup ## Extract strings and update the .po catalogues
	$(BIN)/pybabel extract -F babel.cfg -k _l -o $(TRANSLATIONS)/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete

demo: setup ## Reload the demo data (wipes a development database)
	$(FLASK) db upgrade
	$(FLASK) plc demo --force

clean: ## Remove the virtualenv, node_modules and vendored assets (keeps instance/)
	rm -rf $(VENV) node_modules $(VENDOR) $(TRANSLATIONS)/*/LC_MESSAGES/*.mo
