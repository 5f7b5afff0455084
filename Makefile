# dibtrends: `make report` builds everything from a clean clone; `make test` runs every test.
# Targets name the files they read and write, so a re-run redoes only what changed; within the
# notebooks, the pipeline re-runs only the pages whose inputs changed (content hashes).
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

# Everything the package writes is relative to this checkout, and its code is this checkout's
# own (also when the environment was copied or moved with it, or is shared by tests).
export DIBTRENDS_ROOT := $(CURDIR)
export PYTHONPATH := $(CURDIR)/src$(if $(PYTHONPATH),:$(PYTHONPATH))
# Imports are paid by every kernel and command: keep compiled bytecode (uv compiles the
# environment once at setup; Python caches the project's own modules), even where the shell
# says not to write it.
export PYTHONDONTWRITEBYTECODE :=

PYTHON_BOOTSTRAP ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV ?= .venv
PY := $(VENV)/bin/python
ifeq ($(VENV),.venv)
ENV_STAMP := $(VENV)/.synced
else
ENV_STAMP :=# VENV=/path names an environment you manage: used as it is, never synced
endif

# The checkout an environment was built for; an environment copied or moved with a checkout
# (cp -a, mv) is rebuilt, so its scripts and editable install point here. VENV=... names an
# environment you manage yourself, which is never rebuilt.
ENV_OWNER := $(VENV)/.checkout
ENV_MOVED := $(if $(filter .venv,$(VENV)),$(if $(wildcard $(ENV_OWNER)),$(filter-out $(CURDIR),$(shell cat $(ENV_OWNER)))))

PKG_SRC := $(shell find src/dibtrends -name '*.py' 2>/dev/null)
CURATED := $(wildcard data/curated/*.csv)
DATA_STAMP := data/processed/.built

NOTEBOOK_SRC := $(wildcard notebooks/*.ipynb)
ALLIES := $(shell tail -n +2 data/curated/nato_membership.csv 2>/dev/null | cut -d, -f1 | sort)
PAGES := $(patsubst notebooks/%.ipynb,reports/executed/%.ipynb,$(filter-out notebooks/country_profile.ipynb,$(NOTEBOOK_SRC))) \
         $(patsubst %,reports/executed/profiles/profile_%.ipynb,$(ALLIES))
EXECUTED_STAMP := reports/executed/.current
# The render's stamp names its engine: installing (or removing) Quarto after a build makes the
# next `make report` render again, with Quarto (or the preview).
RENDER_ENGINE := $(if $(shell command -v quarto 2>/dev/null),quarto,preview)
RENDER_STAMP := reports/_output/.rendered-$(RENDER_ENGINE)
QUARTO_PROJECT := reports/_quarto.yml reports/_vega-header.html

.PHONY: help setup data test report lab clean distclean bench notebooks profiles profile fetch \
        lint bless check-params FORCE

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 14

# ---------------------------------------------------------------- environment
setup: $(ENV_STAMP) ## build .venv from uv.lock (called by the other targets)

$(UV):
	$(PYTHON_BOOTSTRAP) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(ENV_STAMP): pyproject.toml uv.lock $(if $(ENV_MOVED),FORCE) | $(UV)
	@if [ -n "$(ENV_MOVED)" ]; then echo "make: $(VENV) was built for $(ENV_MOVED), not this checkout; rebuilding it"; rm -rf $(VENV); fi
	$(UV) sync --frozen --quiet --compile-bytecode
	@echo "$(CURDIR)" > $(ENV_OWNER)
	@bash scripts/ensure-quarto.sh $(VENV) || true
	@bash scripts/git-notebook-filter.sh $(PY) || true
	@touch $@

# ---------------------------------------------------------------- data
fetch: | $(ENV_STAMP) ## download and verify the sources (DIBTRENDS_MIRROR for a mirror)
	$(PY) -m dibtrends fetch

data: $(DATA_STAMP) ## fetch and verify the sources, rebuild the processed tables if any input changed

# Always checked (a fraction of a second): every raw file present with its registered sha256
# (fetched again if deleted or changed on disk), and the processed tables rebuilt when an input
# or output differs from data/processed/.manifest.json. The stamp moves only on a rebuild.
$(DATA_STAMP): FORCE | $(ENV_STAMP)
	@$(PY) -m dibtrends data --stamp $@

# ---------------------------------------------------------------- notebooks
# One pipeline run executes every page whose inputs changed, on warm kernels (one per core).
$(EXECUTED_STAMP): $(NOTEBOOK_SRC) reports/params.yaml $(PKG_SRC) data/sources.yml $(DATA_STAMP) uv.lock | $(ENV_STAMP)
	$(PY) -m dibtrends run
	@touch $@

# The pages are written by the run above; listing them lets the render see which changed.
$(PAGES): $(EXECUTED_STAMP) ;

notebooks: $(EXECUTED_STAMP) ## execute every notebook whose inputs changed (Papermill)

profiles: $(EXECUTED_STAMP) ## execute the Ally profiles (and anything else out of date)

profile: $(DATA_STAMP) | $(ENV_STAMP) ## one Ally's profile: make profile ALLY=POL
	@test -n "$(ALLY)" || { echo "make profile: say which Ally, e.g. make profile ALLY=POL"; exit 2; }
	$(PY) -m dibtrends run --allies $(ALLY)

check-params: $(DATA_STAMP) | $(ENV_STAMP) ## check reports/params.yaml without running anything
	$(PY) -m dibtrends check-params

# ---------------------------------------------------------------- report
# Always asked (a fraction of a second): the render compares the content of every page, chart
# data file and project file with what it last published, so a page restored with an old date
# is published too; it renders only the pages that changed.
$(RENDER_STAMP): $(PAGES) $(QUARTO_PROJECT) FORCE | $(ENV_STAMP)
	$(PY) -m dibtrends render
	@touch $@

report: $(RENDER_STAMP) ## the whole pipeline: environment, data, notebooks, Quarto (or preview)

# ---------------------------------------------------------------- checks
test: $(DATA_STAMP) ## run the whole test suite (unit, claims, parameters, pipeline, render)
	$(PY) -m pytest -q

lint: | $(ENV_STAMP) ## ruff over the package, tests and notebooks; notebooks in canonical form
	$(VENV)/bin/ruff check src tests notebooks scripts
	$(PY) -m dibtrends notebooks check

bless: $(EXECUTED_STAMP) ## record the chapters' headline numbers as the regression baseline
	$(PY) -m dibtrends bless

lab: $(DATA_STAMP) ## open JupyterLab with the project kernel
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

bench: $(ENV_STAMP) ## time cold, no-op and one-change `make report` on this machine
	bash scripts/bench.sh

clean: ## remove processed data and every report output (keeps .venv and data/raw)
	rm -rf data/processed reports/executed reports/generated reports/_output reports/_output.new \
	  reports/_output.old reports/failed reports/assets/vega-bundle.js* \
	  reports/.quarto build

distclean: clean ## also remove .venv, the uv bootstrap and downloaded sources
	rm -rf $(VENV) $(TOOLS) data/raw
