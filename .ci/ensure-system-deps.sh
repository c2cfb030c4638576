#!/usr/bin/env bash
# Install the Debian packages Hakari needs, only when some are missing.
#
#   .ci/ensure-system-deps.sh [EXTRA_PACKAGE...]
#
# EXTRA_PACKAGE: more packages some targets need (`make bench` adds wrk).
# Quiet (prints nothing, exit 0) when everything is already installed. When something is
# missing it runs `apt-get update` once and installs only the missing packages (needs root;
# otherwise it prints the missing package names and exits 1).
set -euo pipefail

PACKAGES=(
    # Browser tests (Playwright drives /usr/bin/chromium; no browser download).
    chromium
    # PDF tests: pdftotext, pdffonts.
    poppler-utils
    # WeasyPrint 70 runtime: it dlopens gobject, pango, pangoft2, harfbuzz,
    # harfbuzz-subset (font subsetting; a DeprecationWarning without it) and fontconfig.
    libglib2.0-0
    libpango-1.0-0
    libpangoft2-1.0-0
    libharfbuzz0b
    libharfbuzz-subset0
    libfontconfig1
    # compilemessages (msgfmt) for the Japanese and English UI.
    gettext
    # .ci/with-postgres.sh: initdb, pg_ctl, pg_isready, psql (PostgreSQL 15).
    postgresql-15
    postgresql-client-15
    "$@"
)

is_installed() {
    # `dpkg -s` also succeeds for removed-but-not-purged packages, so check the status line.
    dpkg -s "$1" 2>/dev/null | grep -qx 'Status: install ok installed'
}

missing=()
for pkg in "${PACKAGES[@]}"; do
    is_installed "$pkg" || missing+=("$pkg")
done

[ "${#missing[@]}" -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
    echo "ensure-system-deps: missing Debian packages (run as root to install): ${missing[*]}" >&2
    exit 1
fi

echo "ensure-system-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get -qq update >&2
apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2

still_missing=()
for pkg in "${missing[@]}"; do
    is_installed "$pkg" || still_missing+=("$pkg")
done
if [ "${#still_missing[@]}" -ne 0 ]; then
    echo "ensure-system-deps: failed to install: ${still_missing[*]}" >&2
    exit 1
fi
