#!/usr/bin/env bash
# Set up tradewar on a fresh Debian machine: a virtual environment in .venv with the package.
# With --test: also the test extras and Debian's Chromium (the browser tests drive it with
# Playwright; no browser is ever downloaded). Idempotent: re-running skips what is there.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-}"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if [ "$mode" = "--test" ]; then
  .venv/bin/python -m pip install --quiet -e '.[test]'
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ]; then
      apt-get update -qq && apt-get install -y -qq chromium >/dev/null
    else
      sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null
    fi
  fi
else
  .venv/bin/python -m pip install --quiet -e .
fi
