#!/usr/bin/env bash
# Debian's chromium for the browser tests (Playwright drives /usr/bin/chromium; its own
# browser download is not used). Idempotent: does nothing when chromium is installed.
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "chromium is missing and there is no root or sudo to install it: apt-get install chromium" >&2; exit 1; }
  sudo="sudo"
fi
echo "Installing Debian's chromium for the browser tests..."
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium fonts-liberation >/dev/null
command -v chromium
