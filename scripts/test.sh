#!/usr/bin/env bash
# Quick start, command 2 (and what CI runs): set up, build, and run every test.
# Root-only kernel tests run when root and report as skipped otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cd build
ctest --output-on-failure --timeout 3000
