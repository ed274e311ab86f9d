#!/usr/bin/env bash
# Install everything the test suite needs and run it: the Python test dependencies in .venv, and
# mermaid-cli with Debian's Chromium so that every diagram archinfer writes is rendered for real.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v mmdc >/dev/null 2>&1 || ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    PUPPETEER_SKIP_DOWNLOAD=1 npm install -g --silent @mermaid-js/mermaid-cli >/dev/null
  else
    echo "scripts/test.sh: mermaid-cli/Chromium missing and cannot be installed here; diagram rendering tests will skip" >&2
  fi
fi
python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest -q
