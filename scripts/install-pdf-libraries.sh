#!/usr/bin/env bash
# Pango (and the fonts) that WeasyPrint needs to write `workbook report --pdf`. Idempotent:
# does nothing when the libraries are there (Debian's chromium brings them too).
set -euo pipefail
if ldconfig -p 2>/dev/null | grep -q 'libpangoft2-1.0.so.0' && fc-list 2>/dev/null | grep -qi 'liberation'; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "Pango is missing and there is no root or sudo to install it: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-liberation" >&2; exit 1; }
  sudo="sudo"
fi
echo "Installing Pango and fonts for PDF reports (WeasyPrint)..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
  libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fontconfig fonts-liberation >/dev/null
