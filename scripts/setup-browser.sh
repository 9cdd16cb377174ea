#!/usr/bin/env bash
# The headless browser the end-to-end tests drive: Debian's Chromium (playwright-core talks to it; never
# `playwright install`, which downloads a browser). Idempotent; exits non-zero when Chromium cannot be had.
set -euo pipefail
if /usr/bin/chromium --version >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "setup-browser: /usr/bin/chromium is missing; install Debian's chromium package (apt-get install -y chromium)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium >/dev/null
/usr/bin/chromium --version >/dev/null 2>&1 || { echo "setup-browser: chromium installed but does not start" >&2; exit 1; }
