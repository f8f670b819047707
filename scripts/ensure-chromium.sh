#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (playwright-core cannot download a browser here). Install it when missing.
set -euo pipefail
CHROMIUM="${KOPPEL_CHROMIUM:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian's chromium for the browser tests…"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  exit 0
fi
echo "Chromium not found at $CHROMIUM. Install it (sudo apt-get install chromium) or set KOPPEL_CHROMIUM." >&2
exit 1
