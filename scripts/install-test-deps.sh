#!/usr/bin/env bash
# Install what the test suite needs on a fresh Debian machine: the Python packages and
# Debian's chromium (Playwright drives it; its own browser download does not work offline).
set -euo pipefail
cd "$(dirname "$0")/.."
python -m pip install --quiet --disable-pip-version-check -r requirements-test.txt
# chromium for the browser tests; Pango, HarfBuzz and DejaVu fonts for the PDF ward pack;
# nginx for the deploy front's tests (tests/test_deploy_headers.py, run by deploy/run_loopback.sh).
DEBIAN_PACKAGES="chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core nginx"
missing=""
for pkg in $DEBIAN_PACKAGES; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing="$missing $pkg"
done
if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" = "0" ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi
chromium --version 2>/dev/null
