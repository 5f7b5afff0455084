#!/usr/bin/env bash
# `make bench`: wall-clock times of the report pipeline on this machine (environment already
# built). A benchmark, not a test: it prints numbers and the targets, it does not fail on them.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${DIBTRENDS_MIRROR:-}" ] && [ -d ../shared/data/mirror ]; then
  export DIBTRENDS_MIRROR="$(cd ../shared/data/mirror && pwd)"
fi
timed() {  # label, command...
  local label=$1; shift
  local start end
  start=$(date +%s%N)
  "$@" > "/tmp/dibtrends-bench-$$.log" 2>&1 || { cat "/tmp/dibtrends-bench-$$.log"; exit 1; }
  end=$(date +%s%N)
  local ms=$(( (end - start) / 1000000 ))
  printf '%-44s %5d.%01d s\n' "$label" $((ms / 1000)) $(((ms % 1000) / 100))
}
quarto=$(command -v quarto || echo "not installed: render = nbconvert preview")
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; quarto: $quarto"
make clean > /dev/null
timed "cold make report (after make clean)" make report
timed "no-op make report" make report
param=reports/params.yaml
cp "$param" "/tmp/dibtrends-params-$$.yaml"
trap 'cp "/tmp/dibtrends-params-$$.yaml" "$param"; rm -f /tmp/dibtrends-*-$$.*' EXIT
sed -i 's/^  min_reliance_pct: 50$/  min_reliance_pct: 51/' "$param"
grep -q 'min_reliance_pct: 51' "$param" || { echo "bench: could not change a parameter"; exit 1; }
timed "make report after one parameter change" make report
cp "/tmp/dibtrends-params-$$.yaml" "$param"
timed "make report after reverting it" make report
echo "targets (2 cores, no Quarto): cold < 120 s, no-op < 2 s, one-notebook change < 20 s"
