#!/usr/bin/env bash
# Quick start, command 2 (and what CI runs): set up, build, and run every test.
# Root-only kernel tests run when root and report as skipped otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
# SARIF output is validated with Microsoft's SARIF Multitool (npm); the test skips without it.
if ! command -v sarif-multitool >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
  npm install -g --silent @microsoft/sarif-multitool >/dev/null 2>&1 || echo "note: sarif-multitool not installed; SARIF validation will be skipped" >&2
fi
cd build
ctest --output-on-failure --timeout 3000
