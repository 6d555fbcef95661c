# SupportDesk. `make demo` runs the product; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
DEV := $(VENV)/.installed-dev
PG := $(BIN)/python scripts/with_postgres.py
# The accessibility audit's axe-core (make axe), pinned
AXE_VERSION := 4.10.3
AXE := var/axe/node_modules/axe-core/axe.min.js
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test lint format lock bench bench-suggest bench-mail loadtest screenshots vendor clean axe

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 12) and "SupportDesk needs Python 3.12 or newer")'
	$(PYTHON) -m venv $(VENV)

$(RUNTIME): requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(DEV): requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(RUNTIME)

## demo: SQLite database under var/, demo data, server on http://127.0.0.1:$(PORT) (PORT=8000)
PORT ?= 8000
demo: $(RUNTIME)
	DEBUG=true $(BIN)/python manage.py migrate --noinput
	DEBUG=true PORT=$(PORT) $(BIN)/python manage.py load_demo
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## test: lint, migrations check, the whole pytest suite on PostgreSQL
test: export SECRET_KEY ?= insecure-test-only-key-9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a
test: $(DEV) lint $(AXE)
	$(PG) sh -c '$(BIN)/python manage.py makemigrations --check --dry-run && $(BIN)/pytest $(PYTEST_ARGS)'

## axe: axe-core from the npm registry into var/axe (gitignored), injected by the
## browser tests' accessibility audit (tests/browser/test_accessibility_browser.py)
axe: $(AXE)
$(AXE):
	mkdir -p var/axe
	npm install --silent --no-audit --no-fund --prefix var/axe axe-core@$(AXE_VERSION)
	test -f $@ && touch $@

## screenshots: refresh docs/screenshots/ (the README's pictures) from the browser tests
screenshots:
	SCREENSHOTS=1 $(MAKE) test PYTEST_ARGS="tests/browser"

lint: $(DEV)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(DEV)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## lock: regenerate both hashed lock files from pyproject.toml
lock: $(DEV)
	$(BIN)/uv pip compile pyproject.toml --universal --generate-hashes --python-version 3.12 -q -o requirements.lock
	$(BIN)/uv pip compile pyproject.toml --group dev --universal --generate-hashes --python-version 3.12 -q -o requirements-dev.lock

## bench: the benchmark of docs/benchmarks.md (TICKETS=1000000 for the full size)
TICKETS ?= 100000
bench: export SECRET_KEY ?= insecure-bench-only-key-1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f
bench: $(DEV)
	$(PG) $(BIN)/python manage.py bench --tickets $(TICKETS)

## bench-mail: inbound email pipeline throughput on a throwaway PostgreSQL (docs/benchmarks.md)
MESSAGES ?= 2000
bench-mail: export SECRET_KEY ?= insecure-bench-only-key-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f
bench-mail: $(DEV)
	$(PG) sh -c '$(BIN)/python manage.py migrate -v0 && $(BIN)/python manage.py bench_ingest --messages $(MESSAGES)'

## loadtest: 50 agents and 20 mails/s against gunicorn on loopback for 2 min, then a
## closed-loop stage; FAULTS=1 adds the faults (docs/benchmarks.md, "Load and faults")
LOADTEST_TICKETS ?= 100000
loadtest: $(DEV)
	$(PG) $(BIN)/python scripts/loadtest/run.py --tickets $(LOADTEST_TICKETS) $(if $(FAULTS),--faults)

clean:
	rm -rf $(VENV) var

## vendor: refresh the charting library in supportdesk/static/vendor (npm registry; served by us, no CDN)
CHARTJS := 4.6.1
CHARTJS_MATRIX := 3.1.0
vendor:
	rm -rf var/vendor && mkdir -p var/vendor
	cd var/vendor && npm pack --silent chart.js@$(CHARTJS) chartjs-chart-matrix@$(CHARTJS_MATRIX) >/dev/null
	cd var/vendor && for f in *.tgz; do mkdir -p "$${f%.tgz}" && tar xzf "$$f" -C "$${f%.tgz}"; done
	cp var/vendor/chart.js-$(CHARTJS)/package/dist/chart.umd.min.js supportdesk/static/vendor/
	cp var/vendor/chart.js-$(CHARTJS)/package/LICENSE.md supportdesk/static/vendor/chart.js.LICENSE.md
	cp var/vendor/chartjs-chart-matrix-$(CHARTJS_MATRIX)/package/dist/chartjs-chart-matrix.min.js supportdesk/static/vendor/
	cp var/vendor/chartjs-chart-matrix-$(CHARTJS_MATRIX)/package/LICENSE supportdesk/static/vendor/chartjs-chart-matrix.LICENSE
	# The packages' source maps are not vendored: drop the comments that name them, or
	# collectstatic (the manifest storage follows every reference) aborts.
	sed -i '/^\/\/# sourceMappingURL=/d' supportdesk/static/vendor/*.min.js

## bench-suggest: suggestion figures of docs/benchmarks.md ("Suggestions") on a throwaway PostgreSQL
SHARED ?= ../shared
bench-suggest: export SECRET_KEY ?= insecure-bench-only-key-2b7c9e1f4a6d8b0c3e5f7a9b1d3f5a7c
bench-suggest: $(DEV)
	$(PG) sh -c '$(BIN)/python manage.py migrate --noinput -v0 \
	&& $(BIN)/python manage.py import_help_center $(SHARED)/help-center/troubleshooting.mdx >/dev/null \
	&& echo "== shared page, dev set" && $(BIN)/python manage.py eval_suggestions $(SHARED)/eval/suggest_dev.tsv \
	&& echo "== shared page, extra set" && $(BIN)/python manage.py eval_suggestions tests/data/suggest_extra.tsv \
	&& echo "== shared page, hold-out set" && $(BIN)/python manage.py eval_suggestions tests/data/suggest_holdout.tsv \
	&& echo "== shared page, second hold-out set" && $(BIN)/python manage.py eval_suggestions tests/data/suggest_holdout2.tsv \
	&& $(BIN)/python manage.py load_demo >/dev/null \
	&& echo "== with the demo knowledge base, dev set" && $(BIN)/python manage.py eval_suggestions $(SHARED)/eval/suggest_dev.tsv \
	&& echo "== with the demo knowledge base, extra set" && $(BIN)/python manage.py eval_suggestions tests/data/suggest_extra.tsv \
	&& echo "== with the demo knowledge base, hold-out set" && $(BIN)/python manage.py eval_suggestions tests/data/suggest_holdout.tsv \
	&& echo "== with the demo knowledge base, second hold-out set" && $(BIN)/python manage.py eval_suggestions tests/data/suggest_holdout2.tsv \
	&& echo "== with the demo knowledge base, demo-answer set" && $(BIN)/python manage.py eval_suggestions tests/data/suggest_demo.tsv \
	&& echo "== 2,000 more published articles" && $(BIN)/python manage.py bench_suggest --articles 2000'
