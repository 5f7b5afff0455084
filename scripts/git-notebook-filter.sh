#!/usr/bin/env bash
# Install the git clean filter that commits notebooks in canonical form (no outputs, execution
# counts or editor metadata), as `.gitattributes` asks. An analyst's file keeps its outputs;
# git sees only the source, so a save in JupyterLab without a content change is no diff.
# Called by `make setup`; does nothing outside a git checkout.
set -u
py=${1:-.venv/bin/python}
git rev-parse --git-dir >/dev/null 2>&1 || exit 0
git config filter.dibtrends-notebook.clean "$py -m dibtrends notebooks clean"
git config filter.dibtrends-notebook.smudge cat
