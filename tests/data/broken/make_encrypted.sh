#!/usr/bin/env bash
# Makes the encrypted PDFs used by tests/batch_bad_inputs.rs from the one-column fixture
# (fixtures/pdf/one_column.pdf, made by fixtures/make_fixtures.sh) with qpdf:
#   encrypted.pdf             AES-256, user password "jaryo-test": unreadable without --password
#   encrypted_owner_only.pdf  AES-128, empty user password (owner restrictions only): opens as is
# The other broken inputs (not a PDF, empty, truncated, noise after the header, zero pages,
# CP949 text, unreadable) are made by the tests at run time.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
base="${1:-$here/../../../fixtures/pdf/one_column.pdf}"
command -v qpdf >/dev/null || { echo "needs qpdf (apt-get install qpdf)" >&2; exit 1; }
# qpdf --encrypt USER-PASSWORD OWNER-PASSWORD KEY-LENGTH [restrictions] --
qpdf --encrypt jaryo-test jaryo-owner 256 -- "$base" "$here/encrypted.pdf"
qpdf --encrypt "" jaryo-owner 128 --use-aes=y --print=none --modify=none -- \
    "$base" "$here/encrypted_owner_only.pdf"
qpdf --check --password=jaryo-test "$here/encrypted.pdf" >/dev/null
qpdf --show-encryption --password=jaryo-test "$here/encrypted.pdf" | head -3
