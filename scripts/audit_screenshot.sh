#!/usr/bin/env bash
# Makes the README's screenshot of the audit page (docs/audit.png): converts the sample booklet's
# PDF with `jaryo run --audit` into a temporary folder and has headless Chromium photograph the
# page opened on one flag (`#flag=N`, default 18: an illegible passage on page 60).
# Korean text needs a CJK font installed (Debian: fonts-nanum or fonts-noto-cjk).
# Usage: scripts/audit_screenshot.sh [FLAG] [OUTPUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
flag="${1:-18}"
out="${2:-docs/audit.png}"
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "scripts/audit_screenshot.sh: chromium is not installed (apt-get install chromium)" >&2
  exit 1
fi
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
cargo run --release --quiet -- run input/seoul_social_economy_forum_2020.pdf -o "$tmp/out" --audit --quiet
page="$(ls "$tmp"/out/*.audit.html | head -n 1)"
mkdir -p "$(dirname "$out")"
"$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --hide-scrollbars \
  --user-data-dir="$tmp/profile" --window-size=1400,900 \
  --screenshot="$(realpath -m "$out")" "file://$page#flag=$flag" 2>/dev/null
echo "wrote $out"
