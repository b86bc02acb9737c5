# 研修申报 — two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: node-packages run setup test test-again system-deps system-deps-run worker check-deploy prod-check lint format requirements bench clean

# Every package pinned with its hashes (pip-compile --generate-hashes): nothing
# else can be installed in its place. Running needs requirements.txt only; the test
# and lint tools (requirements-dev.txt) are installed by the targets that use them.
$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet --require-hashes -r requirements.txt -r requirements-dev.txt
	touch $@

# Re-pin after editing requirements.in or requirements-dev.in.
requirements: $(VENV)/.installed-dev
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements.txt requirements.in
	$(VENV)/bin/pip-compile --quiet --generate-hashes --strip-extras --allow-unsafe -o requirements-dev.txt requirements-dev.in

# Lint, formatting and the import contracts between layers (docs/architecture.md).
lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

setup: $(VENV)/.installed system-deps-run
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

# SITE_URL (certificates' QR codes, e-mail links) follows HOST and PORT unless set: for the
# server and workers, and already while seeding the demo (its e-mails are queued then).
run setup worker: export SITE_URL ?= http://$(HOST):$(PORT)

# Sets up everything and starts the web server, the background workers and the scheduler.
# The warm PDF converter (unoserver) listens on UNOSERVER_PORT (and +1 for
# LibreOffice); a second worker takes only PDFs, polling every 0.2 s; the scheduler
# runs the periodic jobs (reminders, overdue flags, lost tasks, purges, backups).
UNOSERVER_PORT ?= 2003
run: setup
	@echo "系统地址: http://$(HOST):$(PORT)/   (Ctrl-C 停止)"
	@trap 'kill 0' INT TERM EXIT; \
	  export DOCUMENTS_UNOSERVER=127.0.0.1:$(UNOSERVER_PORT); \
	  $(PY) manage.py pdf_converter --port $(UNOSERVER_PORT) >var/pdf_converter.log 2>&1 & \
	  $(PY) manage.py worker >var/worker.log 2>&1 & \
	  $(PY) manage.py worker --queue-name pdf --interval 0.2 >var/pdf_worker.log 2>&1 & \
	  $(PY) manage.py scheduler >var/scheduler.log 2>&1 & \
	  $(PY) manage.py runserver $(HOST):$(PORT)

worker: $(VENV)/.installed
	$(PY) manage.py worker --queue-name default,pdf

# Debian packages running needs: CJK fonts and LibreOffice (Writer, Calc) for PDFs,
# python3-uno for the warm converter (unoserver runs under LibreOffice's Python).
RUN_DEBS := fonts-noto-cjk fontconfig libreoffice-writer-nogui libreoffice-calc-nogui python3-uno
system-deps-run:
	@if ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || ! command -v soffice >/dev/null || ! /usr/bin/python3 -c "import uno" 2>/dev/null; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $(RUN_DEBS) >/dev/null; \
	fi

# And what the tests need besides: Chromium for the browser tests, poppler-utils to read PDFs,
# npm (with Node.js) to fetch axe-core for the accessibility checks, nginx for `make prod-check`.
system-deps: system-deps-run
	@if [ ! -x /usr/bin/chromium ] || ! command -v pdftotext >/dev/null || ! command -v npm >/dev/null || [ ! -x /usr/sbin/nginx ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    chromium poppler-utils nginx $$(command -v npm >/dev/null || echo npm) >/dev/null; \
	fi

# axe-core for the browser tests' accessibility checks (tests/browser/axe.py), from the npm
# registry into .node/ (ignored by git): never a CDN, nothing in package.json.
# And oidc-provider, the certified OpenID Connect provider the unified-identity tests start
# (tools/oidc_provider/provider.mjs, decision 0025). One npm command for both: a later
# `npm install --no-save` would remove the packages the earlier one added.
AXE_CORE_VERSION := 4.14.1
OIDC_PROVIDER_VERSION := 9.13.3
AXE := .node/node_modules/axe-core/axe.min.js
OIDC_PROVIDER := .node/node_modules/oidc-provider/package.json
NODE_PACKAGES := $(AXE) $(OIDC_PROVIDER)
node-packages: $(NODE_PACKAGES)
$(NODE_PACKAGES) &:
	npm install --no-save --no-audit --no-fund --prefix .node axe-core@$(AXE_CORE_VERSION) oidc-provider@$(OIDC_PROVIDER_VERSION)

# All tests (unit, integration, browser). DATABASE_URL selects PostgreSQL.
# In parallel: one process and one test database per core (TEST_WORKERS=0: one process);
# whole files per worker, so a module's shared world (tests/conftest.py) is built once; the
# longest files are handed out first, in tests/conftest.py's HEAVY_FIRST order (xdist would
# otherwise hand out the files with the most tests first, and the long ones end the run).
# COVERAGE=1 measures branch coverage, prints it and fails below pyproject's floor (.ci/run).
# YANXIU_TEST_SCOPE=engine (in the environment) runs only the tests whose outcome can depend on the
# database engine: .ci/run's PostgreSQL run (decision 0033).
TEST_WORKERS ?= auto
COVERAGE ?=
COV_ARGS := $(if $(COVERAGE),--cov --cov-report=)
test: $(VENV)/.installed-dev system-deps $(NODE_PACKAGES)
	$(if $(COVERAGE),rm -f .coverage .coverage.*)
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder $(COV_ARGS) $(PYTEST_ARGS)
	$(if $(COVERAGE),$(VENV)/bin/coverage report --fail-under=0 | tail -n 25)
	$(if $(COVERAGE),@echo "branch coverage (total, floor in pyproject.toml):" && $(VENV)/bin/coverage report --format=total)

# Rerun one test, or the last failures, in seconds: the test database is kept in var/ between
# runs (migrations applied once; new ones are applied on the next run).
#   make test-again T=tests/reviews/test_views.py::test_ranking    make test-again (the last failures)
T ?= --lf --lfnf=none
test-again: $(VENV)/.installed-dev $(NODE_PACKAGES)
	mkdir -p var
	YANXIU_TEST_DB_FILE=var/test-db.sqlite3 $(PY) -m pytest --reuse-db $(T)

check-deploy: $(VENV)/.installed
	DJANGO_ENV=production DJANGO_SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-secret-value-for-checking \
	  DJANGO_ALLOWED_HOSTS=yanxiu.example.gov.cn \
	  YANXIU_DATA_KEY=check:$$($(PY) -c "import secrets; print(secrets.token_hex(32))") \
	  $(PY) manage.py check --deploy --fail-level WARNING

# The production shape on this machine (tools/prod_check.py, decision 0030): nginx with TLS in front
# of two gunicorn nodes, both workers and the scheduler on a fresh PostgreSQL database and Redis;
# a user's whole path, then a node and a worker killed and both nodes restarted under load.
# Prints its figures; exits 1 when one is missed. Needs PostgreSQL on 127.0.0.1:5432 and Redis.
prod-check: $(VENV)/.installed-dev system-deps
	$(PY) tools/prod_check.py

# Every benchmark with its baseline and ratio, on SQLite; with
# BENCH_DATABASE_URL=postgres://user@host:port/<name> the serving ones (PDFs, list pages,
# the deadline surge) run on PostgreSQL behind gunicorn, each on a fresh <name>_<script>.
bench: $(VENV)/.installed-dev
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .node
