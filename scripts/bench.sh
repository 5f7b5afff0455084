#!/usr/bin/env bash
# `make bench`: wall-clock times of the report pipeline on this machine, measured in a copy of
# the checkout (so the working copy's report is untouched) that shares this environment.
# A benchmark, not a test: it prints numbers beside the targets and does not fail on them.
#
#   naive   a fresh `papermill` process per notebook, serially (every kernel pays the imports)
#   without Quarto (the HTML preview): cold `make report` after `make clean` (warm kernel pool,
#           one per core), then `make report` again after no change, one parameter changed
#           (chapter 5), one analysis module edited
#   with Quarto, where it is on PATH: the first render, then no change, one parameter changed,
#           one sentence edited in chapter 5's notebook, and a cold build; under each, what the
#           render redid (the site's pages Quarto wrote, the PDF's pages converted)
# The table at the end puts each time beside its target and the naive run's time over it.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
venv=${VENV:-$root/.venv}
[ -x "$venv/bin/python" ] || { echo "bench: no environment at $venv; run make setup"; exit 2; }
if [ -z "${DIBTRENDS_MIRROR:-}" ] && [ -d ../shared/data/mirror ]; then
  export DIBTRENDS_MIRROR="$(cd ../shared/data/mirror && pwd)"
fi
work=$(mktemp -d /tmp/dibtrends-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
copy="$work/dibtrends"
mkdir -p "$copy"
git ls-files -z | (cd "$root" && xargs -0 cp --parents -t "$copy")
mkdir -p "$copy/data/raw" && cp -p "$root"/data/raw/* "$copy/data/raw/" 2>/dev/null || true
unset DIBTRENDS_ROOT DIBTRENDS_OUTPUT PYTHONPATH VIRTUAL_ENV MAKEFLAGS MAKELEVEL
quarto_bin=$(command -v quarto || true)
noquarto_path=$(echo "$PATH" | tr ':' '\n' | grep -v -x -F "$(dirname "${quarto_bin:-/nonexistent}")" | paste -sd:)

declare -A seconds rendered
timed() {  # key, label, command...
  local key=$1 label=$2; shift 2
  local start end log="$work/$key.log"
  touch "$work/mark"
  start=$(date +%s%N)
  "$@" > "$log" 2>&1 || { echo "bench: '$label' failed:"; tail -30 "$log"; exit 1; }
  end=$(date +%s%N)
  seconds[$key]=$(awk "BEGIN{printf \"%.1f\", ($end - $start) / 1e9}")
  printf '%-58s %7s s\n' "$label" "${seconds[$key]}"
  if [ -d "$copy/build/pdf" ]; then rendered[$key]=$(redone); echo "    ${rendered[$key]}"; fi
}
count_or_names() { local n; n=$(grep -c . <<< "$1"); if [ "$n" -le 4 ]; then echo ${1:-none}; else echo "$n pages"; fi; }
redone() {  # what the last render redid: the site's pages Quarto wrote, the PDF's pages converted
  local site pdf book="PDF compiled again"
  site=$(cd "$copy/reports/_output" && find . -name '*.html' -not -path './site_libs/*' \
         -newer "$work/mark" -printf '%P\n' | sort)
  pdf=$(cd "$copy/build/pdf" && find . -maxdepth 1 -name '*.typ' -not -name 'dibtrends-report.typ' \
        -newer "$work/mark" -printf '%f\n' | sed 's/\.typ$//' | sort)
  [ "$copy/build/pdf/dibtrends-report.pdf" -nt "$work/mark" ] || book="PDF kept"
  echo "site pages rendered: $(count_or_names "$site"); PDF pages converted: $(count_or_names "$pdf"); $book"
}
mk() { make -C "$copy" VENV="$venv" "$@"; }

naive() {  # every notebook in its own papermill process, one after the other
  rm -rf "$work/naive" && mkdir -p "$work/naive"
  local nb names
  # the chapters, then the summary that reads their results, then the sources page
  names="$(cd "$copy/notebooks" && ls 0[1-9]_*.ipynb | sort) 00_executive_summary.ipynb
         99_sources_and_methods.ipynb"
  for nb in $names; do
    (cd "$copy" && PYTHONPATH="$copy/src" DIBTRENDS_ROOT="$copy" "$venv/bin/papermill" -k python3 \
      --cwd notebooks "notebooks/$nb" "$work/naive/$nb" -p output_dir "$work/naive/out" \
      --no-progress-bar) || { echo "naive: $nb failed"; return 1; }
  done
  for code in $(tail -n +2 "$copy/data/curated/nato_membership.csv" | cut -d, -f1); do
    (cd "$copy" && PYTHONPATH="$copy/src" DIBTRENDS_ROOT="$copy" "$venv/bin/papermill" -k python3 \
      --cwd notebooks notebooks/country_profile.ipynb "$work/naive/profile_$code.ipynb" \
      -p country "$code" -p output_dir "$work/naive/out" --no-progress-bar) \
      || { echo "naive: profile $code failed"; return 1; }
  done
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; quarto: ${quarto_bin:-not on PATH}"
# What every kernel pays before its first notebook: the chapter modules and the chart theme.
import_time() {
  (cd "$copy" && PYTHONPATH="$copy/src" PYTHONDONTWRITEBYTECODE= "$venv/bin/python" -c "
import time; t = time.perf_counter()
from dibtrends import chapters, charts
for name in chapters.MODULES: chapters.module(name)
print(f'{time.perf_counter() - t:.1f}')")
}
import_time >/dev/null  # the first run compiles the copy's modules; time the second
imports=$(import_time)
printf '%-58s %7s s\n' "imports of a kernel (every chapter module, Altair, Polars)" "$imports"
declare -A target
target=([cold]=30 [noop]=1 [param]=10 [module]=10 [noop_q]=1 [param_q]=10 [sentence_q]=10)
declare -a order
timed_row() { order+=("$1|$2"); timed "$@"; }
# A sentence edited in chapter 5's notebook, as an analyst would in JupyterLab.
edit_sentence() {
  "$venv/bin/python" - "$copy/notebooks/05_critical_minerals.ipynb" <<'PY'
import sys, nbformat
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
cell = next(c for c in nb.cells if c.cell_type == "markdown")
cell.source += " (An edited sentence.)"
nbformat.write(nb, path)
PY
}
echo "--- without Quarto (HTML preview)"
export PATH="$noquarto_path"
mk -s data >/dev/null 2>&1
timed_row naive "naive: papermill per notebook, serially (40 notebooks)" naive
mk -s clean >/dev/null
timed_row cold "cold make report (after make clean)" mk report
timed_row noop "no-op make report" mk report
sed -i 's/^  # min_reliance_pct: 50$/  min_reliance_pct: 60/' "$copy/reports/params.yaml"
grep -q '^  min_reliance_pct: 60' "$copy/reports/params.yaml" || { echo "bench: could not set a parameter"; exit 1; }
timed_row param "one parameter changed (chapter 5)" mk report
echo "# an edit that changes no result" >> "$copy/src/dibtrends/minerals.py"
timed_row module "one analysis module edited (minerals.py)" mk report
if [ -n "$quarto_bin" ]; then
  echo "--- with Quarto $("$quarto_bin" --version)"
  export PATH="$(dirname "$quarto_bin"):$PATH"
  timed_row render "first render (HTML site and PDF, every page)" mk report
  timed_row noop_q "no-op make report, with Quarto" mk report
  sed -i 's/^  min_reliance_pct: 60$/  min_reliance_pct: 70/' "$copy/reports/params.yaml"
  timed_row param_q "one parameter changed (chapter 5), with the render" mk report
  edit_sentence
  timed_row sentence_q "one sentence edited (chapter 5 notebook), with the render" mk report
  mk -s clean >/dev/null
  timed_row cold_q "cold make report with Quarto (after make clean)" mk report
fi
echo
echo "=== make bench: $(nproc) cores; seconds, the target, and the naive serial run's time over it"
printf '%-58s %8s %8s %9s\n' "" "seconds" "target" "vs naive"
for row in "${order[@]}"; do
  key=${row%%|*} label=${row#*|}
  goal=${target[$key]:-}
  verdict=""
  if [ -n "$goal" ]; then
    verdict=$(awk "BEGIN{print (${seconds[$key]} <= $goal) ? \"met\" : \"MISSED\"}")
  fi
  ratio=$(awk "BEGIN{printf \"%.1fx\", ${seconds[naive]} / (${seconds[$key]} > 0 ? ${seconds[$key]} : 0.1)}")
  printf '%-58s %8s %8s %9s %s\n' "$label" "${seconds[$key]}" "${goal:+<= $goal}" "$ratio" "$verdict"
  [ -z "${rendered[$key]:-}" ] || echo "    ${rendered[$key]}"
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
