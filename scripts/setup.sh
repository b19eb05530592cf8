# Shared set-up for scripts/build.sh and scripts/test.sh; sourced, not run.
# Installs what teitools needs on a fresh Debian 12 machine: Debian packages (as root,
# or through sudo) and a virtual environment in .venv with teitools in it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Debian packages the pipeline itself needs (WeasyPrint's Pango, fonts for Latin and Cyrillic).
BUILD_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core)
# Debian packages only the tests need: independent oracles and a browser.
TEST_DEBS=(jing xsltproc libxml2-utils poppler-utils chromium)

apt_install() {
    local missing=() pkg sudo=""
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
    done
    ((${#missing[@]})) || return 0
    [ "$(id -u)" = 0 ] || sudo=sudo
    echo "setup: installing Debian packages: ${missing[*]}" >&2
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
        "${missing[@]}" >/dev/null
}

python_env() {  # python_env EXTRAS: make .venv and install teitools (editable) with EXTRAS
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv 2>/dev/null || { apt_install python3-venv; python3 -m venv .venv; }
    fi
    .venv/bin/python -m pip install -q --disable-pip-version-check -e ".$1"
    export PATH="$PWD/.venv/bin:$PATH"
}
