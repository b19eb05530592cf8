#!/usr/bin/env bash
# Quick start, command 1: set up and run the whole pipeline on the bundled letters.
source "$(dirname "$0")/setup.sh"
apt_install "${BUILD_DEBS[@]}"
python_env ""
teitools build "$@"
