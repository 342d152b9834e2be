# Amparo developer commands. `make` alone lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

# Optional local settings; `make` passes every variable in it to the commands it runs.
-include .env
export

# Settings for `check --deploy`: production-like, with throwaway values.
DEPLOY_ENV := DEBUG=false SECRET_KEY=deploy-check-$$(openssl rand -hex 32 2>/dev/null || echo 0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP) \
	ALLOWED_HOSTS=amparo.example.org SITE_URL=https://amparo.example.org \
	AMPARO_MASTER_KEY=$$($(PY) -c "import base64,os;print(base64.b64encode(os.urandom(32)).decode())") \
	DATABASE_URL=sqlite:///$(CURDIR)/var/deploy-check.sqlite3 REDIS_URL=

.PHONY: help install run serve migrate worker seed demo-code test e2e fmt lint typecheck messages \
	messages-check migrations-check deploy-check reqcheck collectstatic bench bench-quick check clean

help: ## List every target
	@grep -hE '^[a-zA-Z0-9_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-18s %s\n", $$1, $$2}'

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $@

install: $(VENV)/.synced ## Create .venv and install the locked dependencies

run: install ## Migrate, load the demo data and serve on http://127.0.0.1:8000 (SQLite)
	DEBUG=true $(MANAGE) amparo_keys init-demo
	DEBUG=true $(MANAGE) migrate --no-input
	$(PY) -m amparo.core.catalogue_check --compile
	DEBUG=true $(MANAGE) seed_demo
	@echo "Serving on http://127.0.0.1:8000 -- sign in as dora@demo.amparo.test; code: make demo-code EMAIL=dora@demo.amparo.test"
	DEBUG=true $(MANAGE) runserver 127.0.0.1:8000

migrate: install ## Apply migrations, then load the courses shipped in amparo/learning/content
	$(MANAGE) migrate --no-input
	$(MANAGE) load_courses

worker: install ## Task worker plus periodic sweeps (requeues the tasks of dead workers)
	DEBUG=$${DEBUG:-true} $(MANAGE) worker

seed: install ## Load the demo data (refuses unless DEBUG=true)
	DEBUG=true $(MANAGE) seed_demo

# `make demo-code EMAIL=dora@demo.amparo.test`, or `make demo-code dora@demo.amparo.test`
demo-code: install ## Print the current MFA code of a demo persona (EMAIL=...)
	@DEBUG=true $(MANAGE) demo_code $(or $(EMAIL),$(filter-out demo-code,$(MAKECMDGOALS)))

%@demo.amparo.test:
	@:

collectstatic: install
	@AMPARO_TESTING=true $(MANAGE) collectstatic --no-input -v0

# Compiled with polib, so no GNU gettext is needed to run or test (only to extract strings).
compilemessages: install
	@$(PY) -m amparo.core.catalogue_check --compile

# Two workers (pytest-xdist): the suite is CPU-bound and CI must stay under 30 minutes.
TEST_WORKERS ?= 2

test: install compilemessages collectstatic ## Run the whole test suite (ARGS="amparo/accounts -k invite")
	$(PY) -m pytest -n $(TEST_WORKERS) $(ARGS)

e2e: install compilemessages collectstatic ## Browser tests only (Playwright, system Chromium)
	$(PY) -m pytest -m browser $(ARGS)

fmt: install ## Format and auto-fix
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

lint: install ## ruff format --check and ruff check
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

typecheck: install ## mypy (strict) on amparo/ and config/
	DEBUG=true $(VENV)/bin/mypy amparo config

messages: install ## Regenerate every catalogue, then compile
	DEBUG=true $(MANAGE) makemessages --all --no-location --no-obsolete --ignore=.venv --ignore=.tools --ignore=var --ignore=bench
	$(PY) -m amparo.core.catalogue_check --compile

messages-check: install ## Fail when locale/ is stale (new strings not extracted)
	DEBUG=true $(PY) -m amparo.core.catalogue_check

migrations-check: install ## Fail when a model change has no migration
	DEBUG=true $(MANAGE) makemigrations --check --dry-run

deploy-check: install ## check --deploy with production-like settings
	@mkdir -p var
	$(DEPLOY_ENV) $(MANAGE) check --deploy --fail-level WARNING

bench: install compilemessages ## Performance harness: latency, bytes, queries; fails over budget
	$(PY) -m bench.run $(ARGS)
	$(PY) -m bench.networks

bench-quick: install compilemessages collectstatic ## Deterministic part of the harness: bytes and queries
	$(PY) -m bench.run --quick $(ARGS)
	$(PY) -m bench.networks --contacts 200

reqcheck: install ## Fail when a built SECURITY.md requirement has no marked test
	$(PY) -m amparo.core.reqcheck

check: lint typecheck migrations-check messages-check deploy-check reqcheck test ## Everything CI runs

clean: ## Remove the environment and local data (var/)
	rm -rf $(VENV) $(TOOLS) var/static var/*.sqlite3*
