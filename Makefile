# CCHC portal. `make help` lists the targets.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
MANAGE := $(PY) manage.py

.DEFAULT_GOAL := help
.PHONY: help replica-test run test lint format migrate worker beat demo messages glossary backup restore clean schemathesis bench oidc-provider

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) is required"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip
	$(PIP) install -q -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements-dev.txt $(VENV)/.installed
	$(PIP) install -q -r requirements-dev.txt
	touch $@

migrate: $(VENV)/.installed ## Apply database migrations
	$(MANAGE) migrate --noinput

demo: migrate ## Load the demo province (safe to run twice)
	$(MANAGE) load_demo

run: demo ## Set up everything and serve http://127.0.0.1:8000 with worker and beat
	$(MANAGE) collectstatic --noinput -v0
	@command -v soffice >/dev/null 2>&1 || echo "Note: LibreOffice (soffice) is not installed: periodic reports download as Word and Excel, but their PDF is not available on this machine (Debian: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui)."
	$(VENV)/bin/honcho start -f Procfile

worker: $(VENV)/.installed ## Run a Celery worker
	$(VENV)/bin/celery -A cchc_portal worker --loglevel=INFO

beat: $(VENV)/.installed ## Run Celery beat (the schedule is CELERY_BEAT_SCHEDULE in settings)
	$(VENV)/bin/celery -A cchc_portal beat --loglevel=INFO

lint: $(VENV)/.installed-dev ## ruff check and format check, bandit (medium and higher)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -q -r . -x ./.venv,./tests,./var,./benchmarks -ll

format: $(VENV)/.installed-dev ## Apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Both cores: the demo province's tests and the real-worker tests each stay on one process.
PYTEST_ARGS ?= -n 2 --dist loadgroup
test: lint oidc-provider ## Run ruff and the whole test suite
	$(MANAGE) makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

oidc-provider: ## Install the OpenID Connect provider the single sign-on tests start (needs npm)
	@if command -v npm >/dev/null 2>&1; then \
		cd tests/accounts/oidc_provider && npm ci --no-audit --no-fund --silent; \
	else echo "npm is missing: the single sign-on tests will be skipped"; fi

schemathesis: $(VENV)/.installed-dev ## Run schemathesis against the API schema (in process, bounded)
	$(VENV)/bin/pytest -q tests/api/test_schemathesis.py

replica-test: $(VENV)/.installed-dev ## Make a PostgreSQL primary with a streaming replica and run the replica tests on them
	tests/replica/pair.sh start
	DATABASE_URL=postgres://postgres@127.0.0.1:5433/cchc DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:5434/cchc \
	  $(VENV)/bin/pytest -q tests/replica; status=$$?; tests/replica/pair.sh stop; exit $$status

glossary: ## Write docs/glossary.md from the glossary's data (core/glossary.py)
	$(PYTHON) -m core.glossary > docs/glossary.md

messages: $(VENV)/.installed ## Refresh and compile the Vietnamese translations
	$(MANAGE) makemessages -l vi --ignore=.venv --ignore=var
	$(MANAGE) compilemessages -l vi --ignore=.venv

# The benchmarks use their own database and Redis db unless told otherwise (never SQLite).
BENCH_DATABASE_URL ?= $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/cchc_bench)
BENCH_REDIS_URL ?= $(or $(REDIS_URL),redis://127.0.0.1:6379/5)
BENCH_SCALE ?= 1.0
BENCH_ARGS ?=
bench: $(VENV)/.installed-dev ## Generate the province (once) and print the benchmark table (PostgreSQL, Redis)
	@case "$(BENCH_DATABASE_URL)" in postgres*) ;; *) echo "make bench needs PostgreSQL: set DATABASE_URL=postgres://... (SQLite is refused)"; exit 2;; esac
	@case "$(BENCH_REDIS_URL)" in redis*) ;; *) echo "make bench needs Redis: set REDIS_URL=redis://..."; exit 2;; esac
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) -m benchmarks.database
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(MANAGE) migrate --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(MANAGE) collectstatic --noinput -v0
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) -m benchmarks.generate --scale $(BENCH_SCALE) --if-empty
	DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) -m benchmarks.run $(BENCH_ARGS)

BACKUP_DIR ?= backups
backup: $(VENV)/.installed ## Back up PostgreSQL and uploaded files into $(BACKUP_DIR)/cchc-<time>/
	$(MANAGE) backup --output $(BACKUP_DIR)

restore: $(VENV)/.installed ## Restore a backup: make restore FROM=backups/cchc-<time>
	@test -n "$(FROM)" || { echo "usage: make restore FROM=backups/cchc-<time>"; exit 2; }
	$(MANAGE) restore $(FROM)

clean: ## Remove the virtualenv and local data (var/)
	rm -rf $(VENV) var
