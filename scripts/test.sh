#!/usr/bin/env bash
# Quick start, command 2: set up (test-only packages included) and run the whole test suite.
source "$(dirname "$0")/setup.sh"
apt_install "${BUILD_DEBS[@]}" "${TEST_DEBS[@]}"
python_env "[test]"
ruff check src tests
mypy
pytest -n 2 "$@"
