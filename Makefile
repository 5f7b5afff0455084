# dibtrends: `make report` builds everything from a clean clone; `make test` runs every test.
# Targets name the files they read and write, so a re-run redoes only what changed.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
.PRECIOUS: reports/generated/params/%.yaml
.DEFAULT_GOAL := help
MAKEFLAGS += --no-builtin-rules

# Everything the package writes is relative to this checkout (also when .venv is shared).
export DIBTRENDS_ROOT := $(CURDIR)

PYTHON_BOOTSTRAP ?= python3
UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
PY := $(VENV)/bin/python
ENV_STAMP := $(VENV)/.synced

PKG_SRC := $(shell find src/dibtrends -name '*.py' 2>/dev/null)
LOADER_SRC := $(wildcard src/dibtrends/load/*.py) $(addprefix src/dibtrends/,countries.py validate.py build.py membership.py sources.py errors.py)
CURATED := $(wildcard data/curated/*.csv)
RAW_STAMP := data/raw/.fetched
DATA_STAMP := data/processed/.built

ANALYSES := $(sort $(filter-out notebooks/country_profile.ipynb notebooks/00_% notebooks/99_%,$(wildcard notebooks/*.ipynb)))
EXECUTED := $(patsubst notebooks/%.ipynb,reports/executed/%.ipynb,$(ANALYSES))
PARAMS_DIR := reports/generated/params
PARAMS_STAMP := $(PARAMS_DIR)/.split
ALLIES := $(shell tail -n +2 data/curated/nato_membership.csv 2>/dev/null | cut -d, -f1 | sort)
PROFILES := $(patsubst %,reports/executed/profiles/profile_%.ipynb,$(ALLIES))
SUMMARY := reports/executed/00_executive_summary.ipynb
SOURCES_PAGE := reports/executed/99_sources_and_methods.ipynb
RENDER_STAMP := reports/_output/.rendered
QUARTO_PROJECT := reports/_quarto.yml reports/_vega-header.html

.PHONY: help setup data test report lab clean distclean bench notebooks profiles fetch

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 12

# ---------------------------------------------------------------- environment
setup: $(ENV_STAMP) ## build .venv from uv.lock (called by the other targets)

$(UV):
	$(PYTHON_BOOTSTRAP) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(ENV_STAMP): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --quiet
	@bash scripts/ensure-quarto.sh $(VENV) || true
	@touch $@

# ---------------------------------------------------------------- data
fetch: $(RAW_STAMP) ## download and verify the sources (DIBTRENDS_MIRROR for a mirror)

$(RAW_STAMP): src/dibtrends/sources.py src/dibtrends/fetch.py | $(ENV_STAMP)
	$(PY) -m dibtrends fetch
	@touch $@

data: $(DATA_STAMP) ## build data/processed/*.parquet (does nothing when up to date)

$(DATA_STAMP): $(RAW_STAMP) $(LOADER_SRC) $(CURATED) | $(ENV_STAMP)
	$(PY) -m dibtrends build
	@touch $@

# ---------------------------------------------------------------- notebooks
$(PARAMS_STAMP): reports/params.yaml $(wildcard notebooks/*.ipynb) | $(ENV_STAMP)
	$(PY) -m dibtrends.pipeline split-params
	@touch $@

$(PARAMS_DIR)/%.yaml: $(PARAMS_STAMP) ;

reports/executed/%.ipynb: notebooks/%.ipynb $(PARAMS_DIR)/%.yaml $(DATA_STAMP) $(PKG_SRC)
	$(PY) -m dibtrends.pipeline execute $*

notebooks: $(EXECUTED) ## execute the analysis notebooks with Papermill

reports/executed/profiles/.done: notebooks/country_profile.ipynb $(PARAMS_DIR)/country_profile.yaml $(DATA_STAMP) $(PKG_SRC) data/curated/nato_membership.csv
	$(PY) -m dibtrends.pipeline profiles
	@touch $@

profiles: reports/executed/profiles/.done ## execute the country profile for all 32 Allies

$(SUMMARY): notebooks/00_executive_summary.ipynb $(PARAMS_DIR)/00_executive_summary.yaml $(EXECUTED) $(PKG_SRC)
	$(PY) -m dibtrends.pipeline execute 00_executive_summary

reports/index.ipynb: $(SUMMARY)
	cp $< $@

$(SOURCES_PAGE): notebooks/99_sources_and_methods.ipynb $(PARAMS_DIR)/99_sources_and_methods.yaml $(DATA_STAMP) $(PKG_SRC) $(CURATED)
	$(PY) -m dibtrends.pipeline execute 99_sources_and_methods

# ---------------------------------------------------------------- report
$(RENDER_STAMP): reports/index.ipynb $(EXECUTED) $(SOURCES_PAGE) reports/executed/profiles/.done $(QUARTO_PROJECT)
	$(PY) -m dibtrends.pipeline render
	@touch $@

report: $(RENDER_STAMP) ## the whole pipeline: environment, data, notebooks, Quarto (or preview)

# ---------------------------------------------------------------- checks
test: $(DATA_STAMP) ## run the whole test suite (unit, claims, pipeline, notebook headlines)
	$(PY) -m pytest -q
	DIBTRENDS_OUTPUT=$$(mktemp -d) $(PY) -m pytest -q --nbval-lax notebooks/ \
	  --ignore=notebooks/00_executive_summary.ipynb

lab: $(DATA_STAMP) ## open JupyterLab with the project kernel
	$(VENV)/bin/jupyter lab --notebook-dir=notebooks

bench: $(ENV_STAMP) ## time cold, no-op and one-parameter `make report` on this machine
	bash scripts/bench.sh

clean: ## remove processed data and every report output (keeps .venv and data/raw)
	rm -rf data/processed reports/executed reports/generated reports/_output reports/_output.new \
	  reports/_output.old reports/failed reports/index.ipynb reports/assets/vega-bundle.js \
	  reports/.quarto build

distclean: clean ## also remove .venv, the uv bootstrap and downloaded sources
	rm -rf $(VENV) $(TOOLS) data/raw
