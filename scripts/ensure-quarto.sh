#!/usr/bin/env bash
# Try to provide Quarto where it is missing: `pip install quarto-cli` into the project venv.
# That package downloads Quarto from GitHub when it is built, which fails without internet:
# then we say so and carry on (the report falls back to an HTML preview).
set -u
venv=${1:-.venv}
if command -v quarto >/dev/null 2>&1 || [ -x "$venv/bin/quarto" ]; then
  exit 0
fi
if [ "${DIBTRENDS_SKIP_QUARTO_INSTALL:-}" = 1 ]; then
  exit 0
fi
echo "Quarto not found: trying 'pip install quarto-cli' (needs internet access to GitHub)..." >&2
if timeout 300 "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
  installer=("$venv/bin/python" -m pip install --quiet quarto-cli)
else
  installer=(.tools/bin/uv pip install --quiet --python "$venv/bin/python" quarto-cli)
fi
if timeout 300 "${installer[@]}" >/dev/null 2>&1; then
  echo "Installed Quarto via quarto-cli." >&2
else
  echo "Could not install Quarto here (no download possible). 'make report' will build everything" \
       "up to the render and write an HTML preview; install Quarto 1.7 or newer (CI uses 1.7.34) to publish." >&2
fi
exit 0
