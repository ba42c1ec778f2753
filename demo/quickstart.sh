#!/usr/bin/env bash
# Quick start: from a fresh clone to two brand-consistency reports (HTML + PDF) in demo-out/.
# Installs Chromium and CJK fonts from apt when they are missing (as root, or with sudo), the npm
# dependencies, then runs `voc demo`. Set CHROME_PATH to use a Chromium/Chrome you already have.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-demo-out}"

missing=()
# Read the font list once: `fc-list | grep -q` fails under pipefail when grep exits early (SIGPIPE).
fonts=$(fc-list 2>/dev/null || true)
if [ -z "${CHROME_PATH:-}" ] && ! [ -x /usr/bin/chromium ]; then missing+=(chromium); fi
if ! grep -qi 'Noto Sans CJK' <<<"$fonts"; then missing+=(fonts-noto-cjk); fi
if ! grep -qi 'WenQuanYi Micro Hei' <<<"$fonts"; then missing+=(fonts-wqy-microhei); fi
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    echo "quickstart: installing ${missing[*]} with apt-get"
    $sudo apt-get update -qq && $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "quickstart: please install ${missing[*]} (Chromium and the Noto CJK fonts) with your package manager, or set CHROME_PATH" >&2
    exit 2
  fi
fi

if [ -f package-lock.json ]; then npm ci --no-audit --no-fund; else npm install --no-audit --no-fund; fi
node bin/voc.js demo --out "$out"
